import { setTimeout as sleep } from 'node:timers/promises';
import * as OTPAuth from 'otpauth';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Logging in through the real UI, shared by every browser journey. Every page but the login
 * flow needs an active session with a second factor (std-5.4.2, std-7.2.3), so a journey first
 * logs in with one of these.
 *
 * The browser reaches the app over plain HTTP on loopback (http://127.0.0.1:<port> or
 * http://localhost:<port>): the server accepts logins there without MAMORI_ALLOW_INSECURE_HTTP,
 * as it does for a browser on the server itself.
 */

/** An account after its first login: what a later login needs. */
export interface LoginCredentials {
  readonly loginName: string;
  readonly password: string;
  readonly totpSecret: string;
}

/** A passphrase of kana and kanji, no composition rules (NIST SP 800-63B-4, std-7.2.4.2). */
export const defaultNewPassword = 'しずかな湖畔の森の影からもう起きちゃいかが';

/** Generous waits: a cold build on a shared 2-core machine can take seconds to answer. */
const eventually = { timeout: 20_000, interval: 100 };

/** The path of the page's current URL. */
export const pathOf = (page: Page): string => new URL(page.url()).pathname;

/** An input by its whole label (a required field's label ends with an asterisk). */
export function field(scope: Page | Locator, label: string): Locator {
  return scope.getByLabel(new RegExp(`^${label}\\s*\\*?$`));
}

/** The last TOTP time step used per secret: the server refuses a code of a step used before. */
const lastTotpStep = new Map<string, number>();

/**
 * A TOTP code (RFC 6238, 6 digits, 30 s) for `secret`, as an authenticator app shows it. Never
 * one of a time step already used with that secret (the server refuses a replay): waits for the
 * next step when needed.
 */
export async function freshTotpCode(secret: string): Promise<string> {
  const totp = new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  });
  let step = Math.floor(Date.now() / 30_000);
  while (step <= (lastTotpStep.get(secret) ?? -1)) {
    await sleep(500);
    step = Math.floor(Date.now() / 30_000);
  }
  lastTotpStep.set(secret, step);
  return totp.generate({ timestamp: step * 30_000 + 1_000 });
}

/** Fills and submits the login form, then waits for the server's answer. */
export async function submitLogin(page: Page, loginName: string, password: string): Promise<void> {
  await page.getByLabel('ログイン名').fill(loginName);
  await field(page, 'パスワード').fill(password);
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await answered;
}

/** Fills and submits the forced password change (std-7.2.4.2). */
export async function submitPasswordChange(
  page: Page,
  temporaryPassword: string,
  newPassword: string,
): Promise<void> {
  await page.getByLabel('現在のパスワード（仮パスワード）').fill(temporaryPassword);
  await field(page, '新しいパスワード').fill(newPassword);
  await page.getByLabel('新しいパスワード（確認）').fill(newPassword);
  await page.getByRole('button', { name: 'パスワードを変更' }).click();
}

/** On the MFA enrolment page: starts the authenticator-app enrolment; returns the secret shown. */
export async function startTotpEnrolment(page: Page): Promise<string> {
  await page.getByRole('button', { name: '認証アプリの登録を始める' }).click();
  const secretNode = page.getByTestId('totp-secret');
  await expect.poll(() => secretNode.count(), eventually).toBe(1);
  const secret = (await secretNode.getAttribute('data-secret')) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  return secret;
}

/** Confirms the enrolment with a code of the secret; resolves once the recovery codes show. */
export async function completeTotpEnrolment(page: Page, secret: string): Promise<void> {
  await page.getByLabel('認証アプリに表示された6桁のコード').fill(await freshTotpCode(secret));
  await page.getByRole('button', { name: '登録を完了' }).click();
  await expect.poll(() => page.getByTestId('recovery-codes').count(), eventually).toBe(1);
}

/** Confirms the recovery codes shown once were kept, and goes on. */
export async function acknowledgeRecoveryCodes(page: Page): Promise<void> {
  await page.getByLabel('リカバリーコードを安全な場所に保管しました').check();
  await page.getByRole('button', { name: '利用を開始する' }).click();
}

/** On the second-factor page (or the step-up dialog): answers with a fresh authenticator code. */
export async function submitTotpCode(scope: Page | Locator, secret: string): Promise<void> {
  await scope.getByLabel(/^6桁のコード/).fill(await freshTotpCode(secret));
  await scope.getByRole('button', { name: '確認', exact: true }).click();
}

/**
 * Shows the login page in `page`: stays when it is there already (a second navigation would
 * cancel the loads of the first), else opens `${origin}/login`.
 */
async function openLoginPage(page: Page, origin: string): Promise<void> {
  if (page.url().startsWith(`${origin}/`) && pathOf(page) === '/login') return;
  await page.goto(`${origin}/login`);
}

/** Waits until the login flow let the page into the app (out of /login…). */
async function waitUntilInApp(page: Page): Promise<void> {
  await expect.poll(() => pathOf(page).startsWith('/login'), eventually).toBe(false);
}

/**
 * The first login of an account created with a temporary password (`init`, `demo`, the accounts
 * page): temporary password → forced change (std-7.2.4.2) → authenticator-app enrolment
 * (std-5.4.2) → recovery codes → the app, in `page` (on the login page, or opening
 * `${origin}/login`). Resolves once the app is shown, with what a later {@link login} needs.
 */
export async function firstLogin(
  page: Page,
  origin: string,
  account: { loginName: string; temporaryPassword: string; newPassword?: string },
): Promise<LoginCredentials> {
  const password = account.newPassword ?? defaultNewPassword;
  await openLoginPage(page, origin);
  await submitLogin(page, account.loginName, account.temporaryPassword);
  await expect.poll(() => pathOf(page), eventually).toBe('/login/change-password');
  await submitPasswordChange(page, account.temporaryPassword, password);
  await expect.poll(() => pathOf(page), eventually).toBe('/login/mfa-enrolment');
  const totpSecret = await startTotpEnrolment(page);
  await completeTotpEnrolment(page, totpSecret);
  await acknowledgeRecoveryCodes(page);
  await waitUntilInApp(page);
  return { loginName: account.loginName, password, totpSecret };
}

/**
 * A later login: password, then a code of the enrolled authenticator app (std-5.4.2), in `page` (on
 * the login page, or opening `${origin}/login`). Resolves once the app is shown.
 */
export async function login(page: Page, origin: string, account: LoginCredentials): Promise<void> {
  await openLoginPage(page, origin);
  await submitLogin(page, account.loginName, account.password);
  await expect.poll(() => pathOf(page), eventually).toBe('/login/mfa');
  await submitTotpCode(page, account.totpSecret);
  await waitUntilInApp(page);
}
