import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs } from '../../../test/auth-as.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createAccount, createTenant } from '../../../test/factories.js';
import { SoftwareAuthenticator } from '../../../test/software-authenticator.js';
import { createTestServer, type TestServer } from '../../../test/test-server.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { totpCode } from '../../platform/auth/totp.js';

let db: TestDatabase;
let server: TestServer;
let tenantId: string;
const ORIGIN = 'http://localhost';

beforeAll(async () => {
  db = await createTestDatabase();
  server = await createTestServer(db.app);
  tenantId = (await createTenant(db.ownerUrl, { name: '架空市' })).id;
});
afterAll(async () => {
  await server.app.close();
  await db.drop();
});

async function owner<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: db.ownerUrl });
  await c.connect();
  try {
    await c.query(`SELECT set_config('app.tenant_id', $1, false)`, [tenantId]);
    return await fn(c);
  } finally {
    await c.end();
  }
}

const PASSWORD = 'あさひがのぼるやまなみのむこう';

/** An account with a known password (temporary or not). */
async function account(options: { temporary?: boolean; admin?: boolean } = {}) {
  const a = await createAccount(db.ownerUrl, tenantId);
  const hash = await hashPassword(PASSWORD);
  await owner(async (c) => {
    await c.query(
      `UPDATE accounts SET password_hash = $1, must_change_password = $2,
         password_expires_at = now() + interval '1 day' WHERE id = $3`,
      [hash, options.temporary ?? false, a.id],
    );
    if (options.admin) {
      await c.query(
        `INSERT INTO account_roles (tenant_id, account_id, role) VALUES ($1, $2, 'tenant_admin')`,
        [tenantId, a.id],
      );
    }
  });
  return a;
}

interface Session {
  cookie: string;
  csrf: string;
  body: Record<string, unknown>;
}

function cookieOf(res: { cookies: { name: string; value: string }[] }): string {
  const c = res.cookies.find((x) => x.name === 'mamori-session');
  if (!c) throw new Error('no session cookie');
  return `mamori-session=${c.value}`;
}

/** A fresh client address per request, so the per-IP login limit counts only its own test. */
let ipCounter = 0;
function nextIp(): string {
  ipCounter += 1;
  return `10.0.${String(Math.floor(ipCounter / 250))}.${String((ipCounter % 250) + 1)}`;
}

async function login(loginName: string, password = PASSWORD, remoteAddress = nextIp()) {
  return server.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress,
    headers: { 'x-mamori-request': '1', origin: ORIGIN },
    payload: { loginName, password },
  });
}

async function loggedIn(loginName: string): Promise<Session> {
  const res = await login(loginName);
  expect(res.statusCode).toBe(200);
  const body = res.json<Record<string, unknown>>();
  return { cookie: cookieOf(res), csrf: body.csrfToken as string, body };
}

