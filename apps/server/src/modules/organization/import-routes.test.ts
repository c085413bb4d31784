import iconv from 'iconv-lite';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type SignedIn } from '../../../test/auth-as.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { createTestServer, type TestServer } from '../../../test/test-server.js';
import { waitFor } from '../../../test/wait-for.js';
import { openDatabase, type Database } from '../../platform/db/database.js';
import { JobRunner } from '../../platform/jobs/job-runner.js';
import { loadPolicyPackRegistry } from '../../platform/policy-pack-registry.js';
import { registerOrgImportJobs } from './import-job.js';

let db: TestDatabase;
let server: TestServer;
let tenant: TestTenant;
let admin: SignedIn;
let staff: SignedIn;
/** The job worker: stands for any app server of the install. */
let runner: JobRunner;

const url = (path: string) => `/t/${tenant.code}${path}`;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await createTestServer(db.app, { MAMORI_TENANCY: 'shared' });
  tenant = await createTenant(db.ownerUrl, { name: '架空市' });
  admin = await signInAs(db.ownerUrl, tenant.id, { roles: ['tenant_admin'] });
  staff = await signInAs(db.ownerUrl, tenant.id);
  runner = new JobRunner({
    db: db.app,
    logger: pino({ level: 'silent' }),
    pollingIntervalSeconds: 0.5,
  });
  const packs = await loadPolicyPackRegistry(
    server.config.policyPacksDir,
    server.config.defaultPack,
  );
  await registerOrgImportJobs({
    db: db.app,
    jobs: runner,
    packs,
    logger: pino({ level: 'silent' }),
  });
  await runner.start();
});
afterAll(async () => {
  await runner.stop({ timeoutMs: 2000 });
  await server.app.close();
  await db.drop();
});

const UNITS = [
  '所属コード,所属名,所属名（フリガナ）,種別,上位所属コード,対象外,表示順,適用日',
  // The 課 comes before its 部局 in the file: parents may come later.
  '10100,管財課,カンザイカ,課,10000,いいえ,10,2026-04-01',
  '10000,総務部,ソウムブ,部局,,いいえ,1,2026-04-01',
  '10101,財産管理担当,ザイサンカンリタントウ,係,10100,,1,2026-04-01',
  '70000,教育委員会事務局,キョウイクイインカイジムキョク,行政委員会事務局,,,7,2026-04-01',
  '70900,架空市立第一小学校,,学校,70000,はい,9,2026-04-01',
].join('\r\n');

async function waitApplied(id: string, via: TestServer = server) {
  return waitFor(`import ${id} applied by the job`, async () => {
    const res = await via.app.inject({
      url: url(`/api/organization/imports/${id}`),
      headers: admin.headers,
    });
    const body = res.json<{ state: string; processed: number; total: number }>();
    return body.state !== 'applying' && body;
  });
}

