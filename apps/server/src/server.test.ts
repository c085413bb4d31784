import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requiredText } from '@mamori/contracts';
import { createTestDatabase, type TestDatabase } from '../test/database.js';
import { createTestServer, type TestServer } from '../test/test-server.js';
import { openDatabase } from './platform/db/database.js';
import { AppError } from './platform/errors.js';

let db: TestDatabase;
let server: TestServer;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await createTestServer(db.app, { MAMORI_BODY_LIMIT: '2048' });
  app = server.app;
  // Routes that exist only in this test, to exercise the shared error handling
  // (public: the error handling is under test, not the route guard).
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    '/api/test/echo',
    {
      config: { public: true },
      schema: {
        body: z.object({
          name: requiredText(20),
          count: z.number().int().min(1),
          password: z.string().optional(),
        }),
      },
    },
    (req) => ({ name: req.body.name, count: req.body.count }),
  );
  typed.get('/api/test/boom', { config: { public: true } }, () => {
    throw new Error('secret internals at /srv/mamori/x.ts:12');
  });
  typed.get('/api/test/conflict', { config: { public: true } }, () => {
    throw new AppError('conflict', 'Already there.', { id: 'x' });
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

describe('GET /api/health', () => {
  it('is 200 {"status":"ok"} when the database answers', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('is 503 database_unavailable when the database does not answer', async () => {
    const deadDb = openDatabase('postgres://nobody:x@127.0.0.1:1/none', { max: 1 });
    const dead = await createTestServer(deadDb);
    try {
      const res = await dead.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'database_unavailable' } });
    } finally {
      await dead.app.close();
      await deadDb.close();
    }
  });
});

describe('errors', () => {
  it('unknown /api routes are 404 JSON', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
    const post = await app.inject({ method: 'POST', url: '/api/nothing-here', payload: {} });
    expect(post.statusCode).toBe(404);
  });

  it('zod failures are 400 validation_failed with field paths', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/test/echo',
      payload: { name: '', count: 0 },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: { code: string; details: { issues: { path: string }[] } } }>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.issues.map((i) => i.path).sort()).toEqual(['count', 'name']);
  });

  it('invalid JSON is 400, not 500', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('an unsupported content type is 415', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'x',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('a body over the limit is 413', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/test/echo',
      payload: { name: 'x'.repeat(5000), count: 1 },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('text input is NFC-normalized', async () => {
    const decomposed = 'カ\u3099イ'; // カ + combining dakuten
    const res = await app.inject({
      method: 'POST',
      url: '/api/test/echo',
      payload: { name: decomposed, count: 1 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ name: string }>().name).toBe('ガイ');
  });

  it('an unexpected error is 500 internal with no stack or internals', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/test/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'internal', message: 'Internal error.' } });
    expect(res.body).not.toContain('/srv/mamori');
  });

  it('an AppError keeps its code, status and details', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/test/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error: { code: 'conflict', message: 'Already there.', details: { id: 'x' } },
    });
  });
});

describe('security headers', () => {
  it('sets a CSP with no inline script and no framing', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('OpenAPI', () => {
  it('is served at /api/openapi.json from the route schemas', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/health');
  });

  it('has a docs page under the same CSP (no framing, nothing from elsewhere)', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('https:');
    expect(csp).not.toContain('validator.swagger.io');
  });
});

describe('logs', () => {
  it('never contain passwords, cookies, authorization headers or query tokens', async () => {
    await app.inject({
      method: 'POST',
      url: '/api/test/echo?token=query-secret-123',
      headers: { cookie: 'sid=cookie-secret-456', authorization: 'Bearer header-secret-789' },
      payload: { name: 'x', count: 0, password: 'body-secret-000' },
    });
    const all = server.logs.join('\n');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [
      'query-secret-123',
      'cookie-secret-456',
      'header-secret-789',
      'body-secret-000',
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('per-IP rate limit', () => {
  it('limits the API but not the web app’s static files (a cold page load fetches ~100 fonts)', async () => {
    const remoteAddress = '10.9.8.7';
    for (let i = 0; i < 650; i++) {
      const res = await app.inject({
        method: 'GET',
        url: '/assets/not-an-asset.woff2',
        remoteAddress,
      });
      expect(res.statusCode).not.toBe(429);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 601; i++) {
      statuses.push(
        (await app.inject({ method: 'GET', url: '/api/health', remoteAddress })).statusCode,
      );
    }
    expect(statuses.slice(0, 600).every((s) => s !== 429)).toBe(true);
    expect(statuses[600]).toBe(429);
  });
});
