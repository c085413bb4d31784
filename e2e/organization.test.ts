import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startApp, type RunningApp } from './support/app-process.js';
import { launchBrowser } from './support/browser.js';
import { firstLogin } from './support/login.js';
import { seriousAxeViolations, watchPage, type PageWatch } from './support/page-checks.js';
import { artifactsDir } from './support/paths.js';

/**
 * The organization through the real UI, on the synthetic municipality of `demo` (架空市): the
 * unit tree by date, a 課 and its security_manager, the role overview with the problems the demo
 * leaves on purpose (std-2.9.2, cardinality), an HR import in Shift_JIS with a bad row (nothing
 * applied, errors by row and column), and a section chief who sees only their 課's people
 * details. Steps depend on each other and run in order.
 */
describe('journey: organization (units, roles, HR import)', () => {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let watch: PageWatch;
  const axeViolations: string[] = [];
  const temporaryPasswords = new Map<string, string>();

  const runningApp = (): RunningApp => {
    if (app === undefined) throw new Error('the app did not start');
    return app;
  };
  const eventually = { timeout: 20_000, interval: 100 };
  const heading = () => page.getByRole('heading', { level: 1 });
  const path = () => new URL(page.url()).pathname;

  beforeAll(async () => {
    app = await startApp({ timeoutMs: 180_000 });
    browser = await launchBrowser();
    const demo = runCli(app, ['demo']);
    expect(demo.status, demo.stderr + demo.stdout).toBe(0);
    const admin = /temporary password: (\S+)/.exec(demo.stdout);
    if (admin?.[1] === undefined)
      throw new Error(`demo printed no admin password:\n${demo.stdout}`);
    temporaryPasswords.set('demo-admin', admin[1]);
    for (const match of demo.stdout.matchAll(
      /^\s+(demo-[a-z]+)\s+\S+ \S+\s+(\S+)\s+\(expires/gmu,
    )) {
      if (match[1] !== undefined && match[2] !== undefined)
        temporaryPasswords.set(match[1], match[2]);
    }
  }, 300_000);

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
    page.setDefaultTimeout(15_000);
    watch = watchPage(page, runningApp().baseUrl);
    await page.goto(`${runningApp().baseUrl}${target}`);
  }

  /** First login of a demo account (the shared UI flow), in a fresh tab; ends on home. */
  async function firstLoginAs(loginName: string): Promise<void> {
    const temporaryPassword = temporaryPasswords.get(loginName);
    if (temporaryPassword === undefined) throw new Error(`no temporary password for ${loginName}`);
    await openFreshPage('/login');
    await firstLogin(page, runningApp().baseUrl, { loginName, temporaryPassword });
    expect(path()).toBe('/');
  }

  /** axe on the current page, with the pointer moved off any link it clicked (no hover state). */
  async function scan(label: string): Promise<string[]> {
    await page.mouse.move(1, 1);
    return seriousAxeViolations(page, label);
  }

  /** A GET of the API from inside the logged-in page (same cookies). */
  async function apiJson<T>(apiPath: string): Promise<T> {
    return page.evaluate(async (p) => {
      const response = await fetch(`/api${p}`, { credentials: 'same-origin' });
      return await response.json();
    }, apiPath) as Promise<T>;
  }

  it('the admin sees the unit tree of today with unit kinds and out-of-scope units (pol-4.1)', async () => {
    await firstLoginAs('demo-admin');
    await page
      .getByRole('navigation', { name: 'メインメニュー' })
      .getByRole('link', { name: '組織', exact: true })
      .click();
    await expect.poll(path, eventually).toBe('/organization');
    await expect.poll(() => heading().textContent(), eventually).toBe('組織');
    const tree = page.getByTestId('unit-tree');
    await expect.poll(() => tree.count(), eventually).toBe(1);
    const text = (await tree.textContent()) ?? '';
    expect(text).toContain('部局');
    expect(text).toContain('課');
    expect(text).toContain('情報政策課');
    // 学校・病院 are listed but marked outside the policy (方針4(1)).
    expect(text).toContain('適用範囲外');
    await expect.poll(() => page.getByTestId('people-table').count(), eventually).toBe(1);
    axeViolations.push(...(await scan('organization home')));
    await page.screenshot({ path: join(artifactsDir(), 'organization-ja.png'), fullPage: true });
  });

  it('shows the tree as of a date: before the demo organization began (4月1日) there is none', async () => {
    const tree = await apiJson<{ units: { validFrom: string }[] }>('/organization/units');
    const start = tree.units.map((u) => u.validFrom).sort()[0] ?? '';
    expect(start).toMatch(/^\d{4}-04-01$/);
    const dayBefore = new Date(`${start}T00:00:00Z`);
    dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
    await page.getByLabel('基準日').fill(dayBefore.toISOString().slice(0, 10));
    await expect
      .poll(() => page.getByText('この日の組織は登録されていません。').count(), eventually)
      .toBe(1);
    await page.getByLabel('基準日').fill(start);
    await expect.poll(() => page.getByTestId('unit-tree').count(), eventually).toBe(1);
  });

  it('searches people by a partial reading in hiragana (folded by the server)', async () => {
    const table = page.getByTestId('people-table');
    const firstKana =
      (await table.locator('tbody tr').first().locator('td').first().textContent()) ?? '';
    const family = firstKana.split(' ')[0] ?? '';
    expect(family.length).toBeGreaterThan(1);
    // Katakana → hiragana: the server ignores the difference.
    const hiragana = family.replace(/[\u30a1-\u30f6]/gu, (c) =>
      String.fromCharCode(c.charCodeAt(0) - 0x60),
    );
    await page.getByLabel(/氏名・フリガナ・職員番号で検索/).fill(hiragana.slice(0, 2));
    await expect
      .poll(async () => {
        const rows = await table.locator('tbody tr').allTextContents();
        return rows.length > 0 && rows.every((row) => row.includes(family.slice(0, 2)));
      }, eventually)
      .toBe(true);
  });

  it('opens a 課 and shows its security_manager with the scope', async () => {
    await page.goto(`${runningApp().baseUrl}/organization`);
    await page
      .getByTestId('unit-tree')
      .getByRole('link', { name: '情報政策課', exact: true })
      .click();
    await expect.poll(() => heading().textContent(), eventually).toBe('情報政策課');
    expect(await page.getByTestId('unit-kind').textContent()).toBe('課');
    const holders = page.getByTestId('unit-role-holders');
    await expect.poll(() => holders.count(), eventually).toBe(1);
    const manager = holders.locator('tr[data-role="security_manager"]');
    expect(await manager.count()).toBe(1);
    expect(await manager.textContent()).toContain('情報セキュリティ管理者');
    expect(await manager.textContent()).toContain('情報政策課');
    expect(await page.getByTestId('unit-members').locator('tbody tr').count()).toBeGreaterThan(0);
    // Actions come from the server's abilities: the admin manages units.
    expect(await page.getByRole('button', { name: '名称変更・移動' }).count()).toBe(1);
    axeViolations.push(...(await scan('unit page')));
    await page.screenshot({
      path: join(artifactsDir(), 'organization-unit-ja.png'),
      fullPage: true,
    });

    // The person page of the security manager: roles with dates.
    await manager.getByRole('link').nth(1).click();
    await expect.poll(() => page.getByTestId('person-facts').count(), eventually).toBe(1);
    expect(await page.getByTestId('person-facts').textContent()).toContain('職員');
    await expect.poll(() => page.getByTestId('person-roles-current').count(), eventually).toBe(1);
    expect(await page.getByTestId('person-roles-current').textContent()).toContain(
      '情報セキュリティ管理者',
    );
    axeViolations.push(...(await scan('person page')));
  });

  it('std-2.9.2, cardinality: the role overview shows the demo’s deliberate problems with clause and explanation', async () => {
    await page.goto(`${runningApp().baseUrl}/organization/roles`);
    await expect.poll(() => heading().textContent(), eventually).toBe('役割の担当者');
    const problems = page.getByTestId('role-problems');
    await expect.poll(() => problems.count(), eventually).toBe(1);
    // 国際交流課 is left without a security_manager.
    const missing = problems.locator('tr[data-problem-code="missing_holder"]');
    expect(await missing.count()).toBeGreaterThan(0);
    expect(await missing.allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('国際交流課')]),
    );
    expect(await missing.first().textContent()).toContain('担当者がいません');
    expect(await missing.first().textContent()).toContain('根拠：');
    // The 統括 also audits (std-2.9.2): recorded as an exception, so shown as a warning.
    const selfAudit = problems.locator(
      'tr[data-problem-code="auditor_is_auditee"], tr[data-problem-code="exception_recorded"]',
    );
    expect(await selfAudit.count()).toBeGreaterThan(0);
    expect(await selfAudit.first().textContent()).toMatch(/兼務の禁止/);
    // The overview table highlights the rows with problems.
    const highlighted = page.locator('[data-testid="role-overview"] tr[data-has-problem="true"]');
    expect(await highlighted.count()).toBeGreaterThan(0);
    expect(await page.getByTestId('privileged-count').textContent()).toMatch(/\d+名（上限 \d+名）/);
    axeViolations.push(...(await scan('role overview')));
    await page.screenshot({
      path: join(artifactsDir(), 'organization-roles-ja.png'),
      fullPage: true,
    });
  });

  it('HR import: a Shift_JIS CSV with one bad row shows the error by row and column and applies nothing', async () => {
    const units = await apiJson<{ units: { name: string; code: string | null }[] }>(
      '/organization/units',
    );
    const code = units.units.find((u) => u.name === '情報政策課')?.code;
    expect(code).toBeTruthy();
    const csv = [
      '職員番号,氏,名,氏（フリガナ）,名（フリガナ）,所属コード,雇用区分',
      `E2E901,取込,一郎,トリコミ,イチロウ,${code ?? ''},職員`,
      `E2E902,取込,二郎,取込,ジロウ,${code ?? ''},職員`,
    ].join('\r\n');
    await page.goto(`${runningApp().baseUrl}/organization/import`);
    await expect.poll(() => heading().textContent(), eventually).toBe('人事データの取り込み・出力');
    await page.locator('input[type="file"]').setInputFiles({
      name: '職員.csv',
      mimeType: 'text/csv',
      buffer: iconv.encode(`${csv}\r\n`, 'cp932'),
    });
    await page.getByRole('button', { name: '確認する（まだ反映しません）' }).click();
    const errors = page.getByTestId('import-errors');
    await expect.poll(() => errors.count(), eventually).toBe(1);
    const bad = errors.locator('tr[data-row="3"]');
    expect(await bad.count()).toBeGreaterThan(0);
    // The column by its letter and header, as the file has it (D 氏（フリガナ）).
    expect(await bad.first().getAttribute('data-column')).toContain('氏（フリガナ）');
    expect(await bad.first().textContent()).toContain('氏（フリガナ）');
    expect(await bad.first().textContent()).toContain('カタカナ');
    expect(await page.getByTestId('import-invalid').textContent()).toContain(
      '何も反映されていません',
    );
    expect(await page.getByTestId('import-summary').textContent()).toContain('全2行');
    expect(
      await page.getByTestId('import-rows').locator('tr[data-row="3"]').getAttribute('data-action'),
    ).toBe('error');
    // All-or-nothing: no apply button, and the valid row was not written.
    expect(await page.getByTestId('import-apply').count()).toBe(0);
    const found = await apiJson<{ total: number }>('/organization/people?q=E2E901');
    expect(found.total).toBe(0);
    axeViolations.push(...(await scan('import preview')));
    await page.screenshot({
      path: join(artifactsDir(), 'organization-import-ja.png'),
      fullPage: true,
    });
  });

  it('a section chief sees their own 課’s people details but not another 課’s', async () => {
    await firstLoginAs('demo-kanzai');
    const people = await apiJson<{
      items: { id: string; primaryUnit: { name: string } | null }[];
    }>('/organization/people?pageSize=200');
    const own = people.items.find((p) => p.primaryUnit?.name === '管財課');
    const other = people.items.find(
      (p) =>
        p.primaryUnit !== null &&
        p.primaryUnit.name !== '管財課' &&
        !p.primaryUnit.name.startsWith('管財'),
    );
    expect(own).toBeDefined();
    expect(other).toBeDefined();
    await page.goto(`${runningApp().baseUrl}/organization/people/${own?.id ?? ''}`);
    await expect.poll(() => page.getByTestId('person-facts').count(), eventually).toBe(1);
    expect(await page.getByTestId('person-restricted').count()).toBe(0);
    expect(await page.getByTestId('person-facts').textContent()).toContain('メール');
    await page.goto(`${runningApp().baseUrl}/organization/people/${other?.id ?? ''}`);
    await expect.poll(() => page.getByTestId('person-restricted').count(), eventually).toBe(1);
    expect(await page.getByTestId('person-facts').textContent()).not.toContain('メール');
    // A section chief does not manage the organization: no unit actions.
    await page.goto(`${runningApp().baseUrl}/organization`);
    await page.getByTestId('unit-tree').getByRole('link', { name: '管財課', exact: true }).click();
    await expect.poll(() => heading().textContent(), eventually).toBe('管財課');
    expect(await page.getByRole('button', { name: '名称変更・移動' }).count()).toBe(0);
    axeViolations.push(...(await scan('unit page (section chief)')));
  });

  it('has no serious or critical accessibility violations on the organization pages (axe)', () => {
    expect(axeViolations).toEqual([]);
    expect(watch.problems).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });
});
