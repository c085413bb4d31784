import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type SignedIn } from '../../../test/auth-as.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { tamper } from '../../../test/tamper.js';
import { createTestServer, type TestServer } from '../../../test/test-server.js';
import { inTenant, tenantScope } from '../../platform/db/database.js';
import { recordOperation } from '../../platform/oplog/oplog.service.js';
import { ensureSigningKey } from '../../platform/oplog/signing-key.js';

let db: TestDatabase;
let server: TestServer;
let tenant: TestTenant;
let other: TestTenant;
let tmp: string;
let admin: SignedIn;
let auditor: SignedIn;
let cso: SignedIn;
let staff: SignedIn;
let csirt: SignedIn;
let otherAuditor: SignedIn;

beforeAll(async () => {
  db = await createTestDatabase();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'mamori-oplog-routes-'));
  await ensureSigningKey(path.join(tmp, 'keys'), { keyName: 'mamori-test-oplog' });
  // A shared install: two tenants, chosen by the /t/{code} prefix.
  server = await createTestServer(db.app, {
    MAMORI_TENANCY: 'shared',
    MAMORI_LOG_KEY_DIR: path.join(tmp, 'keys'),
  });
  tenant = await createTenant(db.ownerUrl, { name: '架空市' });
  other = await createTenant(db.ownerUrl, { name: '架空町' });
  admin = await signInAs(db.ownerUrl, tenant.id, {
    roles: ['tenant_admin'],
    displayName: '管理 一郎',
  });
  auditor = await signInAs(db.ownerUrl, tenant.id, {
    roles: ['auditor'],
    displayName: '監査 花子',
  });
  cso = await signInAs(db.ownerUrl, tenant.id, { roles: ['chief_security_officer'] });
  staff = await signInAs(db.ownerUrl, tenant.id);
  csirt = await signInAs(db.ownerUrl, tenant.id, { roles: ['csirt'] });
  otherAuditor = await signInAs(db.ownerUrl, other.id, { roles: ['auditor'] });
  for (let i = 1; i <= 5; i++) {
    await inTenant(db.app, tenantScope(tenant.id), (tx) =>
      recordOperation(
        tx,
        { type: 'account', id: admin.accountId },
        {
          action: i % 2 ? 'asset.updated' : 'asset.created',
          subject: { type: 'information_asset', id: `asset-${String(i)}` },
          payload: { name: `住民記録〜${String(i)}` },
        },
      ),
    );
  }
});
afterAll(async () => {
  await server.app.close();
  await db.drop();
  await rm(tmp, { recursive: true, force: true });
});

const url = (t: TestTenant, p: string) => `/t/${t.code}/api${p}`;