async function post(s: Session, url: string, payload?: unknown) {
  const res = await server.app.inject({
    method: 'POST',
    url,
    remoteAddress: nextIp(),
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  return res;
}

/** Follows a rotation: the new cookie and CSRF token. */
function next(res: Awaited<ReturnType<typeof post>>): Session {
  const body = res.json<Record<string, unknown>>();
  const session = (body.session ?? body) as Record<string, unknown>;
  return { cookie: cookieOf(res), csrf: session.csrfToken as string, body };
}

/** Enrols TOTP from the enrolment state; returns the active session and the secret. */
async function enrolTotp(
  s: Session,
): Promise<{ session: Session; secret: string; codes: string[] }> {
  const start = await post(s, '/api/auth/mfa/totp/enrolment');
  expect(start.statusCode).toBe(200);
  const { secret } = start.json<{ secret: string }>();
  const confirm = await post(s, '/api/auth/mfa/totp/enrolment/confirm', {
    code: totpCode(secret, new Date()),
  });
  expect(confirm.statusCode).toBe(200);
  const body = confirm.json<{ recoveryCodes: string[]; session: { state: string } }>();
  expect(body.session.state).toBe('active');
  return { session: next(confirm), secret, codes: body.recoveryCodes };
}

const later = (steps: number) => new Date(Date.now() + steps * 30_000);

describe('login (std-7.2.3)', () => {
  it('std-7.2.3: an unknown login name and a wrong password get the same answer', async () => {
    const a = await account();
    const wrong = await login(a.loginName, 'wrong password 123');
    const unknown = await login('no-such-person', 'wrong password 123');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
  });

  it('rejects a login without the custom header or from another origin (login CSRF)', async () => {
    const a = await account();
    const noHeader = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { loginName: a.loginName, password: PASSWORD },
    });
    expect(noHeader.json()).toMatchObject({ error: { code: 'csrf_rejected' } });
    const foreign = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-mamori-request': '1', origin: 'https://evil.example' },
      payload: { loginName: a.loginName, password: PASSWORD },
    });
    expect(foreign.statusCode).toBe(403);
  });

  it('std-7.2.3: locks the account at auth.lockout.threshold (10) failures', async () => {
    const a = await account();
    for (let i = 0; i < 10; i++) {
      expect((await login(a.loginName, `wrong-${String(i)}-password`)).statusCode).toBe(401);
    }
    const right = await login(a.loginName);
    expect(right.statusCode).toBe(401);
    expect(right.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
    const row = await owner(
      async (c) =>
        (
          await c.query<{ locked: boolean; n: number; outcome: string }>(
            `SELECT a.locked_until > now() AS locked, a.failed_login_count AS n,
             (SELECT outcome FROM login_attempts WHERE account_id = a.id
              ORDER BY attempted_at DESC LIMIT 1) AS outcome
           FROM accounts a WHERE id = $1`,
            [a.id],
          )
        ).rows[0],
    );
    expect(row).toEqual({ locked: true, n: 10, outcome: 'locked' });
    const events = await owner(
      async (c) =>
        (
          await c.query(
            `SELECT 1 FROM operation_log WHERE action = 'identity.account_locked' AND subject_id = $1`,
            [a.id],
          )
        ).rowCount,
    );
    expect(events).toBe(1);
  });
});

describe('temporary password and first login (std-7.2.4.2, std-5.4.2)', () => {
  it('std-7.2.4.2: answers 403 everywhere but change-password and logout, then forces MFA enrolment', async () => {
    const a = await account({ temporary: true });
    const s = await loggedIn(a.loginName);
    expect(s.body.state).toBe('password_change_required');
    const blocked = await server.app.inject({
      method: 'GET',
      url: '/api/auth/sessions',
      headers: { cookie: s.cookie },
    });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ error: { code: 'password_change_required' } });
    expect((await post(s, '/api/auth/mfa/totp/enrolment')).statusCode).toBe(403);

    const weak = await post(s, '/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'password',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({
      error: { code: 'password_rejected', details: { reasons: ['too_short', 'common_password'] } },
    });
    const city = await post(s, '/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: '架空市のしずかなあさひがのぼる',
    });
    expect(city.json()).toMatchObject({
      error: { details: { reasons: ['contains_municipality_name'] } },
    });

    const changed = await post(s, '/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'みずうみのほとりでよむほん',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ state: 'mfa_enrolment_required' });
    const enrolling = next(changed);
    // Session id rotation: the old cookie no longer works.
    expect(enrolling.cookie).not.toBe(s.cookie);
    const old = await server.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: s.cookie },
    });
    expect(old.statusCode).toBe(401);

    const { codes } = await enrolTotp(enrolling);
    expect(codes).toHaveLength(10);
  });
});

describe('TOTP (RFC 6238, std-5.4.2)', () => {
  it('a code is accepted once: the same code at the next login is a replay', async () => {
    const a = await account();
    const first = await loggedIn(a.loginName);
    expect(first.body.state).toBe('mfa_enrolment_required');
    const { secret } = await enrolTotp(first);

    const second = await loggedIn(a.loginName);
    expect(second.body).toMatchObject({
      state: 'mfa_required',
      availableFactors: ['totp', 'recovery_code'],
    });
    const code = totpCode(secret, later(1));
    const ok = await post(second, '/api/auth/mfa/totp', { code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'active' });

    const third = await loggedIn(a.loginName);
    const replay = await post(third, '/api/auth/mfa/totp', { code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ error: { code: 'mfa_failed' } });
  });

  it('a recovery code works once', async () => {
    const a = await account();
    const { codes } = await enrolTotp(await loggedIn(a.loginName));
    const code = codes[0] ?? '';
    const s1 = await loggedIn(a.loginName);
    expect((await post(s1, '/api/auth/mfa/recovery-code', { code })).statusCode).toBe(200);
    const s2 = await loggedIn(a.loginName);
    expect((await post(s2, '/api/auth/mfa/recovery-code', { code })).statusCode).toBe(401);
  });
});

