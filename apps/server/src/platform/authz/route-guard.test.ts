import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { TenantScope } from '../db/database.js';
import { registerErrorHandling } from '../http/error-handler.js';
import type { Caller, RoleHolding } from './caller.js';
import { registerRouteGuard, type CallerResolver } from './route-guard.js';

const scope = { tenantId: '00000000-0000-4000-8000-000000000001' } as TenantScope;

function caller(overrides: Partial<Caller> = {}, roles: RoleHolding[] = []): Caller {
  return {
    scope,
    accountId: 'a1',
    loginName: 'shiken',
    displayName: '試験 太郎',
    personId: null,
    sessionId: 's1',
    sessionState: 'active',
    csrfToken: 'token-1',
    elevatedUntil: null,
    roles,
    ...overrides,
  };
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(resolver: CallerResolver, now = new Date('2026-11-25T10:00:00Z')) {
  app = Fastify();
  registerErrorHandling(app);
  registerRouteGuard(app, resolver, () => now);
  app.get('/api/open', { config: { public: true } }, () => ({ ok: true }));
  app.get('/api/units', { config: { permission: 'organization:read' } }, () => ({ ok: true }));
  app.post('/api/units', { config: { permission: 'organization:manage' } }, () => ({ ok: true }));
  app.post(
    '/api/roles',
    { config: { permission: 'role_assignment:manage', privileged: true } },
    () => ({ ok: true }),
  );
  app.post(
    '/api/password',
    { config: { permission: 'session:self', allowSessionStates: ['password_change_required'] } },
    () => ({ ok: true }),
  );
  await app.ready();
  return app;
}

const admin: RoleHolding = { role: 'tenant_admin', scope: { kind: 'tenant' }, assignmentId: null };
const cso: RoleHolding = {
  role: 'chief_security_officer',
  scope: { kind: 'tenant' },
  assignmentId: 'r1',
};

describe('route guard (authorization core, first layer)', () => {
  it('answers public routes without a session and others with 401', async () => {
    const server = await build(() => Promise.resolve(null));
    expect((await server.inject({ url: '/api/open' })).statusCode).toBe(200);
    const res = await server.inject({ url: '/api/units' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('std-7.2.4.2: a session holding only a temporary password reaches only the routes that allow it', async () => {
    const server = await build(() =>
      Promise.resolve(caller({ sessionState: 'password_change_required' })),
    );
    const blocked = await server.inject({ url: '/api/units' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ error: { code: 'password_change_required' } });
    const allowed = await server.inject({
      method: 'POST',
      url: '/api/password',
      headers: { 'x-csrf-token': 'token-1' },
    });
    expect(allowed.statusCode).toBe(200);
  });

  it('std-5.4.2: a session that has not passed the second factor gets mfa_required', async () => {
    const server = await build(() => Promise.resolve(caller({ sessionState: 'mfa_required' })));
    const res = await server.inject({ url: '/api/units' });
    expect(res.json()).toMatchObject({ error: { code: 'mfa_required' } });
  });

  it('rejects a state-changing request without the session CSRF token', async () => {
    const server = await build(() => Promise.resolve(caller({}, [admin])));
    for (const headers of [{}, { 'x-csrf-token': 'wrong' }]) {
      const res = await server.inject({ method: 'POST', url: '/api/units', headers });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'csrf_rejected' } });
    }
    const ok = await server.inject({
      method: 'POST',
      url: '/api/units',
      headers: { 'x-csrf-token': 'token-1' },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('grants by role: staff may read, only the granted roles may manage', async () => {
    const server = await build(() => Promise.resolve(caller()));
    expect((await server.inject({ url: '/api/units' })).statusCode).toBe(200);
    const res = await server.inject({
      method: 'POST',
      url: '/api/units',
      headers: { 'x-csrf-token': 'token-1' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('std-7.2.5: a privileged operation needs an elevation still in force', async () => {
    const now = new Date('2026-11-25T10:00:00Z');
    const post = (s: FastifyInstance) =>
      s.inject({ method: 'POST', url: '/api/roles', headers: { 'x-csrf-token': 'token-1' } });
    const notElevated = await build(() => Promise.resolve(caller({}, [cso])), now);
    expect((await post(notElevated)).json()).toMatchObject({ error: { code: 'step_up_required' } });
    await notElevated.close();
    const expired = await build(
      () => Promise.resolve(caller({ elevatedUntil: new Date(now.getTime() - 1) }, [cso])),
      now,
    );
    expect((await post(expired)).statusCode).toBe(403);
    await expired.close();
    const elevated = await build(
      () => Promise.resolve(caller({ elevatedUntil: new Date(now.getTime() + 60_000) }, [cso])),
      now,
    );
    expect((await post(elevated)).statusCode).toBe(200);
  });

  it('answers 401 before validating the body (nothing learnt from validation errors)', async () => {
    const server = await build(() => Promise.resolve(null));
    const res = await server.inject({
      method: 'POST',
      url: '/api/units',
      payload: 'not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(401);
  });

  it('refuses to start when an API route declares no permission', () => {
    app = Fastify();
    registerRouteGuard(app, () => Promise.resolve(null));
    const server = app;
    expect(() => server.get('/api/forgotten', () => ({}))).toThrow(/declares no permission/);
  });
});
