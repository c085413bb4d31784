import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createTenant } from '../../../test/factories.js';
import { createTestServer, type TestServer } from '../../../test/test-server.js';

/**
 * std-7.2.3 (architecture "Security of Mamori itself"): in production a
 * session never travels over plain HTTP across the network; a browser on the
 * server itself (http://localhost) is a secure context and may log in.
 */
let db: TestDatabase;
let production: TestServer;
let behindProxy: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  await createTenant(db.ownerUrl);
  production = await createTestServer(db.app, { NODE_ENV: 'production' });
  behindProxy = await createTestServer(db.app, {
    NODE_ENV: 'production',
    MAMORI_TRUST_PROXY: 'true',
  });
});
afterAll(async () => {
  await production.app.close();
  await behindProxy.app.close();
  await db.drop();
});

function login(server: TestServer, host: string, extra: Record<string, string> = {}) {
  return server.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: extra.remoteAddress ?? '127.0.0.1',
    headers: {
      host,
      'x-mamori-request': '1',
      origin: `${extra.scheme ?? 'http'}://${host}`,
      ...(extra.forwardedProto ? { 'x-forwarded-proto': extra.forwardedProto } : {}),
    },
    payload: { loginName: 'nobody', password: 'not-the-password-123' },
  });
}

describe('transport of the session in production', () => {
  it('refuses plain HTTP from the network with insecure_transport', async () => {
    const res = await login(production, 'mamori.city.example.lg.jp', {
      remoteAddress: '10.0.0.8',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'insecure_transport' } });
  });

  it('refuses plain HTTP through a same-host proxy that forwards the public name', async () => {
    const res = await login(production, 'mamori.city.example.lg.jp');
    expect(res.json()).toMatchObject({ error: { code: 'insecure_transport' } });
  });

  it('lets a browser on the server itself log in over http://localhost', async () => {
    const res = await login(production, 'localhost');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
  });

  it('accepts HTTPS terminated by a trusted proxy', async () => {
    const res = await login(behindProxy, 'mamori.city.example.lg.jp', {
      remoteAddress: '10.0.0.2',
      forwardedProto: 'https',
      scheme: 'https',
    });
    expect(res.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
  });
});