describe('re-enrolling the authenticator app (std-5.4.2, std-7.2.5)', () => {
  /** Operation-log entries of `accountId` with an `identity.mfa_` action, after `seq`. */
  async function mfaEvents(accountId: string, seq: number) {
    return owner(async (c) => {
      const r = await c.query<{ action: string; payload: Record<string, unknown> | null }>(
        `SELECT l.action, p.payload FROM operation_log l
           LEFT JOIN operation_log_payloads p ON p.tenant_id = l.tenant_id AND p.seq = l.seq
          WHERE l.tenant_id = $1 AND l.seq > $2 AND l.subject_id = $3
            AND l.action LIKE 'identity.mfa_%' ORDER BY l.seq`,
        [tenantId, seq, accountId],
      );
      return r.rows.map((row) => [row.action, row.payload]);
    });
  }
  async function lastSeq(): Promise<number> {
    return owner(async (c) => {
      const r = await c.query<{ seq: string | null }>(
        `SELECT max(seq)::text AS seq FROM operation_log WHERE tenant_id = $1`,
        [tenantId],
      );
      return Number(r.rows[0]?.seq ?? 0);
    });
  }
  /** A fresh login's second step with an authenticator code. */
  async function secondStep(loginName: string, code: string) {
    return post(await loggedIn(loginName), '/api/auth/mfa/totp', { code });
  }

  it('std-5.4.2: the only factor is replaced in place; the old secret works until the new one is confirmed', async () => {
    const a = await account();
    const { session, secret, codes } = await enrolTotp(await loggedIn(a.loginName));
    // Privileged self-operation (std-7.2.5): refused without a recent step-up.
    const refused = await post(session, '/api/auth/mfa/totp/enrolment');
    expect(refused.json()).toMatchObject({ error: { code: 'step_up_required' } });
    // A recovery code for the step-up, so no authenticator step is used up before the checks.
    const stepUp = await post(session, '/api/auth/step-up', {
      method: 'recovery_code',
      code: codes[0],
    });
    expect(stepUp.statusCode).toBe(200);
    const elevated = next(stepUp);

    const before = await lastSeq();
    const start = await post(elevated, '/api/auth/mfa/totp/enrolment');
    expect(start.statusCode).toBe(200);
    const { secret: newSecret } = start.json<{ secret: string }>();
    expect(newSecret).not.toBe(secret);

    // A wrong confirmation code is refused and leaves the registered secret in place.
    const wrongCode = totpCode(secret, new Date()) === '000000' ? '111111' : '000000';
    const wrong = await post(elevated, '/api/auth/mfa/totp/enrolment/confirm', { code: wrongCode });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: { code: 'mfa_failed' } });
    // Until the confirmation the old secret still logs in.
    expect((await secondStep(a.loginName, totpCode(secret, later(1)))).statusCode).toBe(200);

    const replacedFrom = Date.now() - 1_000;
    const confirm = await post(elevated, '/api/auth/mfa/totp/enrolment/confirm', {
      code: totpCode(newSecret, new Date()),
    });
    expect(confirm.statusCode).toBe(200);
    // Not a first enrolment: no new recovery codes, and the session stays as it was.
    expect(confirm.json()).toMatchObject({ recoveryCodes: null, session: { state: 'active' } });

    // From now on only the new secret is accepted.
    const old = await secondStep(a.loginName, totpCode(secret, later(1)));
    expect(old.statusCode).toBe(401);
    expect((await secondStep(a.loginName, totpCode(newSecret, later(1)))).statusCode).toBe(200);
    const factors = await server.app.inject({
      method: 'GET',
      url: '/api/auth/mfa',
      headers: { cookie: elevated.cookie },
    });
    // The registration date is the replacement's.
    const confirmedAt = factors.json<{ totp: { confirmedAt: string } | null }>().totp?.confirmedAt;
    expect(Date.parse(confirmedAt ?? '')).toBeGreaterThanOrEqual(replacedFrom);

    // Both steps are in the operation log, without the secret.
    expect(await mfaEvents(a.id, before)).toEqual([
      ['identity.mfa_enrolment_started', { method: 'totp', replacesExisting: true }],
      ['identity.mfa_enrolled', { method: 'totp', replacedExisting: true }],
    ]);
  });

  it('a confirmation without a started replacement is a conflict, and the registered app stays', async () => {
    const a = await account();
    const { session, secret, codes } = await enrolTotp(await loggedIn(a.loginName));
    const elevated = next(
      await post(session, '/api/auth/step-up', { method: 'recovery_code', code: codes[0] }),
    );
    const confirm = await post(elevated, '/api/auth/mfa/totp/enrolment/confirm', {
      code: totpCode(secret, new Date()),
    });
    expect(confirm.statusCode).toBe(409);
    expect((await secondStep(a.loginName, totpCode(secret, later(1)))).statusCode).toBe(200);
  });
});

