import iconv from 'iconv-lite';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createAccount, createTenant, type TestTenant } from '../../../test/factories.js';
import { OrgFactory } from '../../../test/org-factories.js';
import { inTenant, tenantScope } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { parseTabular } from '../../platform/tabular/index.js';
import { exportOrg } from './export-org.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import {
  handleOrgImportApply,
  orgImportApplyJob,
  requestOrgImportApply,
  type OrgImportApplyData,
  type OrgImportJobDeps,
} from './import-job.js';
import { getOrgImportStatus, uploadOrgImport } from './import-plan.js';
import { PERSON_IMPORT_HEADER, personImportSpec } from './import-specs.js';
import { applyDuePersonnelEvents } from './personnel-job.js';

let db: TestDatabase;
let tenant: TestTenant;
let org: OrgFactory;
let owner: pg.Client;
let admin: { type: 'account'; id: string };
let units: { somu: string; kanzai: string; jinji: string };

async function q<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  await owner.query('BEGIN');
  await owner.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.id]);
  const r = await owner.query<T>(text, values);
  await owner.query('COMMIT');
  return r.rows;
}

const count = async (table: string) =>
  (await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n ?? -1;

/** Rows without the 委託先 column (J) get it empty; 13-cell rows are taken as they are. */
const csv = (rows: string[][]) =>
  [
    PERSON_IMPORT_HEADER,
    ...rows.map((r) => (r.length === 13 ? r : [...r.slice(0, 9), '', ...r.slice(9)])),
  ]
    .map((r) => r.join(','))
    .join('\r\n') + '\r\n';

const scope = () => tenantScope(tenant.id);
/** The jobs the service queued (this file runs the job's handler itself). */
const sent: OrgImportApplyData[] = [];
const jobs: Pick<JobRunner, 'sendInTransaction'> = {
  sendInTransaction: (_tx, job, data) => {
    if (job.name === orgImportApplyJob.name) sent.push(data as OrgImportApplyData);
    return Promise.resolve(`job-${String(sent.length)}`);
  },
};
const jobDeps = (): OrgImportJobDeps => ({
  db: db.app,
  packs: { get: () => Promise.resolve(org.pack) },
  logger: pino({ level: 'silent' }),
});
const requestApply = (id: string, planDigest: string, today: string) =>
  requestOrgImportApply(db.app, jobs, scope(), { id, accountId: admin.id, planDigest, today });
/** Requests the apply and runs the queued job (one delivery). */
async function applyNow(id: string, planDigest: string, today: string) {
  await requestApply(id, planDigest, today);
  const data = sent.at(-1);
  if (data?.importId !== id) throw new Error('no apply job was queued');
  return { data, outcome: await handleOrgImportApply(jobDeps(), data) };
}
const status = (id: string) => getOrgImportStatus(db.app, scope(), id);
const upload = (bytes: Uint8Array, today = '2026-03-20') =>
  uploadOrgImport(db.app, scope(), org.pack, {
    kind: 'people',
    bytes,
    fileName: 'jinji.csv',
    uploadedBy: admin.id,
    today: today,
  });

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.ownerUrl, { name: '架空市' });
  org = await OrgFactory.of(db.app, tenant.id);
  owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  admin = { type: 'account', id: (await createAccount(db.ownerUrl, tenant.id)).id };
  const somu = await org.unit('総務部', 'department', null, { code: '10000' });
  const kanzai = await org.unit('管財課', 'section', somu, { code: '10100' });
  const jinji = await org.unit('人事課', 'section', somu, { code: '10200' });
  units = { somu, kanzai, jinji };
});
afterAll(async () => {
  await owner.end();
  await db.drop();
});

