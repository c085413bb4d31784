import { fiscalYearOf, formatDate, formatFiscalYear, toTokyoDate } from '@mamori/policy';
import { join } from 'node:path';
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initArgs, runCli, startApp, type RunningApp } from './support/app-process.js';
import { launchBrowser } from './support/browser.js';
import { firstLogin, pathOf } from './support/login.js';
import { seriousAxeViolations, watchPage, type PageWatch } from './support/page-checks.js';
import { artifactsDir } from './support/paths.js';

/**
 * The first journey: a fresh install started with `npm start`, set up with `init` and visited by
 * its first administrator, who logs in once through the UI (every page but the login flow needs
 * a session with a second factor, std-5.4.2). Japanese first, English and 和暦 on request, every
 * menu entry a real page, accessible (axe). The API docs and /api/health need no session.
 * The first test sets up the tenant and the session the others use; they run in order.
 */
describe('journey: a fresh install, first visit', () => {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let watch: PageWatch;
  /** The session cookie of the administrator's login, given to every signed-in fresh page. */
  let sessionCookies: Cookie[] | undefined;

  const runningApp = (): RunningApp => {
    if (app === undefined) throw new Error('the app did not start');
    return app;
  };

  beforeAll(async () => {
    app = await startApp({ timeoutMs: 180_000 });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    // Only if the shutdown test did not already stop it (or failed to).
    app?.kill();
  });

  /**
   * A new browser tab with empty storage (no display preferences), as a first-time user; signed
   * in with the administrator's session unless `signedIn` is false. The browser asks for English
   * on purpose: Mamori starts in Japanese whatever the browser prefers.
   *
   * One browser context serves every tab, so its HTTP cache keeps the hashed assets: a cold load
   * fetches about a hundred font files, and the server's rate limit (600 requests a minute per
   * address) counts them.
   */
  async function openFreshPage(path = '/', { signedIn = true } = {}): Promise<void> {
    if (browser === undefined) throw new Error('the browser did not start');
    if (signedIn && sessionCookies === undefined) {
      throw new Error('no session: the first test (init and first login) did not pass');
    }
    context ??= await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
    });
    for (const open of context.pages()) await open.close();
    await context.clearCookies();
    if (signedIn) await context.addCookies(sessionCookies ?? []);
    page = await context.newPage();
    // Forget the preferences earlier tabs stored, from a same-origin page that is not the app.
    await page.goto(`${runningApp().baseUrl}/api/health`);
    await page.evaluate(() => {
      localStorage.clear();
      sessionStorage.clear();
    });
    watch = watchPage(page, runningApp().baseUrl);
    const response = await page.goto(`${runningApp().baseUrl}${path}`);
    expect(response?.status()).toBe(200);
  }

  /** Generous waits: the first load of a cold build on a 2-core machine can take seconds. */
  const eventually = { timeout: 10_000, interval: 100 };
  const heading = () => page.getByRole('heading', { level: 1 });
  const mainMenu = () => page.getByRole('navigation', { name: 'メインメニュー' });

  it('std-7.2.4.2, std-5.4.2: shows 団体未登録 on the login page until an operator runs init (CLI beside the running server), then the municipality; its administrator logs in', async () => {
    // A visitor without a session is sent to the login page, which needs none.
    await openFreshPage('/', { signedIn: false });
    await expect.poll(() => pathOf(page), eventually).toBe('/login');
    await expect
      .poll(() => page.getByRole('banner').textContent(), eventually)
      .toContain('団体未登録');
    const init = runCli(runningApp(), initArgs('admin'));
    expect(init.status, init.stderr).toBe(0);
    const printed = /一時パスワード \/ temporary password: ([A-Za-z0-9]{16})/.exec(init.stdout);
    expect(printed?.[1], init.stdout).toBeDefined();
    await openFreshPage('/', { signedIn: false });
    await expect.poll(() => pathOf(page), eventually).toBe('/login');
    await expect
      .poll(() => page.getByTestId('tenant-name').textContent(), eventually)
      .toBe('架空市');

    await firstLogin(page, runningApp().baseUrl, {
      loginName: 'admin',
      temporaryPassword: printed?.[1] ?? '',
    });
    expect(pathOf(page)).toBe('/');
    await expect.poll(() => heading().textContent(), eventually).toBe('ホーム');
    // Fresh pages from here on share this session, not the display preferences.
    sessionCookies = await page.context().cookies();
    expect(watch.problems).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });

  it('renders the shell in Japanese with lang="ja"', async () => {
    await openFreshPage('/');
    await expect.poll(() => heading().textContent(), eventually).toBe('ホーム');
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.getByRole('banner').textContent()).toContain('守り Mamori');
    expect(await page.getByTestId('tenant-name').textContent()).toBe('架空市');
    for (const label of [
      'ホーム',
      '情報資産',
      '情報セキュリティインシデント',
      '承認',
      '組織',
      'タスク',
      '監査',
      '例外措置',
      'レポート',
      '操作ログ',
      '設定',
    ]) {
      expect(await mainMenu().getByRole('link', { name: label, exact: true }).count(), label).toBe(
        1,
      );
    }
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.title()).toBe('ホーム | 守り Mamori');
    expect(watch.problems).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });

  it('shows the system status from /api/health as OK; /api/health itself needs no session', async () => {
    const response = await fetch(`${runningApp().baseUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });

    await openFreshPage('/');
    const status = page.getByTestId('health-status');
    await expect
      .poll(() => status.getAttribute('data-status'), { ...eventually, timeout: 15_000 })
      .toBe('ok');
    expect(await status.textContent()).toContain('正常');
  });

  it('shows today and the current 年度 in 西暦, and in 和暦 (令和) once chosen, remembered', async () => {
    await openFreshPage('/');
    const expected = (calendar: 'gregorian' | 'wareki') => {
      const today = toTokyoDate(new Date());
      return {
        today: formatDate(today, { calendar, locale: 'ja' }),
        fiscalYear: formatFiscalYear(fiscalYearOf(today), calendar, 'ja'),
      };
    };
    await expect
      .poll(() => page.getByTestId('today').textContent(), eventually)
      .toBe(expected('gregorian').today);
    expect(await page.getByTestId('fiscal-year').textContent()).toBe(
      expected('gregorian').fiscalYear,
    );

    await page.getByRole('radiogroup', { name: '日付の表示' }).getByText('和暦').click();
    await expect.poll(() => page.getByTestId('today').textContent(), eventually).toContain('令和');
    expect(await page.getByTestId('today').textContent()).toBe(expected('wareki').today);
    expect(await page.getByTestId('fiscal-year').textContent()).toMatch(/^令和(元|\d+)年度$/);
    expect(await page.getByTestId('fiscal-year').textContent()).toBe(expected('wareki').fiscalYear);

    await page.reload();
    await expect.poll(() => page.getByTestId('today').textContent(), eventually).toContain('令和');
    await page.screenshot({ path: join(artifactsDir(), 'home-wareki-ja.png'), fullPage: true });
  });

  it('switches to English: labels, lang and page title change, and the choice is remembered', async () => {
    await openFreshPage('/');
    await page.getByRole('radiogroup', { name: '表示言語' }).getByText('English').click();
    await expect.poll(() => page.getAttribute('html', 'lang'), eventually).toBe('en');
    await expect.poll(() => heading().textContent(), eventually).toBe('Home');
    const menu = page.getByRole('navigation', { name: 'Main menu' });
    expect(await menu.getByRole('link', { name: 'Information assets' }).count()).toBe(1);
    expect(await menu.getByRole('link', { name: '情報資産' }).count()).toBe(0);
    expect(await page.title()).toBe('Home | 守り Mamori');
    await expect
      .poll(() => page.getByTestId('health-status').textContent(), {
        ...eventually,
        timeout: 15_000,
      })
      .toContain('OK');

    await page.reload();
    await expect.poll(() => heading().textContent(), eventually).toBe('Home');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.screenshot({ path: join(artifactsDir(), 'home-en.png'), fullPage: true });

    await page.getByRole('radiogroup', { name: 'Language' }).getByText('日本語').click();
    await expect.poll(() => heading().textContent(), eventually).toBe('ホーム');
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
  });

  it('opens a client route from the address bar (index.html fallback) with a 準備中 notice', async () => {
    await openFreshPage('/information-assets');
    await expect.poll(() => heading().textContent(), eventually).toBe('情報資産');
    expect(await page.getByRole('main').textContent()).toContain('準備中');
    expect(await page.title()).toBe('情報資産 | 守り Mamori');
    const current = mainMenu().getByRole('link', { name: '情報資産' });
    expect(await current.getAttribute('aria-current')).toBe('page');
    expect(watch.problems).toEqual([]);
  });

  it('navigates with the menu and moves focus to the new page heading', async () => {
    await openFreshPage('/');
    await expect.poll(() => heading().textContent(), eventually).toBe('ホーム');
    await mainMenu().getByRole('link', { name: '監査' }).click();
    await expect.poll(() => new URL(page.url()).pathname, eventually).toBe('/audits');
    await expect.poll(() => heading().textContent(), eventually).toBe('監査');
    await expect.poll(() => page.locator('main h1:focus').count(), eventually).toBe(1);
    expect(await page.getByRole('main').textContent()).toContain('準備中');
  });

  it('lets keyboard users skip to the main content', async () => {
    await openFreshPage('/');
    await expect.poll(() => heading().textContent(), eventually).toBe('ホーム');
    await page.keyboard.press('Tab');
    const skipLink = page.getByRole('link', { name: '本文へスキップ' });
    expect(await skipLink.getAttribute('href')).toBe('#main-content');
    expect(await page.locator('a.skip-link:focus').count()).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('main#main-content:focus').count(), eventually).toBe(1);
  });

  it('shows a not-found page for an unknown client route, inside the shell', async () => {
    await openFreshPage('/no-such-page');
    await expect.poll(() => heading().textContent(), eventually).toBe('ページが見つかりません');
    expect(await mainMenu().getByRole('link', { name: 'ホーム' }).count()).toBe(1);
    await page.getByRole('main').getByRole('link', { name: 'ホームへ戻る' }).click();
    await expect.poll(() => heading().textContent(), eventually).toBe('ホーム');
  });

  it('serves the API docs page under the same CSP, with nothing fetched from elsewhere', async () => {
    await openFreshPage('/api/docs/', { signedIn: false });
    await expect
      .poll(() => page.locator('.swagger-ui .title').first().textContent(), eventually)
      .toContain('Mamori API');
    await expect.poll(() => page.getByText('/api/health').count(), eventually).toBeGreaterThan(0);
    expect(watch.problems).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });

  it('has no serious or critical accessibility violations (axe, WCAG 2.x AA)', async () => {
    const violations: string[] = [];
    await openFreshPage('/');
    await expect
      .poll(() => page.getByTestId('health-status').getAttribute('data-status'), {
        ...eventually,
        timeout: 15_000,
      })
      .toBe('ok');
    violations.push(...(await seriousAxeViolations(page, 'home (ja)')));
    await page.screenshot({ path: join(artifactsDir(), 'home-ja.png'), fullPage: true });

    await page.getByRole('radiogroup', { name: '日付の表示' }).getByText('和暦').click();
    await page.getByRole('radiogroup', { name: '表示言語' }).getByText('English').click();
    await expect.poll(() => heading().textContent(), eventually).toBe('Home');
    violations.push(...(await seriousAxeViolations(page, 'home (en, wareki)')));

    for (const path of ['/incidents', '/no-such-page']) {
      await openFreshPage(path);
      await expect.poll(() => heading().count(), eventually).toBe(1);
      violations.push(...(await seriousAxeViolations(page, path)));
    }
    // The login page, where a visitor without a session is sent.
    await openFreshPage('/', { signedIn: false });
    await expect.poll(() => heading().textContent(), eventually).toBe('ログイン');
    violations.push(...(await seriousAxeViolations(page, '/login')));
    expect(violations).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });

  it('std-7.1.6: the administrator (tenant_admin) finds the login events in 操作ログ and verifies the chain (axe: no serious issue)', async () => {
    await openFreshPage('/');
    await expect.poll(() => heading().textContent(), eventually).toBe('ホーム');
    await mainMenu().getByRole('link', { name: '操作ログ', exact: true }).click();
    await expect.poll(() => pathOf(page), eventually).toBe('/operation-log');
    await expect.poll(() => heading().textContent(), eventually).toBe('操作ログ');
    const table = page.getByTestId('operation-log-table');
    await expect.poll(() => table.count(), eventually).toBe(1);
    // The first login above: password, forced change, enrolment of the authenticator app.
    const actions = await table.locator('tbody tr td:nth-child(4)').allTextContents();
    expect(actions).toEqual(
      expect.arrayContaining([
        'identity.login_attempted',
        'identity.password_changed',
        'identity.mfa_enrolled',
      ]),
    );

    // std-7.1.4.2: the hash chain and its signed checkpoints verify.
    await page.getByRole('button', { name: '検証する', exact: true }).click();
    const result = page.getByTestId('verification-result');
    await expect.poll(() => result.getAttribute('data-ok'), eventually).toBe('true');
    expect(await result.textContent()).toContain('改ざんは検出されませんでした');
    // Not hovering the button just clicked (a hovered control is styled differently for axe).
    await page.mouse.move(1, 1);
    expect(await seriousAxeViolations(page, '/operation-log')).toEqual([]);
    await page.screenshot({ path: join(artifactsDir(), 'operation-log-ja.png'), fullPage: true });
    expect(watch.problems).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });

  it('shuts down cleanly: SIGTERM to the process group, exit code 0 within 30 s', async () => {
    await context?.close();
    const exit = await runningApp().stop(30_000);
    // npm re-raises the signal its child shell died of. The server exiting 0 is not enough: the
    // start script must `exec` it (`… && NODE_ENV=production exec node apps/server/dist/main.js`)
    // so the shell becomes the server and npm sees its exit code.
    const hint =
      exit.signal === null
        ? 'see e2e/artifacts/server.log'
        : `npm died of ${exit.signal}: does the start script exec the server? ` +
          'See e2e/artifacts/server.log';
    expect(exit, hint).toEqual({ code: 0, signal: null });
  });
});