describe('session permissions for the UI (house style 3)', () => {
  async function sessionOf(headers: Record<string, string>) {
    const res = await server.app.inject({ method: 'GET', url: '/api/auth/session', headers });
    expect(res.statusCode).toBe(200);
    return res.json<{ permissions: string[]; account: { roles: string[] } }>();
  }

  it('std-7.1.6: a chief_security_officer (policy role) gets the operation log and role grants; staff do not', async () => {
    const cso = await signInAs(db.ownerUrl, tenantId, { roles: ['chief_security_officer'] });
    const csoSession = await sessionOf(cso.headers);
    expect(csoSession.permissions).toEqual(
      expect.arrayContaining([
        'operation_log:read',
        'operation_log:review',
        'role_assignment:manage',
        'session:self',
      ]),
    );
    expect(csoSession.permissions).not.toContain('account:manage');
    // A policy role is not a platform role: the UI must not need role names to see it.
    expect(csoSession.account.roles).toEqual([]);

    const staff = await signInAs(db.ownerUrl, tenantId);
    const staffSession = await sessionOf(staff.headers);
    expect(staffSession.permissions).toContain('session:self');
    expect(staffSession.permissions).not.toContain('operation_log:read');
    expect(staffSession.permissions).not.toContain('role_assignment:manage');

    const admin = await signInAs(db.ownerUrl, tenantId, { roles: ['tenant_admin'] });
    expect((await sessionOf(admin.headers)).permissions).toEqual(
      expect.arrayContaining(['account:read', 'account:manage', 'operation_log:read']),
    );
  });

  it('grants nothing before the login is complete', async () => {
    const pending = await signInAs(db.ownerUrl, tenantId, {
      roles: ['chief_security_officer'],
      state: 'mfa_required',
    });
    expect((await sessionOf(pending.headers)).permissions).toEqual([]);
  });
});

describe('WebAuthn (std-5.4.2, software authenticator)', () => {
  it('registers a key, logs in with it, and rejects a wrong origin and a reused challenge', async () => {
    const a = await account();
    const key = new SoftwareAuthenticator(ORIGIN);
    const s = await loggedIn(a.loginName);
    const creation = await post(s, '/api/auth/mfa/webauthn/registration/options');
    expect(creation.statusCode).toBe(200);
    const registered = await post(s, '/api/auth/mfa/webauthn/registration', {
      name: '試験用キー',
      response: key.register(creation.json()),
    });
    expect(registered.statusCode).toBe(200);
    expect(registered.json()).toMatchObject({ session: { state: 'active' } });

    // Wrong origin: refused, and the challenge is spent.
    const s2 = await loggedIn(a.loginName);
    const options2 = (await post(s2, '/api/auth/mfa/webauthn/options')).json<{
      challenge: string;
    }>();
    const phished = await post(s2, '/api/auth/mfa/webauthn', {
      response: key.authenticate(options2, { origin: 'https://mamori.evil.example' }),
    });
    expect(phished.statusCode).toBe(401);
    expect(phished.json()).toMatchObject({ error: { code: 'mfa_failed' } });

    const s3 = await loggedIn(a.loginName);
    const options3 = (await post(s3, '/api/auth/mfa/webauthn/options')).json<{
      challenge: string;
    }>();
    const assertion = key.authenticate(options3);
    const ok = await post(s3, '/api/auth/mfa/webauthn', { response: assertion });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'active' });

    // Reused challenge: the same assertion again, in a new pending session.
    const s4 = await loggedIn(a.loginName);
    await post(s4, '/api/auth/mfa/webauthn/options');
    const replay = await post(s4, '/api/auth/mfa/webauthn', { response: assertion });
    expect(replay.statusCode).toBe(401);
  });
});

