import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createTenant } from '../../../test/factories.js';
import { createTestServer, type TestServer } from '../../../test/test-server.js';

let db: TestDatabase;
let single: TestServer;
let shared: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  single = await createTestServer(db.app);
  shared = await createTestServer(db.app, {
    MAMORI_TENANCY: 'shared',
    MAMORI_TENANT_HOSTS: 'hokuto.example.lg.jp=192091',
  });
});
afterAll(async () => {
  await single.app.close();
  await shared.app.close();
  await db.drop();
});

describe('GET /api/tenant', () => {
  it('is 404 tenant_unknown before `init` created a tenant', async () => {
    const res = await single.app.inject({ method: 'GET', url: '/api/tenant' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'tenant_unknown' } });
  });

  it('single install: the one tenant, with its policy pack', async () => {
    await createTenant(db.ownerUrl, { code: '192091', name: '北杜市', prefecture: '山梨県' });
    const res = await single.app.inject({ method: 'GET', url: '/api/tenant' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      code: '192091',
      name: '北杜市',
      prefecture: '山梨県',
      policyPack: { id: 'hokuto', nameJa: expect.stringContaining('北杜市') as unknown },
    });
  });

  it('shared install: by host name, else by /t/{code}, never by guessing', async () => {
    await createTenant(db.ownerUrl, { code: '131016', name: '千代田区', prefecture: '東京都' });
    const byHost = await shared.app.inject({
      method: 'GET',
      url: '/api/tenant',
      headers: { host: 'hokuto.example.lg.jp' },
    });
    expect(byHost.json()).toMatchObject({ code: '192091' });
    const byPrefix = await shared.app.inject({
      method: 'GET',
      url: '/t/131016/api/tenant',
      headers: { host: 'shared.example.jp' },
    });
    expect(byPrefix.json()).toMatchObject({ code: '131016', name: '千代田区' });
    const neither = await shared.app.inject({
      method: 'GET',
      url: '/api/tenant',
      headers: { host: 'shared.example.jp' },
    });
    expect(neither.statusCode).toBe(404);
    const unknownCode = await shared.app.inject({ method: 'GET', url: '/t/130001/api/tenant' });
    expect(unknownCode.statusCode).toBe(404);
    expect(unknownCode.json()).toMatchObject({ error: { code: 'tenant_unknown' } });
  });
});
