import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createAccount, createTenant, type TestTenant } from '../../../test/factories.js';
import { OrgFactory } from '../../../test/org-factories.js';
import { tenantScope } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import {
  handleOrgImportApply,
  orgImportApplyJob,
  requestOrgImportApply,
  sweepOrgImports,
  type OrgImportApplyData,
  type OrgImportJobDeps,
} from './import-job.js';
import { getOrgImportPreview, getOrgImportStatus, uploadOrgImport } from './import-plan.js';
import { PERSON_IMPORT_HEADER } from './import-specs.js';

/*
 * The HR import kept in org_imports and applied by a job (std-7.3.5.1):
 * progress from separate transactions, at-least-once delivery, failure,
 * expiry after 24 h.
 */

let db: TestDatabase;
let tenant: TestTenant;
let org: OrgFactory;
let owner: pg.Client;
let accountId: string;

const TODAY = '2026-03-20';
const scope = () => tenantScope(tenant.id);

async function q<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  await owner.query('BEGIN');
  await owner.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.id]);
  const r = await owner.query<T>(text, values);
  await owner.query('COMMIT');
  return r.rows;
}
const count = async (table: string) =>
  (await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n ?? -1;

/** A people file of `n` new 職員 in 管財課 (10100), numbers starting at `from`. */
function peopleFile(from: number, n: number): Uint8Array {
  const rows = Array.from({ length: n }, (_, i) =>
    [
      String(from + i).padStart(5, '0'),
      '試験',
      `職員${String(i)}`,
      'シケン',
      'ショクイン',
      '10100',
      '',
      '',
      '職員',
      '',
      '',
      '2026-03-01',
      '',
    ].join(','),
  );
  return Buffer.from([PERSON_IMPORT_HEADER.join(','), ...rows].join('\r\n') + '\r\n', 'utf8');
}

const upload = (bytes: Uint8Array) =>
  uploadOrgImport(db.app, scope(), org.pack, {
    kind: 'people',
    bytes,
    fileName: 'jinji.csv',
    uploadedBy: accountId,
    today: TODAY,
  });

const sent: OrgImportApplyData[] = [];
const jobs: Pick<JobRunner, 'sendInTransaction'> = {
  sendInTransaction: (_tx, job, data) => {
    if (job.name === orgImportApplyJob.name) sent.push(data as OrgImportApplyData);
    return Promise.resolve(`job-${String(sent.length)}`);
  },
};
const deps = (progressEvery?: number): OrgImportJobDeps => ({
  db: db.app,
  packs: { get: () => Promise.resolve(org.pack) },
  logger: pino({ level: 'silent' }),
  ...(progressEvery ? { progressEvery } : {}),
});
async function requestApply(id: string, planDigest: string): Promise<OrgImportApplyData> {
  await requestOrgImportApply(db.app, jobs, scope(), { id, accountId, planDigest, today: TODAY });
  const data = sent.at(-1);
  if (data?.importId !== id) throw new Error('no apply job was queued');
  return data;
}
const status = (id: string) => getOrgImportStatus(db.app, scope(), id);
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.ownerUrl, { name: '架空市' });
  org = await OrgFactory.of(db.app, tenant.id);
  owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  accountId = (await createAccount(db.ownerUrl, tenant.id)).id;
  const somu = await org.unit('総務部', 'department', null, { code: '10000' });
  await org.unit('管財課', 'section', somu, { code: '10100' });
});
afterAll(async () => {
  await owner.end();
  await db.drop();
});