describe('sessions (std-6.1.1.7, std-7.2.3)', () => {
  async function activeSession() {
    const a = await account();
    const { session, secret } = await enrolTotp(await loggedIn(a.loginName));
    return { a, session, secret };
  }

  it('rejects a state-changing request without the CSRF token', async () => {
    const { session } = await activeSession();
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: session.cookie },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'csrf_rejected' } });
    expect((await post(session, '/api/auth/logout')).statusCode).toBe(204);
    const after = await server.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: session.cookie },
    });
    expect(after.statusCode).toBe(401);
  });

  it('std-6.1.1.7: ends a session after the idle timeout and after the absolute timeout', async () => {
    const idle = await activeSession();
    await owner((c) =>
      c.query(
        `UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE account_id = $1`,
        [idle.a.id],
      ),
    );
    const res = await server.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: idle.session.cookie },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'session_expired' } });

    const absolute = await activeSession();
    await owner((c) =>
      c.query(
        `UPDATE sessions SET absolute_expires_at = now() - interval '1 second' WHERE account_id = $1`,
        [absolute.a.id],
      ),
    );
    const res2 = await server.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: absolute.session.cookie },
    });
    expect(res2.json()).toMatchObject({ error: { code: 'session_expired' } });
  });

  it('std-7.2.3: shows the previous login and the failed attempts since', async () => {
    const { a, secret } = await activeSession();
    const previous = await owner(
      async (c) =>
        (
          await c.query<{ ip: string }>(`SELECT last_login_ip AS ip FROM accounts WHERE id = $1`, [
            a.id,
          ])
        ).rows[0]?.ip,
    );
    await login(a.loginName, 'wrong password one');
    await login(a.loginName, 'wrong password two');
    const s = await loggedIn(a.loginName);
    const ok = await post(s, '/api/auth/mfa/totp', { code: totpCode(secret, later(1)) });
    expect(previous).toMatch(/^10\.0\./);
    expect(ok.json()).toMatchObject({
      state: 'active',
      previousLogin: { ip: previous },
      failedAttemptsSincePreviousLogin: 2,
    });
  });

  it('std-7.2.5: privileged admin actions need a step-up; disabling an account ends its sessions', async () => {
    const admin = await activeSession();
    await owner((c) =>
      c.query(
        `INSERT INTO account_roles (tenant_id, account_id, role) VALUES ($1, $2, 'tenant_admin')`,
        [tenantId, admin.a.id],
      ),
    );
    const target = await activeSession();
    const url = `/api/identity/accounts/${target.a.id}/disable`;
    const denied = await post(admin.session, url, { reason: '退職' });
    expect(denied.json()).toMatchObject({ error: { code: 'step_up_required' } });

    const stepUp = await post(admin.session, '/api/auth/step-up', {
      method: 'totp',
      code: totpCode(admin.secret, later(1)),
    });
    expect(stepUp.statusCode).toBe(200);
    const elevated = next(stepUp);
    expect(elevated.cookie).not.toBe(admin.session.cookie);
    expect(stepUp.json<{ elevatedUntil: string | null }>().elevatedUntil).not.toBeNull();

    const disabled = await post(elevated, url, { reason: '退職' });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ account: { disabled: true } });
    const gone = await server.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: target.session.cookie },
    });
    expect(gone.statusCode).toBe(401);
    expect((await login(target.a.loginName)).statusCode).toBe(401);

    const list = await server.app.inject({
      method: 'GET',
      url: '/api/identity/accounts',
      headers: { cookie: elevated.cookie },
    });
    expect(list.statusCode).toBe(200);
  });

  it('std-7.2.3: the login route has a stricter per-IP rate limit', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) {
      codes.push((await login('rate-limit-probe', 'x', '192.0.2.7')).statusCode);
    }
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes[20]).toBe(429);
  });
});