describe('HR import of people (issue 4, std-7.3.5.1)', () => {
  it('a Shift_JIS (CP932) file with half-width kana and bad rows: every error by row and column, nothing written', async () => {
    const text = csv([
      [
        '00101',
        '試験',
        '太郎',
        'ｼｹﾝ',
        'ﾀﾛｳ',
        '10100',
        '管財課',
        '主事',
        '職員',
        'shiken.taro@kakuu-city.example',
        '2026-04-01',
        '',
      ],
      [
        '00102',
        '架空',
        '花子',
        'カクウ',
        'ハナコ',
        '99999',
        '',
        '',
        '非常勤',
        'not-an-email',
        '2026-04-01',
        '',
      ],
      ['00103', '見本', '一郎', '見本', 'イチロウ', '10200', '', '', '派遣', '', '2026/4/31', ''],
    ]);
    const bytes = iconv.encode(text, 'cp932');
    expect(bytes.includes(0xbc)).toBe(true); // ｼ is one byte in Shift_JIS
    const before = {
      people: await count('people'),
      memberships: await count('unit_memberships'),
      log: await count('operation_log'),
    };
    const preview = await upload(bytes);
    expect(preview.encoding).toBe('cp932');
    expect(preview.summary.valid).toBe(false);
    const row2 = preview.rows.find((r) => r.rowNumber === 2);
    expect(row2?.errors).toEqual([]);
    expect(row2?.action).toBe('create');
    // Half-width kana became full-width katakana.
    expect(row2?.changes).toContainEqual({
      field: 'familyNameKana',
      before: null,
      after: 'シケン',
    });
    const errors = preview.rows.flatMap((r) => r.errors).map((e) => [e.row, e.key, e.code]);
    expect(errors).toEqual(
      expect.arrayContaining([
        [3, 'email', 'invalid_format'],
        [4, 'familyNameKana', 'invalid'],
        [4, 'employment', 'invalid'],
        [4, 'effectiveDate', 'invalid'],
      ]),
    );
    const row4 = preview.rows.find((r) => r.rowNumber === 4);
    expect(row4?.errors.map((e) => e.column)).toEqual(
      expect.arrayContaining(['D 氏（フリガナ）', 'I 雇用区分', 'L 異動日']),
    );
    // The unknown 所属コード of row 3 is found once the cells are valid (checked in a second file).
    const refused = await requestApply(preview.id, preview.planDigest, '2026-03-20').then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('import_rows_invalid');
    expect((refused as AppError).details).toMatchObject({
      errorCount: errors.length + preview.fileErrors.length,
    });
    // Refused before any job is queued; the import still waits, with its errors.
    expect(sent.filter((d) => d.importId === preview.id)).toEqual([]);
    expect(await status(preview.id)).toMatchObject({ state: 'previewed', processed: 0 });
    const unknownUnit = await upload(
      iconv.encode(
        csv([['00104', '試験', '三郎', 'シケン', 'サブロウ', '99999', '', '', '職員', '', '', '']]),
        'cp932',
      ),
    );
    expect(unknownUnit.rows[0]?.errors[0]).toMatchObject({
      row: 2,
      key: 'unitCode',
      code: 'unknown_unit',
    });
    expect({
      people: await count('people'),
      memberships: await count('unit_memberships'),
      log: await count('operation_log'),
    }).toEqual(before);
  });

  it('a valid file (UTF-8 with BOM) is applied in one transaction with ONE operation-log entry', async () => {
    const text = csv([
      [
        '00201',
        '試験',
        '花子',
        'シケン',
        'ハナコ',
        '10100',
        '管財課',
        '主査',
        '職員',
        '',
        '2026-03-01',
        '',
      ],
      [
        '00202',
        '架空',
        '次郎',
        'かくう',
        'じろう',
        '10200',
        '人事課',
        '',
        '臨時',
        '',
        '2026-03-01',
        '',
      ],
      [
        '00203',
        '見本',
        '三郎',
        'ミホン',
        'サブロウ',
        '10100',
        '管財課',
        '',
        '委託',
        '架空システムサービス株式会社',
        '',
        '2026-03-01',
        '',
      ],
    ]);
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const preview = await upload(bytes);
    expect(preview.encoding).toBe('utf8-bom');
    expect(preview.summary).toMatchObject({ create: 3, error: 0, valid: true });
    const logBefore = await count('operation_log');
    const peopleBefore = await count('people');
    const { data, outcome } = await applyNow(preview.id, preview.planDigest, '2026-03-20');
    expect(outcome).toBe('applied');
    const applied = await status(preview.id);
    expect(applied).toMatchObject({ state: 'applied', processed: 3, total: 3 });
    expect(applied.result).toMatchObject({ created: 3 });
    // At-least-once delivery: the same job delivered again applies nothing.
    expect(await handleOrgImportApply(jobDeps(), data)).toBe('skipped');
    expect(await count('people')).toBe(peopleBefore + 3);
    // The file is not kept once applied (its SHA-256 is in the log entry).
    expect(
      await q<{ has_file: boolean }>(
        `SELECT file IS NOT NULL AS has_file FROM org_imports WHERE id = $1`,
        [preview.id],
      ),
    ).toEqual([{ has_file: false }]);
    expect(await count('operation_log')).toBe(logBefore + 1);
    const [entry] = await q<{
      action: string;
      payload: { fileSha256: string; digest: string; created: number };
    }>(
      `SELECT l.action, p.payload FROM operation_log l JOIN operation_log_payloads p USING (tenant_id, seq)
       WHERE l.action = 'organization.people_imported' ORDER BY l.seq DESC LIMIT 1`,
    );
    expect(entry?.payload.fileSha256).toBe(preview.fileSha256);
    expect(entry?.payload.created).toBe(3);
    const people = await q<{
      employee_number: string;
      employment: string;
      given_name_kana: string;
    }>(
      `SELECT employee_number, employment, given_name_kana FROM people WHERE employee_number LIKE '002%' ORDER BY 1`,
    );
    expect(people).toEqual([
      { employee_number: '00201', employment: 'regular', given_name_kana: 'ハナコ' },
      { employee_number: '00202', employment: 'non_regular', given_name_kana: 'ジロウ' },
      { employee_number: '00203', employment: 'contractor_staff', given_name_kana: 'サブロウ' },
    ]);
    // Applying the same preview again is refused.
    await expect(requestApply(preview.id, preview.planDigest, '2026-03-20')).rejects.toThrow(
      /already applied/,
    );
  });

  it('4月1日: a mass transfer of 300 people in one import is scheduled and applied on the date', async () => {
    const rows: string[][] = [];
    for (let i = 0; i < 300; i++)
      rows.push([
        `3${String(i).padStart(4, '0')}`,
        '試験',
        `職員${String(i)}`,
        'シケン',
        'ショクイン',
        '10100',
        '',
        '',
        '職員',
        '',
        '2025-04-01',
        '',
      ]);
    const first = await upload(Buffer.from(csv(rows), 'utf8'), '2025-05-01');
    expect(first.summary).toMatchObject({ create: 300, valid: true });
    expect((await applyNow(first.id, first.planDigest, '2025-05-01')).outcome).toBe('applied');

    const moved = rows.map((r) => {
      const next = [...r];
      next[5] = '10200';
      next[10] = '2027-04-01';
      return next;
    });
    const logBefore = await count('operation_log');
    const preview = await upload(Buffer.from(csv(moved), 'utf8'), '2027-03-25');
    expect(preview.summary).toMatchObject({ transfer: 300, error: 0, valid: true });
    expect(preview.rows[0]?.changes).toContainEqual({
      field: 'unit',
      before: '10100',
      after: '10200',
    });
    expect((await applyNow(preview.id, preview.planDigest, '2027-03-25')).outcome).toBe('applied');
    const moveStatus = await status(preview.id);
    expect(moveStatus).toMatchObject({ state: 'applied', processed: 300, total: 300 });
    expect(moveStatus.result).toMatchObject({ transferred: 300, scheduled: 300 });
    expect(await count('operation_log')).toBe(logBefore + 1);

    const inJinji = async (date: string) =>
      (
        await q<{ n: number }>(
          `SELECT count(*)::int AS n FROM unit_memberships WHERE unit_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`,
          [units.jinji, date],
        )
      )[0]?.n;
    const baseline = (await inJinji('2027-04-01')) ?? 0;
    expect(baseline).toBeLessThan(5);
    const deps = {
      db: db.app,
      packs: { get: () => Promise.resolve(org.pack) },
      logger: pino({ level: 'silent' }),
    };
    const run = await applyDuePersonnelEvents(deps, tenant.id, '2027-04-01');
    expect(run).toEqual({ applied: 300, failed: 0 });
    expect(await inJinji('2027-04-01')).toBe(baseline + 300);
    expect(await inJinji('2027-03-31')).toBe(baseline);
    // Re-importing the same file finds the transfers already planned: nothing to do.
    const again = await upload(Buffer.from(csv(moved), 'utf8'), '2027-04-02');
    expect(again.summary).toMatchObject({ transfer: 0, unchanged: 300 });
  });

  it('std-7.3.5.3: a CP932 export reports an unencodable character by row and column; UTF-8 keeps it', async () => {
    await org.person('𠮷田', '太郎', 'ヨシダ', 'タロウ', units.kanzai, {
      employeeNumber: '00999',
    });
    const err = await inTenant(db.app, scope(), (tx) =>
      exportOrg(tx, 'people', org.pack.organization.unit_kinds, {
        format: 'csv',
        encoding: 'cp932',
        asOf: '2027-04-05',
      }),
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('export_unencodable');
    const cells = (err as AppError).details?.cells as {
      row: number;
      column: string;
      character: string;
    }[];
    expect(cells).toHaveLength(1);
    expect(cells[0]).toMatchObject({ column: 'B 氏', character: '𠮷' });
    const utf8 = await inTenant(db.app, scope(), (tx) =>
      exportOrg(tx, 'people', org.pack.organization.unit_kinds, {
        format: 'csv',
        encoding: 'utf8-bom',
        asOf: '2027-04-05',
      }),
    );
    // export → import reads the same rows back.
    const parsed = await parseTabular(new Uint8Array(utf8.body), personImportSpec);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.some((r) => r.value.familyName === '𠮷田')).toBe(true);
  });
});
