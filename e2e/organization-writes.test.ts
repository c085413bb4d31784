import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startApp, type RunningApp } from './support/app-process.js';
import { launchBrowser } from './support/browser.js';
import { firstLogin, submitTotpCode, type LoginCredentials } from './support/login.js';
import { seriousAxeViolations, watchPage, type PageWatch } from './support/page-checks.js';

/**
 * The write forms of the organization pages through the real UI, as the demo administrator
 * (tenant_admin, who holds role_assignment:manage and organization:import) on the synthetic
 * municipality of `demo` (架空市): assigning a role behind the step-up dialog (std-7.2.5) and
 * ending it, naming a deputy (std-7.2.1.3b), and an HR import applied with its progress. Steps
 * depend on each other and run in order.
 */
describe('journey: organization writes (roles, deputies, HR import)', () => {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let watch: PageWatch;
  let admin: LoginCredentials;
  let adminTemporaryPassword = '';
  const axeViolations: string[] = [];

  const runningApp = (): RunningApp => {
    if (app === undefined) throw new Error('the app did not start');
    return app;
  };
  const eventually = { timeout: 20_000, interval: 100 };
  const heading = () => page.getByRole('heading', { level: 1 });
  const stepUpDialog = () => page.getByRole('dialog', { name: '本人確認' });

  /** A calendar date in Tokyo time (the app's dates), `days` from today. */
  const tokyoDate = (days = 0): string =>
    new Date(Date.now() + 9 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    app = await startApp({ timeoutMs: 180_000 });
    browser = await launchBrowser();
    const demo = runCli(app, ['demo']);
    expect(demo.status, demo.stderr + demo.stdout).toBe(0);
    const password = /temporary password: (\S+)/.exec(demo.stdout)?.[1];
    if (password === undefined) throw new Error(`demo printed no admin password:\n${demo.stdout}`);
    adminTemporaryPassword = password;
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    if (app !== undefined) await app.stop(30_000).catch(() => app?.kill());
  });

  /** axe on the current page once a dialog has faded in (Mantine's transition takes 200 ms). */
  async function scanDialog(label: string): Promise<void> {
    await sleep(500);
    await page.mouse.move(1, 1);
    axeViolations.push(...(await seriousAxeViolations(page, label)));
  }

  /** A GET of the API from inside the logged-in page (same cookies). */
  async function apiJson<T>(apiPath: string): Promise<T> {
    return page.evaluate(async (p) => {
      const response = await fetch(`/api${p}`, { credentials: 'same-origin' });
      return await response.json();
    }, apiPath) as Promise<T>;
  }

  /** Answers the step-up dialog if the server asked for one before `done` became true. */
  async function passStepUpIfAsked(done: () => Promise<boolean>): Promise<void> {
    await expect
      .poll(async () => (await stepUpDialog().count()) > 0 || (await done()), eventually)
      .toBe(true);
    if ((await stepUpDialog().count()) > 0) await submitTotpCode(stepUpDialog(), admin.totpSecret);
  }

  /** Picks a person in a PersonPicker by a search text, then the option naming them. */
  async function pickPerson(input: Locator, search: string, optionText: string): Promise<void> {
    await input.fill(search);
    const option = page.getByRole('option').filter({ hasText: optionText }).first();
    await expect.poll(() => option.count(), eventually).toBe(1);
    await option.click();
  }

  interface PersonRow {
    id: string;
    familyName: string;
    givenName: string;
    employeeNumber?: string | null;
    primaryUnit: { id: string; name: string } | null;
  }
  const fullName = (p: PersonRow) => `${p.familyName} ${p.givenName}`;

  async function peopleOf(unitName: string): Promise<PersonRow[]> {
    const people = await apiJson<{ items: PersonRow[] }>('/organization/people?pageSize=200');
    return people.items.filter((p) => p.primaryUnit?.name === unitName);
  }

  async function openUnit(name: string): Promise<void> {
    await page.goto(`${runningApp().baseUrl}/organization`);
    await page.getByTestId('unit-tree').getByRole('link', { name, exact: true }).click();
    await expect.poll(() => heading().textContent(), eventually).toBe(name);
  }

  it('logs in as the demo administrator', async () => {
    if (browser === undefined) throw new Error('the browser did not start');
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watch = watchPage(page, runningApp().baseUrl);
    admin = await firstLogin(page, runningApp().baseUrl, {
      loginName: 'demo-admin',
      temporaryPassword: adminTemporaryPassword,
    });
  });

  let assignee: PersonRow;

  it('std-7.2.5: assigns a security_manager to 国際交流課 after the step-up dialog, then ends it', async () => {
    // 国際交流課 is left without a security_manager by the demo; one of its staff takes it.
    const staff = await peopleOf('国際交流課');
    expect(staff.length).toBeGreaterThan(1);
    assignee = staff[staff.length - 1] as PersonRow;
    await openUnit('国際交流課');
    await page.getByRole('button', { name: '役割を割り当てる' }).click();
    const form = page.getByRole('dialog', { name: '役割を割り当てる' });
    await expect.poll(() => form.count(), eventually).toBe(1);
    await form.getByRole('combobox', { name: /^役割/ }).fill('情報セキュリティ管理者');
    await page.getByRole('option', { name: '情報セキュリティ管理者', exact: true }).click();
    await pickPerson(
      form.getByRole('combobox', { name: /^職員/ }),
      assignee.familyName,
      fullName(assignee),
    );
    // From yesterday, so that ending it today leaves a period of one day.
    await form.getByLabel(/^開始日/).fill(tokyoDate(-1));
    await scanDialog('assign role dialog');
    await form.getByRole('button', { name: '割り当てる' }).click();

    // The login is not elevated: the server answers step_up_required and the dialog asks.
    await expect.poll(() => stepUpDialog().count(), eventually).toBe(1);
    await scanDialog('step-up dialog (assign role)');
    await submitTotpCode(stepUpDialog(), admin.totpSecret);
    // The call is sent again: the form closes and the holder is listed.
    await expect.poll(() => stepUpDialog().count(), eventually).toBe(0);
    await expect.poll(() => form.count(), eventually).toBe(0);
    const row = page
      .getByTestId('unit-role-holders')
      .locator('tr[data-role="security_manager"]')
      .filter({ hasText: fullName(assignee) });
    await expect.poll(() => row.count(), eventually).toBe(1);

    // Ending it (privileged too; the step-up may still be fresh).
    await row.getByRole('button', { name: '終了する' }).click();
    const endForm = page.getByRole('dialog', { name: '役割の割当を終了する' });
    await expect.poll(() => endForm.count(), eventually).toBe(1);
    await endForm.getByLabel(/^終了日/).fill(tokyoDate(0));
    await endForm.getByLabel(/^理由/).fill('人事異動のため（試験）');
    await scanDialog('end role dialog');
    await endForm.getByRole('button', { name: '終了する' }).click();
    await passStepUpIfAsked(async () => (await endForm.count()) === 0);
    await expect.poll(() => endForm.count(), eventually).toBe(0);
    await expect.poll(() => row.count(), eventually).toBe(0);

    // The person page lists it under ended roles, with the reason (never deleted).
    await page.goto(`${runningApp().baseUrl}/organization/people/${assignee.id}`);
    const ended = page.getByTestId('person-roles-ended');
    await expect.poll(() => ended.count(), eventually).toBe(1);
    const endedText = (await ended.textContent()) ?? '';
    expect(endedText).toContain('情報セキュリティ管理者');
    expect(endedText).toContain('国際交流課');
    expect(endedText).toContain('人事異動のため（試験）');
  });

  it('std-7.2.1.3b: names a deputy for the security_manager of 情報政策課 with a period and reason', async () => {
    await openUnit('情報政策課');
    const row = page.getByTestId('unit-role-holders').locator('tr[data-role="security_manager"]');
    await expect.poll(() => row.count(), eventually).toBe(1);
    const holderText = (await row.textContent()) ?? '';
    const deputy = (await peopleOf('情報政策課')).find((p) => !holderText.includes(fullName(p)));
    if (deputy === undefined) throw new Error('no other person in 情報政策課');

    await row.getByRole('button', { name: '代行者を指名' }).click();
    const form = page.getByRole('dialog', { name: '代行者（std-7.2.1.3b）' });
    await expect.poll(() => form.count(), eventually).toBe(1);
    await pickPerson(
      form.getByRole('combobox', { name: /^代行者/ }),
      deputy.familyName,
      fullName(deputy),
    );
    // Tomorrow's working hours (Tokyo time): a period that has not ended whatever the hour.
    await form.getByLabel(/^開始日時/).fill(`${tokyoDate(1)}T08:30`);
    await form.getByLabel(/^終了日時/).fill(`${tokyoDate(1)}T17:15`);
    await form.getByLabel(/^理由/).fill('出張のため（試験）');
    await scanDialog('deputy dialog');
    await form.getByRole('button', { name: '指名する' }).click();
    await passStepUpIfAsked(async () => (await form.count()) === 0);
    await expect.poll(() => form.count(), eventually).toBe(0);

    // The holder's person page lists the delegations of their holdings. (The role overview's
    // list shows the caller's own, or all of them for org-wide roles; tenant_admin is neither.)
    await row.getByRole('link').nth(1).click();
    await expect.poll(() => page.getByTestId('person-facts').count(), eventually).toBe(1);
    const delegation = page
      .getByTestId('delegations-table')
      .locator('tbody tr')
      .filter({ hasText: '出張のため（試験）' });
    await expect.poll(() => delegation.count(), eventually).toBe(1);
    const text = (await delegation.textContent()) ?? '';
    expect(text).toContain(fullName(deputy));
    expect(text).toContain('情報セキュリティ管理者');
    expect(text).toContain('有効');
  });

  it('HR import: a UTF-8 CSV with BOM adds one person (新規), applied with progress, found by search', async () => {
    const units = await apiJson<{ units: { name: string; code: string | null }[] }>(
      '/organization/units',
    );
    const code = units.units.find((u) => u.name === '情報政策課')?.code ?? '';
    expect(code).not.toBe('');
    const csv = [
      '職員番号,氏,名,氏（フリガナ）,名（フリガナ）,所属コード,雇用区分',
      `E2E801,試験,三郎,シケン,サブロウ,${code},職員`,
    ].join('\r\n');
    await page.goto(`${runningApp().baseUrl}/organization/import`);
    await expect.poll(() => heading().textContent(), eventually).toBe('人事データの取り込み・出力');
    await page.locator('input[type="file"]').setInputFiles({
      name: '職員_追加.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${csv}\r\n`, 'utf8'),
    });
    await page.getByRole('button', { name: '確認する（まだ反映しません）' }).click();
    const created = page.getByTestId('import-rows').locator('tr[data-row="2"]');
    await expect.poll(() => created.count(), eventually).toBe(1);
    expect(await created.getAttribute('data-action')).toBe('create');
    expect(await created.textContent()).toContain('新規');
    expect(await page.getByTestId('import-summary').textContent()).toContain('全1行');
    expect(await page.getByTestId('import-errors').count()).toBe(0);

    await page.getByTestId('import-apply').click();
    await passStepUpIfAsked(async () => (await page.getByRole('progressbar').count()) > 0);
    const result = page.getByTestId('import-result');
    await expect.poll(() => result.count(), eventually).toBe(1);
    const progress = page.getByRole('progressbar', { name: /./ });
    expect(await progress.getAttribute('aria-valuenow')).toBe('100');
    await page.mouse.move(1, 1);
    axeViolations.push(...(await seriousAxeViolations(page, 'import applied')));

    await page.goto(`${runningApp().baseUrl}/organization`);
    await page.getByLabel(/氏名・フリガナ・職員番号で検索/).fill('E2E801');
    const table = page.getByTestId('people-table');
    await expect
      .poll(async () => (await table.locator('tbody tr').allTextContents()).join('\n'), eventually)
      .toContain('試験');
  });

  it('std-6.1.1.8: records a 異動 of the imported person effective next week (予定 until then)', async () => {
    // From the search result of the previous step.
    await page
      .getByTestId('people-table')
      .locator('tbody tr')
      .filter({ hasText: 'E2E801' })
      .getByRole('link')
      .first()
      .click();
    await expect.poll(() => heading().textContent(), eventually).toBe('試験 三郎');
    await page.getByRole('button', { name: '人事異動を登録する' }).click();
    const form = page.getByRole('dialog', { name: '人事異動を登録する' });
    await expect.poll(() => form.count(), eventually).toBe(1);
    // The kind defaults to 異動.
    expect(await form.getByRole('combobox', { name: /^種別/ }).inputValue()).toBe('異動');
    await form.getByLabel(/^発令日/).fill(tokyoDate(7));
    await form.getByRole('combobox', { name: /^異動先/ }).fill('管財課');
    await page.getByRole('option').filter({ hasText: '管財課（課）' }).first().click();
    await form.getByLabel(/^理由/).fill('組織改正のため（試験）');
    await scanDialog('personnel event dialog');
    await form.getByRole('button', { name: '登録する' }).click();
    await passStepUpIfAsked(async () => (await form.count()) === 0);
    await expect.poll(() => form.count(), eventually).toBe(0);
    const events = page
      .getByTestId('person-events')
      .locator('tbody tr')
      .filter({ hasText: '異動' });
    await expect.poll(() => events.count(), eventually).toBe(1);
    expect(await events.textContent()).toContain('予定');
    // Not yet in effect: the person is still in 情報政策課 today.
    expect(await page.getByTestId('person-facts').textContent()).toContain('情報政策課');
  });

  it('has no serious or critical accessibility violations on the dialogs (axe)', () => {
    expect(axeViolations).toEqual([]);
    expect(watch.problems).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });
});