describe('operation-log API: who may see it (std-7.1.6, std-10.1.6)', () => {
  it('is 401 without a session', async () => {
    const res = await server.app.inject({ url: url(tenant, '/operation-log') });
    expect(res.statusCode).toBe(401);
  });

  it('is 403 for staff and roles the log is not for', async () => {
    for (const who of [staff, csirt]) {
      const res = await server.app.inject({
        url: url(tenant, '/operation-log'),
        headers: who.headers,
      });
      expect(res.statusCode).toBe(403);
    }
  });

  it('another tenant’s session does not open this tenant’s log', async () => {
    const res = await server.app.inject({
      url: url(tenant, '/operation-log'),
      headers: otherAuditor.headers,
    });
    expect(res.statusCode).toBe(401);
  });

  it('lists entries newest first with actor names and verification, for admin, CSO and auditors', async () => {
    for (const who of [admin, cso, auditor]) {
      const res = await server.app.inject({
        url: url(tenant, '/operation-log'),
        headers: who.headers,
      });
      expect(res.statusCode).toBe(200);
    }
    const res = await server.app.inject({
      url: url(tenant, '/operation-log?action=asset.created&limit=1'),
      headers: auditor.headers,
    });
    const body = res.json<{
      entries: { seq: number; action: string; actorName: string; verification: string }[];
      nextBeforeSeq: number | null;
      size: number;
    }>();
    expect(body.entries).toHaveLength(1);
    expect(body.entries[0]).toMatchObject({
      action: 'asset.created',
      actorName: '管理 一郎',
      verification: 'verified',
    });
    expect(body.nextBeforeSeq).toBe(body.entries[0]?.seq);
    expect(body.size).toBeGreaterThanOrEqual(5);
  });

  it('refuses a malformed filter with validation_failed, not a 500', async () => {
    for (const q of ['fromDate=2026-13-45', 'fromDate=2026-11-02&toDate=2026-11-01', 'limit=0']) {
      const res = await server.app.inject({
        url: url(tenant, `/operation-log?${q}`),
        headers: auditor.headers,
      });
      expect(res.statusCode, q).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });

  it('exports CSV in Shift_JIS when asked', async () => {
    const res = await server.app.inject({
      url: url(tenant, '/operation-log/export?encoding=cp932&action=asset.created'),
      headers: auditor.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('Shift_JIS');
    expect(res.headers['content-disposition']).toMatch(
      /operation-log-\d{6}-\d{4}-\d{2}-\d{2}\.csv/,
    );
    const text = iconv.decode(res.rawPayload, 'cp932');
    expect(text.split('\r\n')[0]).toContain('連番');
    expect(text).toContain('asset.created');
    expect(text).not.toContain('asset.updated');
  });
});

describe('verification and reviews (std-7.1.4.2, std-7.1.6.3)', () => {
  it('std-7.1.6.3: records a review (auditor) and reports when the next is due', async () => {
    const post = await server.app.inject({
      method: 'POST',
      url: url(tenant, '/operation-log/reviews'),
      headers: auditor.headers,
      payload: {
        periodFrom: '2026-10-01',
        periodTo: '2026-10-31',
        fromSeq: 1,
        toSeq: 3,
        result: 'no_issues',
        findings: '',
      },
    });
    expect(post.statusCode).toBe(201);
    const list = await server.app.inject({
      url: url(tenant, '/operation-log/reviews'),
      headers: cso.headers,
    });
    expect(list.json()).toMatchObject({
      nextDueDate: '2026-11-30',
      reviews: [{ reviewerName: '監査 花子', fromSeq: 1, toSeq: 3, result: 'no_issues' }],
    });
  });

  it('tenant_admin may read the log but not record a review; a write needs the CSRF token', async () => {
    const payload = {
      periodFrom: '2026-11-01',
      periodTo: '2026-11-30',
      fromSeq: 1,
      toSeq: 2,
      result: 'findings',
      findings: '深夜の操作を確認',
    };
    const byAdmin = await server.app.inject({
      method: 'POST',
      url: url(tenant, '/operation-log/reviews'),
      headers: admin.headers,
      payload,
    });
    expect(byAdmin.statusCode).toBe(403);
    const { cookie } = auditor.headers;
    const noCsrf = await server.app.inject({
      method: 'POST',
      url: url(tenant, '/operation-log/reviews'),
      headers: { cookie: cookie ?? '' },
      payload,
    });
    expect(noCsrf.json()).toMatchObject({ error: { code: 'csrf_rejected' } });
  });

  it('a review of an impossible date is a validation error, not a 500', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: url(tenant, '/operation-log/reviews'),
      headers: auditor.headers,
      payload: {
        periodFrom: '2026-02-30',
        periodTo: '2026-03-01',
        fromSeq: 1,
        toSeq: 1,
        result: 'no_issues',
        findings: '',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('a review beyond the end of the log is a validation error', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: url(tenant, '/operation-log/reviews'),
      headers: auditor.headers,
      payload: {
        periodFrom: '2026-11-01',
        periodTo: '2026-11-30',
        fromSeq: 1,
        toSeq: 999_999,
        result: 'no_issues',
        findings: '',
      },
    });
    expect(res.statusCode).toBe(400);
  });

  it('verifies the chain, then names the entry a direct SQL edit broke', async () => {
    const ok = await server.app.inject({
      method: 'POST',
      url: url(tenant, '/operation-log/verification'),
      headers: auditor.headers,
      payload: {},
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, problems: [] });
    await tamper(db.ownerUrl, tenant.id, [
      `UPDATE operation_log SET payload_digest = repeat('0', 64) WHERE seq = 2`,
    ]);
    const broken = await server.app.inject({
      method: 'POST',
      url: url(tenant, '/operation-log/verification'),
      headers: auditor.headers,
      payload: {},
    });
    expect(broken.json()).toMatchObject({ ok: false, problems: [{ seq: 2 }] });
    const page = await server.app.inject({
      url: url(tenant, '/operation-log?limit=500'),
      headers: auditor.headers,
    });
    const entries = page.json<{ entries: { seq: number; verification: string }[] }>().entries;
    expect(entries.find((e) => e.seq === 2)?.verification).toBe('broken');
    expect(entries.find((e) => e.seq === 1)?.verification).toBe('verified');
  });
});