describe('HR import/export routes (issue 4)', () => {
  it('uploads a Shift_JIS units file as the raw body, previews, applies with progress, exports again', async () => {
    const denied = await server.app.inject({
      method: 'POST',
      url: url('/api/organization/imports/units'),
      headers: { ...staff.headers, 'content-type': 'text/csv' },
      payload: iconv.encode(UNITS, 'cp932'),
    });
    expect(denied.statusCode).toBe(403);

    const uploaded = await server.app.inject({
      method: 'POST',
      url: url('/api/organization/imports/units?fileName=%E6%89%80%E5%B1%9E.csv'),
      headers: { ...admin.headers, 'content-type': 'text/csv' },
      payload: iconv.encode(UNITS, 'cp932'),
    });
    expect(uploaded.statusCode).toBe(201);
    const preview = uploaded.json<{
      id: string;
      encoding: string;
      fileName: string;
      planDigest: string;
      summary: { create: number; valid: boolean };
    }>();
    expect(preview).toMatchObject({
      encoding: 'cp932',
      fileName: '所属.csv',
      summary: { create: 5, valid: true },
    });

    const again = await server.app.inject({
      url: url(`/api/organization/imports/${preview.id}/preview`),
      headers: admin.headers,
    });
    expect(again.json()).toEqual(preview);

    const stale = await server.app.inject({
      method: 'POST',
      url: url(`/api/organization/imports/${preview.id}/apply`),
      headers: admin.headers,
      payload: { planDigest: 'not-the-digest' },
    });
    expect(stale.statusCode).toBe(409);

    const started = await server.app.inject({
      method: 'POST',
      url: url(`/api/organization/imports/${preview.id}/apply`),
      headers: admin.headers,
      payload: { planDigest: preview.planDigest },
    });
    expect(started.statusCode).toBe(202);
    expect(await waitApplied(preview.id)).toMatchObject({
      state: 'applied',
      processed: 5,
      total: 5,
    });

    const exported = await server.app.inject({
      url: url('/api/organization/exports/units?encoding=cp932&asOf=2026-04-01'),
      headers: admin.headers,
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/Shift_JIS/);
    const text = iconv.decode(exported.rawPayload, 'cp932');
    expect(text.split('\r\n')[0]).toBe(
      '所属コード,所属名,所属名（フリガナ）,種別,上位所属コード,対象外,表示順,適用日',
    );
    expect(text).toContain('70900,架空市立第一小学校,,学校,70000,はい,9,');
    expect(text).toContain('10101,財産管理担当,ザイサンカンリタントウ,係,10100,いいえ,1,');

    // Another tenant's import id is not found.
    const unknown = await server.app.inject({
      url: url('/api/organization/imports/00000000-0000-4000-8000-000000000000'),
      headers: admin.headers,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses a JSON body and reports a bad units file by row and column', async () => {
    const json = await server.app.inject({
      method: 'POST',
      url: url('/api/organization/imports/units'),
      headers: admin.headers,
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
    const bad = await server.app.inject({
      method: 'POST',
      url: url('/api/organization/imports/units'),
      headers: { ...admin.headers, 'content-type': 'application/octet-stream' },
      payload: Buffer.from(
        [
          '所属コード,所属名,種別,上位所属コード,対象外',
          '20000,企画部,部局,,はい',
          '20100,企画課,課,99999,',
          '20200,財政課,市役所,20000,',
        ].join('\n'),
      ),
    });
    expect(bad.statusCode).toBe(201);
    const body = bad.json<{
      summary: { valid: boolean };
      rows: { rowNumber: number; errors: { column: string; code: string }[] }[];
    }>();
    expect(body.summary.valid).toBe(false);
    const errors = body.rows.flatMap((r) => r.errors.map((e) => [r.rowNumber, e.column, e.code]));
    expect(errors).toEqual([
      [2, '対象外', 'out_of_scope_not_allowed'],
      [3, '上位所属コード', 'unknown_parent'],
      [4, 'C 種別', 'invalid'],
    ]);
  });
  it('app servers are stateless: an upload through one server is previewed and applied through another after the first stopped', async () => {
    // A second app server with its own connection pool on the same database.
    const otherDb: Database = openDatabase(db.appUrl, { max: 4 });
    const first = await createTestServer(db.app, { MAMORI_TENANCY: 'shared' });
    const second = await createTestServer(otherDb, { MAMORI_TENANCY: 'shared' });
    try {
      const file = [
        '所属コード,所属名,種別,上位所属コード',
        '30000,企画部,部局,',
        '30100,企画課,課,30000',
      ].join('\r\n');
      const uploaded = await first.app.inject({
        method: 'POST',
        url: url('/api/organization/imports/units?fileName=kikaku.csv'),
        headers: { ...admin.headers, 'content-type': 'text/csv' },
        payload: Buffer.from(file, 'utf8'),
      });
      expect(uploaded.statusCode).toBe(201);
      const preview = uploaded.json<{ id: string; planDigest: string }>();
      // The first server goes away (restart, or the load balancer picks another).
      await first.app.close();

      const seen = await second.app.inject({
        url: url(`/api/organization/imports/${preview.id}/preview`),
        headers: admin.headers,
      });
      expect(seen.statusCode).toBe(200);
      expect(seen.json()).toEqual(uploaded.json());
      const started = await second.app.inject({
        method: 'POST',
        url: url(`/api/organization/imports/${preview.id}/apply`),
        headers: admin.headers,
        payload: { planDigest: preview.planDigest },
      });
      expect(started.statusCode).toBe(202);
      expect(started.json()).toMatchObject({ id: preview.id, state: 'applying', total: 2 });
      expect(await waitApplied(preview.id, second)).toMatchObject({
        state: 'applied',
        processed: 2,
        total: 2,
      });
      // The default server (a third instance) sees the same state.
      const status = await server.app.inject({
        url: url(`/api/organization/imports/${preview.id}`),
        headers: admin.headers,
      });
      expect(status.json()).toMatchObject({ state: 'applied', result: { created: 2 } });
      // Applying again is refused.
      const again = await second.app.inject({
        method: 'POST',
        url: url(`/api/organization/imports/${preview.id}/apply`),
        headers: admin.headers,
        payload: { planDigest: preview.planDigest },
      });
      expect(again.statusCode).toBe(409);
    } finally {
      await second.app.close();
      await otherDb.close();
    }
  });

  it('an invalid file cannot be applied (422, errors by row and column, nothing queued); an expired upload answers 410', async () => {
    const bad = await server.app.inject({
      method: 'POST',
      url: url('/api/organization/imports/units'),
      headers: { ...admin.headers, 'content-type': 'text/csv' },
      payload: Buffer.from(
        ['所属コード,所属名,種別,上位所属コード', '40100,監査課,課,99999'].join('\n'),
      ),
    });
    const preview = bad.json<{ id: string; planDigest: string }>();
    const refused = await server.app.inject({
      method: 'POST',
      url: url(`/api/organization/imports/${preview.id}/apply`),
      headers: admin.headers,
      payload: { planDigest: preview.planDigest },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      error: {
        code: 'import_rows_invalid',
        details: {
          errorCount: 1,
          errors: [{ row: 2, column: '上位所属コード', code: 'unknown_parent' }],
        },
      },
    });
    const status = await server.app.inject({
      url: url(`/api/organization/imports/${preview.id}`),
      headers: admin.headers,
    });
    expect(status.json()).toMatchObject({ state: 'previewed', processed: 0 });

    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      await owner.query('BEGIN');
      await owner.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.id]);
      await owner.query(
        `UPDATE org_imports SET created_at = now() - interval '25 hours' WHERE id = $1`,
        [preview.id],
      );
      await owner.query('COMMIT');
    } finally {
      await owner.end();
    }
    for (const req of [
      { method: 'GET' as const, url: url(`/api/organization/imports/${preview.id}/preview`) },
      { method: 'GET' as const, url: url(`/api/organization/imports/${preview.id}`) },
      {
        method: 'POST' as const,
        url: url(`/api/organization/imports/${preview.id}/apply`),
        payload: { planDigest: preview.planDigest },
      },
    ]) {
      const res = await server.app.inject({ ...req, headers: admin.headers });
      expect(res.statusCode, req.url).toBe(410);
      expect(res.json()).toMatchObject({ error: { code: 'import_expired' } });
    }
  });
});
