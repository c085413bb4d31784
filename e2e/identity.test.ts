import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initArgs, runCli, startApp, type RunningApp } from './support/app-process.js';
import { launchBrowser } from './support/browser.js';
import {
  acknowledgeRecoveryCodes,
  completeTotpEnrolment,
  field,
  login,
  startTotpEnrolment,
  submitLogin,
  submitPasswordChange,
  submitTotpCode,
} from './support/login.js';
import { seriousAxeViolations, watchPage, type PageWatch } from './support/page-checks.js';
import { artifactsDir } from './support/paths.js';

/**
 * Login and sessions through the real UI: the first administrator logs in with the temporary
 * password `init` printed, must change it (std-7.2.4.2), must enrol a second factor (std-5.4.2),
 * sees the recovery codes once, then sees the previous login on the home page (std-7.2.3).
 * The steps depend on each other and run in order.
 */
describe('journey: login, password change, MFA enrolment, previous login', () => {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let watch: PageWatch;
  const axeViolations: string[] = [];

  const loginName = 'kanri-taro';
  const displayName = '試験 太郎';
  let temporaryPassword = '';
  // A passphrase: kana and kanji, no composition rules (NIST SP 800-63B-4).
  const newPassword = 'しずかな湖畔の森の影からもう起きちゃいかが';
  let totpSecret = '';

  const runningApp = (): RunningApp => {
    if (app === undefined) throw new Error('the app did not start');
    return app;
  };
  /**
   * The app as the browser reaches it: `localhost` rather than 127.0.0.1, because a WebAuthn
   * relying-party id must be a host name, never an IP address.
   */
  const origin = () => runningApp().baseUrl.replace('127.0.0.1', 'localhost');
  const eventually = { timeout: 15_000, interval: 100 };
  const heading = () => page.getByRole('heading', { level: 1 });
  const path = () => new URL(page.url()).pathname;

  beforeAll(async () => {
    // `npm start` runs in production mode; plain HTTP logins are accepted because the browser
    // reaches the server on loopback (http://localhost:<port>), as on the server itself.
    app = await startApp({ timeoutMs: 180_000 });
    browser = await launchBrowser();
    const init = runCli(app, initArgs(loginName, displayName));
    expect(init.status, init.stderr).toBe(0);
    const match = /temporary password: (\S+)/.exec(init.stdout);
    if (match?.[1] === undefined)
      throw new Error(`init printed no temporary password:\n${init.stdout}`);
    temporaryPassword = match[1];
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    if (app !== undefined) await app.stop(30_000).catch(() => app?.kill());
  });

  async function openFreshPage(target = '/'): Promise<void> {
    if (browser === undefined) throw new Error('the browser did not start');
    await context?.close();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    watch = watchPage(page, origin());
    await page.goto(`${origin()}${target}`);
  }

  /** Submits the login form and waits for the server's answer. */
  const logIn = (password: string, name = loginName) => submitLogin(page, name, password);

  it('sends a visitor without a session to the login page (axe: no serious issue)', async () => {
    await openFreshPage('/settings');
    await expect.poll(path, eventually).toBe('/login');
    await expect.poll(() => heading().textContent(), eventually).toBe('ログイン');
    expect(await page.title()).toBe('ログイン | 守り Mamori');
    expect(await page.getByLabel('ログイン名').getAttribute('autocomplete')).toBe('username');
    expect(await field(page, 'パスワード').getAttribute('autocomplete')).toBe('current-password');
    axeViolations.push(...(await seriousAxeViolations(page, 'login')));
    await page.screenshot({ path: join(artifactsDir(), 'login-ja.png'), fullPage: true });
  });

  it('std-7.2.3: a wrong password and an unknown login name get the same generic error', async () => {
    await logIn('まちがったパスワードですよ');
    const alert = page.getByTestId('error-message');
    await expect
      .poll(() => alert.textContent(), eventually)
      .toContain('ログイン名またはパスワードが正しくない');
    const wrongPassword = await alert.textContent();
    await logIn('まちがったパスワードですよ', 'no-such-user');
    await expect.poll(() => alert.textContent(), eventually).toBe(wrongPassword);
    expect(path()).toBe('/login');
  });

  it('std-7.2.4.2: the temporary password leads only to the password change, which shows the rules and refusals', async () => {
    await logIn(temporaryPassword);
    await expect.poll(path, eventually).toBe('/login/change-password');
    await expect.poll(() => heading().textContent(), eventually).toBe('パスワードの変更');
    expect(await page.getByTestId('password-rules').textContent()).toMatch(/\d+文字以上/);
    // Nothing else is reachable: the app routes back to the password change.
    await page.goto(`${origin()}/settings/security`);
    await expect.poll(path, eventually).toBe('/login/change-password');
    await expect.poll(() => heading().textContent(), eventually).toBe('パスワードの変更');

    await submitPasswordChange(page, temporaryPassword, 'password');
    const alert = page.getByTestId('error-message');
    await expect
      .poll(() => alert.textContent(), eventually)
      .toContain('このパスワードは使用できません');
    expect(await alert.textContent()).toContain('パスワードが短すぎます');

    await submitPasswordChange(page, temporaryPassword, newPassword);
    await expect.poll(path, eventually).toBe('/login/mfa-enrolment');
  });

  it('std-5.4.2: enrolment of an authenticator app is forced, then recovery codes are shown once', async () => {
    await expect.poll(() => heading().textContent(), eventually).toBe('多要素認証の登録');
    axeViolations.push(...(await seriousAxeViolations(page, 'mfa enrolment')));
    totpSecret = await startTotpEnrolment(page);
    expect(await page.getByTestId('totp-uri').getAttribute('href')).toMatch(/^otpauth:\/\/totp\//);
    axeViolations.push(...(await seriousAxeViolations(page, 'totp enrolment')));
    await page.screenshot({ path: join(artifactsDir(), 'mfa-enrolment-ja.png'), fullPage: true });

    await completeTotpEnrolment(page, totpSecret);

    const codes = page.getByTestId('recovery-codes');
    expect(await codes.locator('li').count()).toBeGreaterThanOrEqual(8);
    axeViolations.push(...(await seriousAxeViolations(page, 'recovery codes')));
    expect(await page.getByRole('button', { name: '利用を開始する' }).isDisabled()).toBe(true);
    await acknowledgeRecoveryCodes(page);
  });

  it('std-7.2.3: home shows the previous-login notice, the user name and a logout button', async () => {
    // Back to the page asked for before the login steps, then home from the menu.
    await expect.poll(path, eventually).toBe('/settings/security');
    await page
      .getByRole('navigation', { name: 'メインメニュー' })
      .getByRole('link', { name: 'ホーム' })
      .click();
    // Not hovering the menu (a hovered link is styled differently for axe).
    await page.mouse.move(0, 0);
    await expect.poll(path, eventually).toBe('/');
    await expect.poll(() => heading().textContent(), eventually).toBe('ホーム');
    const notice = page.getByTestId('previous-login');
    await expect.poll(() => notice.count(), eventually).toBe(1);
    expect(await notice.textContent()).toMatch(/今回が初めてのログインです|前回のログイン：/);
    // The wrong password typed for this account before (the unknown name is not its failure).
    expect(await page.getByTestId('failed-attempts').textContent()).toContain('1 回');
    expect(await page.getByTestId('user-name').textContent()).toBe(displayName);
    expect(
      await page.getByRole('banner').getByRole('link', { name: 'セキュリティ設定' }).count(),
    ).toBe(1);
    axeViolations.push(...(await seriousAxeViolations(page, 'home (logged in)')));
  });

  it('shows the own sessions and, from its permission, the accounts administration', async () => {
    await page.getByRole('banner').getByRole('link', { name: 'セキュリティ設定' }).click();
    await expect.poll(() => heading().textContent(), eventually).toBe('セキュリティ設定');
    await expect.poll(() => page.getByTestId('own-sessions').count(), eventually).toBe(1);
    expect(await page.getByTestId('own-sessions').textContent()).toContain('この画面');
    await expect
      .poll(() => page.getByTestId('totp-status').textContent(), eventually)
      .toContain('登録日時');
    axeViolations.push(...(await seriousAxeViolations(page, 'security settings')));

    // std-7.2.5: a privileged change answers step_up_required; the dialog asks for a factor and
    // the call is sent again (new recovery codes appear without a second click).
    await page.getByRole('button', { name: 'リカバリーコードを再発行' }).click();
    const dialog = page.getByRole('dialog', { name: '本人確認' });
    await expect.poll(() => dialog.count(), eventually).toBe(1);
    // Colours are judged once the dialog has faded in (Mantine's transition takes 200 ms).
    await sleep(500);
    axeViolations.push(...(await seriousAxeViolations(page, 'step-up dialog')));
    await submitTotpCode(dialog, totpSecret);
    await expect.poll(() => page.getByTestId('recovery-codes').count(), eventually).toBe(1);
    await expect.poll(() => dialog.count(), eventually).toBe(0);
    await acknowledgeRecoveryCodes(page);
    await expect
      .poll(() => page.getByTestId('recovery-codes-remaining').textContent(), eventually)
      .toMatch(/未使用のコード：\d+ 件/);

    await page.goto(`${origin()}/settings`);
    await expect.poll(() => heading().textContent(), eventually).toBe('設定');
    await page.getByRole('link', { name: 'アカウント管理' }).click();
    await expect.poll(() => heading().textContent(), eventually).toBe('アカウント管理');
    await expect.poll(() => page.getByTestId('accounts').count(), eventually).toBe(1);
    expect(await page.getByTestId('accounts').textContent()).toContain(loginName);
    axeViolations.push(...(await seriousAxeViolations(page, 'accounts')));
  });

  it('logs out, then logs in again with password and authenticator code; home shows the previous login time', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'ログアウト' }).click();
    await expect.poll(path, eventually).toBe('/login');
    // The session is gone on the server too: the app stays on the login page after a reload.
    await page.goto(`${origin()}/`);
    await expect.poll(path, eventually).toBe('/login');

    await login(page, origin(), { loginName, password: newPassword, totpSecret });
    expect(path()).toBe('/');
    const notice = page.getByTestId('previous-login');
    await expect.poll(() => notice.textContent(), eventually).toContain('前回のログイン：');
    // The time in Asia/Tokyo, in 西暦 by default, and where it came from.
    expect(await notice.textContent()).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}/);
    expect(await notice.textContent()).toContain('127.0.0.1');
    await page.screenshot({
      path: join(artifactsDir(), 'home-previous-login-ja.png'),
      fullPage: true,
    });
  });

  it('std-5.4.2: adds a security key (after a step-up) and logs in with it (virtual authenticator)', async () => {
    // Chromium's virtual authenticator: a USB key with user verification (所持 + 存在).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'usb',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    await page.getByRole('banner').getByRole('link', { name: 'セキュリティ設定' }).click();
    await expect.poll(() => heading().textContent(), eventually).toBe('セキュリティ設定');
    await page.getByRole('button', { name: 'セキュリティキー・パスキーを追加' }).click();
    await field(page, 'キーの名前').fill('青いセキュリティキー');
    await page.getByRole('button', { name: 'セキュリティキーを登録' }).click();
    // The new login is not elevated: adding a factor asks for a step-up first (std-7.2.5).
    const dialog = page.getByRole('dialog', { name: '本人確認' });
    await expect.poll(() => dialog.count(), eventually).toBe(1);
    await submitTotpCode(dialog, totpSecret);
    await expect
      .poll(() => page.getByTestId('security-keys').textContent(), eventually)
      .toContain('青いセキュリティキー');

    await page.getByRole('banner').getByRole('button', { name: 'ログアウト' }).click();
    await expect.poll(path, eventually).toBe('/login');
    await logIn(newPassword);
    await expect.poll(path, eventually).toBe('/login/mfa');
    await expect.poll(() => heading().textContent(), eventually).toBe('多要素認証');
    axeViolations.push(...(await seriousAxeViolations(page, 'second factor')));
    await page.getByRole('tab', { name: 'セキュリティキー・パスキー' }).click();
    await page.getByRole('button', { name: 'セキュリティキー・パスキーで認証' }).click();
    await expect.poll(path, eventually).toBe('/');
    await expect
      .poll(() => page.getByTestId('user-name').textContent(), eventually)
      .toBe(displayName);
  });

  it('std-7.2.4.2: an administrator creates an account (temporary password shown once) and disables it', async () => {
    await page.goto(`${origin()}/settings/accounts`);
    await expect.poll(() => heading().textContent(), eventually).toBe('アカウント管理');
    await page.getByRole('button', { name: 'アカウントを作成' }).click();
    const create = page.getByRole('dialog', { name: 'アカウントの作成' });
    await create.getByLabel(/^ログイン名/).fill('shiken-hanako');
    await create.getByLabel(/^氏名/).fill('試験 花子');
    await create.getByRole('button', { name: '作成して仮パスワードを発行' }).click();

    // A privileged operation (std-7.2.5): step up with the security key this time.
    const stepUp = page.getByRole('dialog', { name: '本人確認' });
    await expect.poll(() => stepUp.count(), eventually).toBe(1);
    await stepUp.getByRole('tab', { name: 'セキュリティキー・パスキー' }).click();
    await stepUp.getByRole('button', { name: 'セキュリティキー・パスキーで認証' }).click();

    const shown = page.getByRole('dialog', { name: '仮パスワード' });
    await expect.poll(() => shown.count(), eventually).toBe(1);
    expect(
      (await shown.getByTestId('temporary-password').textContent())?.length,
    ).toBeGreaterThanOrEqual(15);
    expect(await shown.textContent()).toContain('今しか表示されません');
    await sleep(500);
    axeViolations.push(...(await seriousAxeViolations(page, 'temporary password')));
    await shown.getByRole('button', { name: '閉じる' }).last().click();

    const row = page.getByRole('row').filter({ hasText: 'shiken-hanako' });
    await expect.poll(() => row.textContent(), eventually).toContain('仮パスワード');
    await row.getByRole('button', { name: '試験 花子 の操作' }).click();
    await page.getByRole('menuitem', { name: '無効にする' }).click();
    const disable = page.getByRole('dialog', { name: 'アカウントの無効化' });
    await disable.getByLabel(/^理由/).fill('試験用アカウントの整理');
    await disable.getByRole('button', { name: '無効にする' }).click();
    await expect.poll(() => row.textContent(), eventually).toContain('無効');
  });

  it('has no serious or critical accessibility violations on the pages visited (axe)', () => {
    expect(axeViolations).toEqual([]);
    // A read still in flight when the user logs out is cancelled on purpose.
    const problems = watch.problems.filter(
      (problem) => !/^request failed: \S+\/api\/\S+ net::ERR_ABORTED/.test(problem),
    );
    expect(problems).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });
});