describe('HR import job (std-7.3.5.1)', () => {
  it('reports progress from separate transactions: another connection sees it while nothing is committed yet', async () => {
    const preview = await upload(peopleFile(1000, 300));
    expect(preview.summary).toMatchObject({ create: 300, valid: true });
    const peopleBefore = await count('people');
    const data = await requestApply(preview.id, preview.planDigest);
    expect(await status(preview.id)).toMatchObject({ state: 'applying', processed: 0, total: 300 });

    const running = handleOrgImportApply(deps(10), data);
    // Poll from other connections until a report in the middle of the apply shows up.
    const seen: { processed: number; people: number }[] = [];
    const apply = { done: false };
    void running.finally(() => (apply.done = true));
    while (!apply.done) {
      const now = await status(preview.id);
      if (now.state === 'applying' && now.processed > 0 && now.processed < now.total) {
        const people = await count('people');
        // Still applying after the count: the count was read while the apply was open.
        if ((await status(preview.id)).state === 'applying')
          seen.push({ processed: now.processed, people });
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await running).toBe('applied');
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) {
      expect(s.processed % 10).toBe(0);
      // All-or-nothing: none of the 300 people is visible before the commit.
      expect(s.people).toBe(peopleBefore);
    }
    expect(await status(preview.id)).toMatchObject({ state: 'applied', processed: 300 });
    expect(await count('people')).toBe(peopleBefore + 300);
  });

  it('at-least-once: two deliveries of the same job at once apply the file once, with one log entry', async () => {
    const preview = await upload(peopleFile(2000, 20));
    const data = await requestApply(preview.id, preview.planDigest);
    const peopleBefore = await count('people');
    const logBefore = await count('operation_log');
    const outcomes = await Promise.all([
      handleOrgImportApply(deps(), data),
      handleOrgImportApply(deps(), data),
    ]);
    expect(outcomes.sort()).toEqual(['applied', 'skipped']);
    expect(await handleOrgImportApply(deps(), data)).toBe('skipped');
    expect(await count('people')).toBe(peopleBefore + 20);
    expect(await count('operation_log')).toBe(logBefore + 1);
    expect(await status(preview.id)).toMatchObject({ state: 'applied', processed: 20, total: 20 });
  });

  it('a refused apply writes nothing: the data changed after the request → failed with the error, retry refused the same way', async () => {
    const preview = await upload(peopleFile(3000, 5));
    const data = await requestApply(preview.id, preview.planDigest);
    // Someone adds 職員 03002 by hand before the job runs: the plan no longer matches.
    const kanzai = (await q<{ id: string }>(`SELECT id FROM org_units WHERE code = '10100'`))[0];
    await org.person('試験', '先行', 'シケン', 'センコウ', kanzai?.id ?? '', {
      employeeNumber: '03002',
    });
    const peopleBefore = await count('people');
    const logBefore = await count('operation_log');
    expect(await handleOrgImportApply(deps(2), data)).toBe('failed');
    const failed = await status(preview.id);
    expect(failed).toMatchObject({ state: 'failed', processed: 0, result: null });
    expect(failed.error?.code).toBe('conflict');
    expect(await count('people')).toBe(peopleBefore);
    expect(await count('operation_log')).toBe(logBefore);
    const events = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM personnel_events WHERE import_digest = $1`,
      [preview.fileSha256],
    );
    expect(events).toEqual([{ n: 0 }]);
    // A failed import may be applied again (it keeps its file) and fails the same way.
    const again = await requestApply(preview.id, preview.planDigest);
    expect(await status(preview.id)).toMatchObject({ state: 'applying', error: null });
    expect(await handleOrgImportApply(deps(), again)).toBe('failed');
    expect(await count('people')).toBe(peopleBefore);
  });

  it('an upload not applied within 24 h expires: preview, status and apply answer import_expired (410), file and preview are cleared', async () => {
    const preview = await upload(peopleFile(4000, 3));
    const old = await upload(peopleFile(4100, 3));
    await q(`UPDATE org_imports SET created_at = now() - interval '25 hours' WHERE id = ANY($1)`, [
      [preview.id, old.id],
    ]);
    // Lazily on read …
    for (const call of [
      () => getOrgImportPreview(db.app, scope(), preview.id),
      () => status(preview.id),
      () => requestApply(preview.id, preview.planDigest),
    ]) {
      const err = await errorOf(call());
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('import_expired');
      expect((err as AppError).status).toBe(410);
    }
    // … and by the hourly sweep for an import nobody reads again.
    expect(await sweepOrgImports({ db: db.app })).toBeGreaterThanOrEqual(1);
    const rows = await q<{ id: string; state: string; has_file: boolean; has_preview: boolean }>(
      `SELECT id, state, file IS NOT NULL AS has_file, preview IS NOT NULL AS has_preview
         FROM org_imports WHERE id = ANY($1) ORDER BY created_at`,
      [[preview.id, old.id]],
    );
    expect(rows.map((r) => [r.state, r.has_file, r.has_preview])).toEqual([
      ['expired', false, false],
      ['expired', false, false],
    ]);
  });

  it('an apply whose job gave up (no progress for hours) becomes failed and can be applied again', async () => {
    const preview = await upload(peopleFile(5000, 2));
    await requestApply(preview.id, preview.planDigest);
    await q(`UPDATE org_imports SET updated_at = now() - interval '4 hours' WHERE id = $1`, [
      preview.id,
    ]);
    await sweepOrgImports({ db: db.app });
    const stalled = await status(preview.id);
    expect(stalled).toMatchObject({ state: 'failed', error: { code: 'internal' } });
    const data = await requestApply(preview.id, preview.planDigest);
    expect(await handleOrgImportApply(deps(), data)).toBe('applied');
  });

  it('another tenant cannot read or apply the import (not found)', async () => {
    const preview = await upload(peopleFile(6000, 1));
    const other = await createTenant(db.ownerUrl, { name: '見本町' });
    const err = await errorOf(getOrgImportStatus(db.app, tenantScope(other.id), preview.id));
    expect((err as AppError).code).toBe('not_found');
    const applyErr = await errorOf(
      requestOrgImportApply(db.app, jobs, tenantScope(other.id), {
        id: preview.id,
        accountId,
        planDigest: preview.planDigest,
        today: TODAY,
      }),
    );
    expect((applyErr as AppError).code).toBe('not_found');
    // A forged job for the other tenant finds nothing to apply.
    expect(
      await handleOrgImportApply(deps(), {
        tenantId: other.id,
        importId: preview.id,
        accountId,
        today: TODAY,
      }),
    ).toBe('skipped');
    expect(await status(preview.id)).toMatchObject({ state: 'previewed' });
  });
});
