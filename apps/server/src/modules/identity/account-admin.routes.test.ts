import { randomInt } from 'node:crypto';
import { CSRF_HEADER, SESSION_COOKIE_PLAIN } from '@mamori/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type SignedIn } from '../../../test/auth-as.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createAccount, createTenant, type TestTenant } from '../../../test/factories.js';
import { createTestServer, type TestServer } from '../../../test/test-server.js';
import { totpCode } from '../../platform/auth/totp.js';
import { inTenant, tenantScope } from '../../platform/db/database.js';
import { loadPolicyPackRegistry } from '../../platform/policy-pack-registry.js';
import { disableAccountInTx } from './commands/administer-accounts.js';
import { accountAbilities } from './identity.policy.js';
import { readIdentitySettings, type IdentitySettings } from './identity.settings.js';

/**
 * Account administration by the tenant_admin (issue 4 "Administrator
 * functions"; std-7.2.3, std-7.2.4.2, std-7.2.5, std-5.4.2), against the real
 * server and PostgreSQL. Every request goes through the `/t/{code}` prefix of
 * a shared install, so another tenant's administrator can be tried too.
 */

let db: TestDatabase;
let server: TestServer;
let tenant: TestTenant;
let other: TestTenant;
let settings: IdentitySettings;
let admin: SignedIn;
let otherAdmin: SignedIn;

const ORIGIN = 'http://localhost';
const PASSWORD = 'あさひがのぼるやまなみのむこう';
const ELEVATED_MS = 10 * 60_000;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await createTestServer(db.app, { MAMORI_TENANCY: 'shared' });
  tenant = await createTenant(db.ownerUrl, { name: '架空市' });
  other = await createTenant(db.ownerUrl, { name: '試験町' });
  const packs = await loadPolicyPackRegistry(server.config.policyPacksDir, 'hokuto');
  const pack = await packs.get('hokuto');
  // The thresholds in effect, read the way the server reads them.
  settings = await inTenant(db.app, tenantScope(tenant.id), (tx) => readIdentitySettings(tx, pack));
  admin = await signInAs(db.ownerUrl, tenant.id, {
    roles: ['tenant_admin'],
    elevatedForMs: ELEVATED_MS,
  });
  otherAdmin = await signInAs(db.ownerUrl, other.id, {
    roles: ['tenant_admin'],
    elevatedForMs: ELEVATED_MS,
  });
});
afterAll(async () => {
  await server.app.close();
  await db.drop();
});

// ── Helpers ─────────────────────────────────────────────────────────────────

type Headers = Record<string, string>;
/** A response of `app.inject`. */
type Response = Awaited<ReturnType<TestServer['app']['inject']>>;

/** A fresh client address per request: the per-IP login limit counts only its own calls. */
let ipCounter = 0;
function nextIp(): string {
  ipCounter += 1;
  return `10.4.${String(Math.floor(ipCounter / 250))}.${String((ipCounter % 250) + 1)}`;
}

async function api(
  method: 'GET' | 'POST',
  path: string,
  options: { as?: Headers; payload?: Record<string, unknown>; code?: string } = {},
): Promise<Response> {
  return server.app.inject({
    method,
    url: `/t/${options.code ?? tenant.code}${path}`,
    remoteAddress: nextIp(),
    headers: options.as ?? {},
    ...(options.payload === undefined ? {} : { payload: options.payload }),
  });
}

async function login(loginName: string, password: string, code = tenant.code): Promise<Response> {
  return server.app.inject({
    method: 'POST',
    url: `/t/${code}/api/auth/login`,
    remoteAddress: nextIp(),
    headers: { 'x-mamori-request': '1', origin: ORIGIN },
    payload: { loginName, password },
  });
}

/** The session of a response that set one (login, password change, enrolment). */
function sessionOf(res: Response): Headers {
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE_PLAIN);
  if (!cookie) throw new Error('no session cookie');
  const body = res.json<{ csrfToken?: string; session?: { csrfToken: string } }>();
  const csrf = body.session?.csrfToken ?? body.csrfToken ?? '';
  return { cookie: `${SESSION_COOKIE_PLAIN}=${cookie.value}`, [CSRF_HEADER]: csrf };
}

const codeOf = (res: Response) => res.json<{ error?: { code?: string } }>().error?.code;
const later = (steps: number) => new Date(Date.now() + steps * 30_000);
const newLoginName = () => `kakuu.${String(randomInt(1e9))}`;

async function owner<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: db.ownerUrl });
  await c.connect();
  try {
    await c.query(`SELECT set_config('app.tenant_id', $1, false)`, [tenant.id]);
    return await fn(c);
  } finally {
    await c.end();
  }
}

interface LogEntry {
  actor_type: string;
  actor_id: string;
  action: string;
  subject_type: string;
  subject_id: string;
  payload: Record<string, unknown> | null;
}

async function lastSeq(): Promise<number> {
  return owner(async (c) => {
    const r = await c.query<{ seq: string | null }>(
      `SELECT max(seq)::text AS seq FROM operation_log WHERE tenant_id = $1`,
      [tenant.id],
    );
    return Number(r.rows[0]?.seq ?? 0);
  });
}

/** The tenant's operation-log entries after `seq`, oldest first, with their payloads. */
async function logSince(seq: number): Promise<LogEntry[]> {
  return owner(async (c) => {
    const r = await c.query<LogEntry>(
      `SELECT l.actor_type, l.actor_id, l.action, l.subject_type, l.subject_id, p.payload
         FROM operation_log l
         LEFT JOIN operation_log_payloads p ON p.tenant_id = l.tenant_id AND p.seq = l.seq
        WHERE l.tenant_id = $1 AND l.seq > $2 ORDER BY l.seq`,
      [tenant.id, seq],
    );
    return r.rows;
  });
}

/** Runs an admin action and expects exactly one log entry: the admin acting on the account. */
async function expectOneEntry(
  action: string,
  accountId: string,
  run: () => Promise<Response>,
  actor: SignedIn = admin,
): Promise<{ res: Response; entry: LogEntry }> {
  const before = await lastSeq();
  const res = await run();
  expect(res.statusCode).toBe(200);
  const entries = await logSince(before);
  expect(entries).toHaveLength(1);
  const entry = entries[0] as LogEntry;
  expect(entry).toMatchObject({
    actor_type: 'account',
    actor_id: actor.accountId,
    action,
    subject_type: 'account',
    subject_id: accountId,
  });
  return { res, entry };
}

interface Onboarded {
  id: string;
  loginName: string;
  secret: string;
  recoveryCodes: string[];
  /** The active session reached at the end of onboarding. */
  session: Headers;
}

/**
 * The whole first login of an account the admin creates: temporary password
 * → own password → TOTP enrolment (std-7.2.4.2, std-5.4.2).
 */
async function onboard(): Promise<Onboarded> {
  const loginName = newLoginName();
  const created = await api('POST', '/api/identity/accounts', {
    as: admin.headers,
    payload: { loginName, displayName: '試験 花子' },
  });
  expect(created.statusCode).toBe(200);
  const { account, temporaryPassword } = created.json<{
    account: { id: string };
    temporaryPassword: string;
  }>();
  const first = await login(loginName, temporaryPassword);
  expect(first.json()).toMatchObject({ state: 'password_change_required' });
  const changed = await api('POST', '/api/auth/password', {
    as: sessionOf(first),
    payload: { currentPassword: temporaryPassword, newPassword: PASSWORD },
  });
  expect(changed.json()).toMatchObject({ state: 'mfa_enrolment_required' });
  const enrolling = sessionOf(changed);
  const start = await api('POST', '/api/auth/mfa/totp/enrolment', { as: enrolling });
  expect(start.statusCode).toBe(200);
  const { secret } = start.json<{ secret: string }>();
  const confirm = await api('POST', '/api/auth/mfa/totp/enrolment/confirm', {
    as: enrolling,
    payload: { code: totpCode(secret, new Date()) },
  });
  expect(confirm.json()).toMatchObject({ session: { state: 'active' } });
  return {
    id: account.id,
    loginName,
    secret,
    recoveryCodes: confirm.json<{ recoveryCodes: string[] }>().recoveryCodes,
    session: sessionOf(confirm),
  };
}

async function sessionStatus(session: Headers, code = tenant.code): Promise<number> {
  return (await api('GET', '/api/auth/session', { as: session, code })).statusCode;
}

async function accountRow(id: string) {
  return owner(async (c) => {
    const r = await c.query<{
      password_hash: string;
      disabled: boolean;
      locked: boolean;
      failed: number;
      must_change: boolean;
    }>(
      `SELECT password_hash, disabled_at IS NOT NULL AS disabled,
              coalesce(locked_until > now(), false) AS locked, failed_login_count AS failed,
              must_change_password AS must_change
         FROM accounts WHERE id = $1`,
      [id],
    );
    return r.rows[0];
  });
}

// ── The routes ──────────────────────────────────────────────────────────────

const PER_ACCOUNT: readonly { path: string; payload?: Record<string, unknown> }[] = [
  { path: 'reset-password' },
  { path: 'unlock' },
  { path: 'enable' },
  { path: 'reset-mfa' },
  { path: 'disable', payload: { reason: '退職' } },
];

describe('who may administer accounts (std-7.2.5, roles.yaml tenant_admin)', () => {
  it('anonymous callers get 401 on every account route', async () => {
    const victim = await createAccount(db.ownerUrl, tenant.id);
    const statuses = [
      (await api('GET', '/api/identity/accounts')).statusCode,
      (
        await api('POST', '/api/identity/accounts', {
          payload: { loginName: newLoginName(), displayName: '試験 一郎' },
        })
      ).statusCode,
    ];
    for (const r of PER_ACCOUNT) {
      const res = await api('POST', `/api/identity/accounts/${victim.id}/${r.path}`, {
        ...(r.payload ? { payload: r.payload } : {}),
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual(Array<number>(statuses.length).fill(401));
  });

  it('staff and the chief_security_officer get 403: only the tenant_admin manages accounts', async () => {
    const victim = await createAccount(db.ownerUrl, tenant.id);
    const before = await accountRow(victim.id);
    const seq = await lastSeq();
    for (const roles of [[], ['chief_security_officer']] as const) {
      const caller = await signInAs(db.ownerUrl, tenant.id, {
        roles: [...roles],
        elevatedForMs: ELEVATED_MS,
      });
      const list = await api('GET', '/api/identity/accounts', { as: caller.headers });
      expect([list.statusCode, codeOf(list)]).toEqual([403, 'forbidden']);
      const create = await api('POST', '/api/identity/accounts', {
        as: caller.headers,
        payload: { loginName: newLoginName(), displayName: '試験 一郎' },
      });
      expect([create.statusCode, codeOf(create)]).toEqual([403, 'forbidden']);
      for (const r of PER_ACCOUNT) {
        const res = await api('POST', `/api/identity/accounts/${victim.id}/${r.path}`, {
          as: caller.headers,
          ...(r.payload ? { payload: r.payload } : {}),
        });
        expect([r.path, res.statusCode, codeOf(res)]).toEqual([r.path, 403, 'forbidden']);
      }
    }
    expect(await accountRow(victim.id)).toEqual(before);
    const touching = (await logSince(seq)).filter((e) => e.subject_id === victim.id);
    expect(touching).toEqual([]);
  });

  it('std-7.2.5: a tenant_admin without a recent step-up gets step_up_required on every change', async () => {
    const notElevated = await signInAs(db.ownerUrl, tenant.id, { roles: ['tenant_admin'] });
    const victim = await createAccount(db.ownerUrl, tenant.id);
    const before = await accountRow(victim.id);
    const create = await api('POST', '/api/identity/accounts', {
      as: notElevated.headers,
      payload: { loginName: newLoginName(), displayName: '試験 一郎' },
    });
    expect([create.statusCode, codeOf(create)]).toEqual([403, 'step_up_required']);
    for (const r of PER_ACCOUNT) {
      const res = await api('POST', `/api/identity/accounts/${victim.id}/${r.path}`, {
        as: notElevated.headers,
        ...(r.payload ? { payload: r.payload } : {}),
      });
      expect([r.path, res.statusCode, codeOf(res)]).toEqual([r.path, 403, 'step_up_required']);
    }
    expect(await accountRow(victim.id)).toEqual(before);
    // Reading the list is not a privileged operation: no step-up needed.
    expect(
      (await api('GET', '/api/identity/accounts', { as: notElevated.headers })).statusCode,
    ).toBe(200);
  });

  it("another tenant's admin cannot see or touch this tenant's accounts", async () => {
    const victim = await onboard();
    const before = await accountRow(victim.id);
    const seq = await lastSeq();

    // Their session does not exist in this tenant: 401.
    const list = await api('GET', '/api/identity/accounts', { as: otherAdmin.headers });
    expect(list.statusCode).toBe(401);
    for (const r of PER_ACCOUNT) {
      const res = await api('POST', `/api/identity/accounts/${victim.id}/${r.path}`, {
        as: otherAdmin.headers,
        ...(r.payload ? { payload: r.payload } : {}),
      });
      expect([r.path, res.statusCode]).toEqual([r.path, 401]);
    }

    // In their own tenant, this tenant's account id is unknown: 404.
    for (const r of PER_ACCOUNT) {
      const res = await api('POST', `/api/identity/accounts/${victim.id}/${r.path}`, {
        as: otherAdmin.headers,
        code: other.code,
        ...(r.payload ? { payload: r.payload } : {}),
      });
      expect([r.path, res.statusCode, codeOf(res)]).toEqual([r.path, 404, 'not_found']);
    }
    const theirs = await api('GET', '/api/identity/accounts', {
      as: otherAdmin.headers,
      code: other.code,
    });
    expect(theirs.statusCode).toBe(200);
    const ids = theirs.json<{ accounts: { id: string }[] }>().accounts.map((a) => a.id);
    expect(ids).toContain(otherAdmin.accountId);
    expect(ids).not.toContain(victim.id);

    // Nothing happened to the account: its session lives, its row and log are untouched.
    expect(await sessionStatus(victim.session)).toBe(200);
    expect(await accountRow(victim.id)).toEqual(before);
    expect((await logSince(seq)).filter((e) => e.subject_id === victim.id)).toEqual([]);
  });

  it('an unknown account id answers 404 on every per-account route', async () => {
    const unknown = '7d1c3f0e-2b8a-4c1e-9a55-0d5e6f7a8b9c';
    for (const r of PER_ACCOUNT) {
      const res = await api('POST', `/api/identity/accounts/${unknown}/${r.path}`, {
        as: admin.headers,
        ...(r.payload ? { payload: r.payload } : {}),
      });
      expect([r.path, res.statusCode, codeOf(res)]).toEqual([r.path, 404, 'not_found']);
    }
  });
});

describe('create account (std-7.2.4.2: temporary password shown once)', () => {
  it('returns a temporary password of ≥ 15 characters once; the account must change it', async () => {
    const loginName = newLoginName();
    const before = await lastSeq();
    const created = await api('POST', '/api/identity/accounts', {
      as: admin.headers,
      payload: { loginName, displayName: '架空 花子', email: 'hanako@example.jp' },
    });
    expect(created.statusCode).toBe(200);
    const body = created.json<{
      account: { id: string; loginName: string; mustChangePassword: boolean; roles: string[] };
      temporaryPassword: string;
      expiresAt: string;
    }>();
    expect(body.temporaryPassword.length).toBeGreaterThanOrEqual(15);
    expect(body.account).toMatchObject({ loginName, mustChangePassword: true, roles: [] });
    // std-7.2.4.2: expires after auth.temporary_password.lifetime.
    const lifetime = new Date(body.expiresAt).getTime() - Date.now();
    expect(Math.abs(lifetime - settings.temporaryPasswordLifetimeMs)).toBeLessThan(60_000);

    // One log entry: the admin created this account; the password is not in it.
    const entries = await logSince(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor_type: 'account',
      actor_id: admin.accountId,
      action: 'identity.account_created',
      subject_type: 'account',
      subject_id: body.account.id,
      payload: { loginName, personId: null },
    });
    expect(JSON.stringify(entries)).not.toContain(body.temporaryPassword);

    // Stored hashed (argon2id), never as given.
    const row = await accountRow(body.account.id);
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);
    expect(row?.must_change).toBe(true);

    // Listing the accounts never carries it again.
    const list = await api('GET', '/api/identity/accounts', { as: admin.headers });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(body.temporaryPassword);
    expect(list.body).not.toContain('temporaryPassword"');
    expect(list.json<{ accounts: { id: string }[] }>().accounts.map((a) => a.id)).toContain(
      body.account.id,
    );

    // Logging in with it reaches only the password change (std-7.2.4.2).
    const first = await login(loginName, body.temporaryPassword);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ state: 'password_change_required' });
    const blocked = await api('GET', '/api/auth/sessions', { as: sessionOf(first) });
    expect([blocked.statusCode, codeOf(blocked)]).toEqual([403, 'password_change_required']);
  });

  it('std-5.4.2: starting a TOTP enrolment is logged, and so is its confirmation', async () => {
    const before = await lastSeq();
    const user = await onboard();
    const own = (await logSince(before)).filter(
      (e) => e.subject_id === user.id && e.action.startsWith('identity.mfa_'),
    );
    expect(own.map((e) => [e.action, e.actor_id, e.payload])).toEqual([
      ['identity.mfa_enrolment_started', user.id, { method: 'totp' }],
      ['identity.mfa_enrolled', user.id, { method: 'totp' }],
    ]);
  });

  it('a login name already taken (after NFKC and lower-casing) is 409 conflict', async () => {
    const loginName = newLoginName();
    const first = await api('POST', '/api/identity/accounts', {
      as: admin.headers,
      payload: { loginName, displayName: '試験 一郎' },
    });
    expect(first.statusCode).toBe(200);
    const seq = await lastSeq();
    for (const again of [loginName, loginName.toUpperCase(), ` ${loginName} `]) {
      const res = await api('POST', '/api/identity/accounts', {
        as: admin.headers,
        payload: { loginName: again, displayName: '試験 二郎' },
      });
      expect([again, res.statusCode, codeOf(res)]).toEqual([again, 409, 'conflict']);
    }
    expect(await logSince(seq)).toEqual([]);
    // Login names are per tenant: the other tenant may use the same one.
    const elsewhere = await api('POST', '/api/identity/accounts', {
      as: otherAdmin.headers,
      code: other.code,
      payload: { loginName, displayName: '試験 三郎' },
    });
    expect(elsewhere.statusCode).toBe(200);
  });
});

describe('invalid input is 400, never 500', () => {
  it('rejects a bad account id, a bad login name, a missing reason and a bad e-mail', async () => {
    for (const r of PER_ACCOUNT) {
      const res = await api('POST', `/api/identity/accounts/not-a-uuid/${r.path}`, {
        as: admin.headers,
        ...(r.payload ? { payload: r.payload } : {}),
      });
      expect([r.path, res.statusCode, codeOf(res)]).toEqual([r.path, 400, 'validation_failed']);
    }
    const victim = await createAccount(db.ownerUrl, tenant.id);
    const bad: Record<string, unknown>[] = [
      { loginName: 'a', displayName: '試験 一郎' },
      { loginName: 'has space', displayName: '試験 一郎' },
      { loginName: newLoginName(), displayName: '' },
      { loginName: newLoginName(), displayName: '試験 一郎', email: 'not-an-email' },
      { loginName: newLoginName(), displayName: '試験 一郎', personId: 'not-a-uuid' },
      { displayName: '試験 一郎' },
    ];
    for (const payload of bad) {
      const res = await api('POST', '/api/identity/accounts', { as: admin.headers, payload });
      expect([payload, res.statusCode, codeOf(res)]).toEqual([payload, 400, 'validation_failed']);
    }
    for (const payload of [{}, { reason: '' }, { reason: 'x'.repeat(501) }]) {
      const res = await api('POST', `/api/identity/accounts/${victim.id}/disable`, {
        as: admin.headers,
        payload,
      });
      expect([res.statusCode, codeOf(res)]).toEqual([400, 'validation_failed']);
    }
    expect((await accountRow(victim.id))?.disabled).toBe(false);
  });
});

describe('reset to a temporary password (std-7.2.4.2)', () => {
  it('the old password stops working, the new temporary one works, and sessions end', async () => {
    const user = await onboard();
    const { res, entry } = await expectOneEntry('identity.password_reset', user.id, () =>
      api('POST', `/api/identity/accounts/${user.id}/reset-password`, { as: admin.headers }),
    );
    const body = res.json<{
      temporaryPassword: string;
      account: { mustChangePassword: boolean };
    }>();
    expect(body.temporaryPassword.length).toBeGreaterThanOrEqual(15);
    expect(body.temporaryPassword).not.toBe(PASSWORD);
    expect(body.account.mustChangePassword).toBe(true);
    expect(entry.payload).toMatchObject({ sessionsEnded: 1 });
    expect(JSON.stringify(entry)).not.toContain(body.temporaryPassword);

    expect(await sessionStatus(user.session)).toBe(401);
    const old = await login(user.loginName, PASSWORD);
    expect([old.statusCode, codeOf(old)]).toEqual([401, 'invalid_credentials']);
    const fresh = await login(user.loginName, body.temporaryPassword);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json()).toMatchObject({ state: 'password_change_required' });
  });

  it('an admin cannot reset their own password or factors here (self-service needs their own factor)', async () => {
    const self = await signInAs(db.ownerUrl, tenant.id, {
      roles: ['tenant_admin'],
      elevatedForMs: ELEVATED_MS,
    });
    for (const path of ['reset-password', 'reset-mfa']) {
      const res = await api('POST', `/api/identity/accounts/${self.accountId}/${path}`, {
        as: self.headers,
      });
      expect([path, res.statusCode, codeOf(res)]).toEqual([path, 403, 'forbidden']);
    }
    expect(await sessionStatus(self.headers)).toBe(200);
  });
});

describe('unlock (std-7.2.3)', () => {
  it('a locked account can log in again after an unlock, and its failure counter starts over', async () => {
    const user = await onboard();
    const threshold = settings.lockoutThreshold;
    for (let i = 0; i < threshold; i++) {
      expect((await login(user.loginName, `wrong-password-${String(i)}`)).statusCode).toBe(401);
    }
    expect(await accountRow(user.id)).toMatchObject({ locked: true, failed: threshold });
    const refused = await login(user.loginName, PASSWORD);
    expect([refused.statusCode, codeOf(refused)]).toEqual([401, 'invalid_credentials']);

    const list = await api('GET', '/api/identity/accounts', { as: admin.headers });
    const listed = list
      .json<{ accounts: { id: string; locked: boolean; failedLoginCount: number }[] }>()
      .accounts.find((a) => a.id === user.id);
    expect(listed).toMatchObject({ locked: true, failedLoginCount: threshold });

    const { res, entry } = await expectOneEntry('identity.account_unlocked', user.id, () =>
      api('POST', `/api/identity/accounts/${user.id}/unlock`, { as: admin.headers }),
    );
    expect(res.json()).toMatchObject({
      account: { locked: false, lockedUntil: null, failedLoginCount: 0 },
    });
    expect(entry.payload).toEqual({ failedLoginCount: threshold });
    expect(await accountRow(user.id)).toMatchObject({ locked: false, failed: 0 });

    // One more failure is one, not threshold + 1: the account stays usable.
    expect((await login(user.loginName, 'wrong-password-again')).statusCode).toBe(401);
    expect(await accountRow(user.id)).toMatchObject({ locked: false, failed: 1 });
    const ok = await login(user.loginName, PASSWORD);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'mfa_required' });
  });
});

describe('reset MFA (std-5.4.2: lost authenticator)', () => {
  it('the next login enrols again and the old authenticator and recovery codes no longer work', async () => {
    const user = await onboard();
    const { res, entry } = await expectOneEntry('identity.mfa_reset', user.id, () =>
      api('POST', `/api/identity/accounts/${user.id}/reset-mfa`, { as: admin.headers }),
    );
    expect(res.json()).toMatchObject({ account: { mfaEnrolled: false, mfaMethods: [] } });
    expect(entry.payload).toMatchObject({ sessionsEnded: 1 });
    expect(await sessionStatus(user.session)).toBe(401);

    const next = await login(user.loginName, PASSWORD);
    expect(next.json()).toMatchObject({ state: 'mfa_enrolment_required', availableFactors: [] });
    const enrolling = sessionOf(next);
    // The old factor cannot finish this login.
    const oldTotp = await api('POST', '/api/auth/mfa/totp', {
      as: enrolling,
      payload: { code: totpCode(user.secret, later(1)) },
    });
    expect(oldTotp.statusCode).toBe(403);

    // A new authenticator: a new secret.
    const start = await api('POST', '/api/auth/mfa/totp/enrolment', { as: enrolling });
    const { secret } = start.json<{ secret: string }>();
    expect(secret).not.toBe(user.secret);
    const confirm = await api('POST', '/api/auth/mfa/totp/enrolment/confirm', {
      as: enrolling,
      payload: { code: totpCode(secret, new Date()) },
    });
    expect(confirm.json()).toMatchObject({ session: { state: 'active' } });

    // At the next login the old secret and the old recovery codes fail; the new one works.
    const again = await login(user.loginName, PASSWORD);
    expect(again.json()).toMatchObject({ state: 'mfa_required' });
    const s = sessionOf(again);
    const stale = await api('POST', '/api/auth/mfa/totp', {
      as: s,
      payload: { code: totpCode(user.secret, later(1)) },
    });
    expect([stale.statusCode, codeOf(stale)]).toEqual([401, 'mfa_failed']);
    const staleCode = await api('POST', '/api/auth/mfa/recovery-code', {
      as: s,
      payload: { code: user.recoveryCodes[0] ?? '' },
    });
    expect([staleCode.statusCode, codeOf(staleCode)]).toEqual([401, 'mfa_failed']);
    const ok = await api('POST', '/api/auth/mfa/totp', {
      as: s,
      payload: { code: totpCode(secret, later(1)) },
    });
    expect(ok.json()).toMatchObject({ state: 'active' });
  });
});

describe('disable and enable', () => {
  it('disabling ends the sessions at once and login gets the generic refusal', async () => {
    const user = await onboard();
    expect(await sessionStatus(user.session)).toBe(200);
    const { res, entry } = await expectOneEntry('identity.account_disabled', user.id, () =>
      api('POST', `/api/identity/accounts/${user.id}/disable`, {
        as: admin.headers,
        payload: { reason: '退職' },
      }),
    );
    expect(res.json()).toMatchObject({ account: { disabled: true } });
    expect(entry.payload).toEqual({ reason: '退職', sessionsEnded: 1 });
    expect(await sessionStatus(user.session)).toBe(401);

    // std-7.2.3: the same answer as an unknown login name.
    const refused = await login(user.loginName, PASSWORD);
    const unknown = await login(newLoginName(), PASSWORD);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual(unknown.json());
    expect(codeOf(refused)).toBe('invalid_credentials');

    const twice = await api('POST', `/api/identity/accounts/${user.id}/disable`, {
      as: admin.headers,
      payload: { reason: '退職' },
    });
    expect([twice.statusCode, codeOf(twice)]).toEqual([409, 'conflict']);

    // Enabling lets the person log in again (one log entry too).
    const enabled = await expectOneEntry('identity.account_enabled', user.id, () =>
      api('POST', `/api/identity/accounts/${user.id}/enable`, { as: admin.headers }),
    );
    expect(enabled.res.json()).toMatchObject({ account: { disabled: false } });
    const back = await login(user.loginName, PASSWORD);
    expect(back.json()).toMatchObject({ state: 'mfa_required' });
    const enableAgain = await api('POST', `/api/identity/accounts/${user.id}/enable`, {
      as: admin.headers,
    });
    expect([enableAgain.statusCode, codeOf(enableAgain)]).toEqual([409, 'conflict']);
  });

  it('an admin cannot disable their own account', async () => {
    const self = await signInAs(db.ownerUrl, tenant.id, {
      roles: ['tenant_admin'],
      elevatedForMs: ELEVATED_MS,
    });
    const res = await api('POST', `/api/identity/accounts/${self.accountId}/disable`, {
      as: self.headers,
      payload: { reason: '試験' },
    });
    expect([res.statusCode, codeOf(res)]).toEqual([403, 'forbidden']);
    expect((await accountRow(self.accountId))?.disabled).toBe(false);
    expect(await sessionStatus(self.headers)).toBe(200);
  });

  it('an admin may disable another admin while one enabled admin remains', async () => {
    const second = await signInAs(db.ownerUrl, tenant.id, {
      roles: ['tenant_admin'],
      elevatedForMs: ELEVATED_MS,
    });
    const res = await api('POST', `/api/identity/accounts/${second.accountId}/disable`, {
      as: admin.headers,
      payload: { reason: '異動' },
    });
    expect(res.statusCode).toBe(200);
    expect(await sessionStatus(second.headers)).toBe(401);
  });
});

describe('a municipality never loses its last administrator (std-7.2.1.3f)', () => {
  async function enabledAdmins(tenantId: string): Promise<string[]> {
    const c = new pg.Client({ connectionString: db.ownerUrl });
    await c.connect();
    try {
      await c.query(`SELECT set_config('app.tenant_id', $1, false)`, [tenantId]);
      const r = await c.query<{ id: string }>(
        `SELECT a.id FROM accounts a JOIN account_roles r
            ON r.tenant_id = a.tenant_id AND r.account_id = a.id AND r.role = 'tenant_admin'
          WHERE a.disabled_at IS NULL`,
      );
      return r.rows.map((x) => x.id);
    } finally {
      await c.end();
    }
  }

  it('two admins disabling each other at the same time leave one of them enabled', async () => {
    const town = await createTenant(db.ownerUrl, { name: '架空村' });
    const a = await signInAs(db.ownerUrl, town.id, {
      roles: ['tenant_admin'],
      elevatedForMs: ELEVATED_MS,
    });
    const b = await signInAs(db.ownerUrl, town.id, {
      roles: ['tenant_admin'],
      elevatedForMs: ELEVATED_MS,
    });
    const disable = (by: SignedIn, target: SignedIn) =>
      api('POST', `/api/identity/accounts/${target.accountId}/disable`, {
        as: by.headers,
        code: town.code,
        payload: { reason: '試験' },
      });
    const results = await Promise.all([disable(a, b), disable(b, a)]);
    const outcomes = results.map((r) => [r.statusCode, codeOf(r) ?? null]);
    expect(outcomes.filter(([s]) => s === 200)).toHaveLength(1);
    // The loser is refused: its own account is the last admin, or its session already ended.
    const loser = outcomes.find(([s]) => s !== 200);
    expect([
      [409, 'last_tenant_admin'],
      [401, 'unauthenticated'],
    ]).toContainEqual(loser);
    expect(await enabledAdmins(town.id)).toHaveLength(1);
  });

  it('disabling the only enabled admin (e.g. a personnel event, 退職) is refused with last_tenant_admin', async () => {
    const village = await createTenant(db.ownerUrl, { name: '試験村' });
    const only = await signInAs(db.ownerUrl, village.id, { roles: ['tenant_admin'] });
    const disabledAdmin = await signInAs(db.ownerUrl, village.id, { roles: ['tenant_admin'] });
    await inTenant(db.app, tenantScope(village.id), (tx) =>
      disableAccountInTx(
        tx,
        { type: 'system', id: 'test' },
        disabledAdmin.accountId,
        '退職',
        new Date(),
      ),
    );
    await expect(
      inTenant(db.app, tenantScope(village.id), (tx) =>
        disableAccountInTx(tx, { type: 'system', id: 'test' }, only.accountId, '退職', new Date()),
      ),
    ).rejects.toMatchObject({ code: 'last_tenant_admin' });
    expect(await enabledAdmins(village.id)).toEqual([only.accountId]);
    expect(await sessionStatus(only.headers, village.code)).toBe(200);
  });
});

describe('abilities: the server says which actions the caller may take (house style 3)', () => {
  type Abilities = Record<'resetPassword' | 'unlock' | 'enable' | 'disable' | 'resetMfa', boolean>;
  const NONE: Abilities = {
    resetPassword: false,
    unlock: false,
    enable: false,
    disable: false,
    resetMfa: false,
  };

  async function listed(
    as: SignedIn,
    accountId: string,
    code = tenant.code,
  ): Promise<Abilities | undefined> {
    const res = await api('GET', '/api/identity/accounts', { as: as.headers, code });
    expect(res.statusCode).toBe(200);
    return res
      .json<{ accounts: { id: string; abilities: Abilities }[] }>()
      .accounts.find((a) => a.id === accountId)?.abilities;
  }

  const abilitiesOf = (res: Response) =>
    res.json<{ account: { abilities: Abilities } }>().account.abilities;

  it("std-7.2.4.2: none on the admin's own account; reset, reset MFA and disable on another's", async () => {
    const other = await onboard();
    expect(await listed(admin, admin.accountId)).toEqual(NONE);
    expect(await listed(admin, other.id)).toEqual({
      ...NONE,
      resetPassword: true,
      resetMfa: true,
      disable: true,
    });
    // The false ones are what the server refuses (403 on the own account, 409 for the state).
    const own = await api('POST', `/api/identity/accounts/${admin.accountId}/reset-mfa`, {
      as: admin.headers,
    });
    expect([own.statusCode, codeOf(own)]).toEqual([403, 'forbidden']);
    for (const path of ['unlock', 'enable']) {
      const res = await api('POST', `/api/identity/accounts/${other.id}/${path}`, {
        as: admin.headers,
      });
      expect([path, res.statusCode, codeOf(res)]).toEqual([path, 409, 'conflict']);
    }
    // The account returned by an action carries the abilities too.
    const reset = await api('POST', `/api/identity/accounts/${other.id}/reset-password`, {
      as: admin.headers,
    });
    expect(abilitiesOf(reset)).toEqual({
      ...NONE,
      resetPassword: true,
      resetMfa: true,
      disable: true,
    });
  });

  it('std-7.2.3: unlock only while locked; after the unlock it is gone', async () => {
    const user = await createAccount(db.ownerUrl, tenant.id);
    await owner((c) =>
      c.query(
        `UPDATE accounts SET locked_until = now() + interval '1 hour', locked_at = now(),
                failed_login_count = $2 WHERE id = $1`,
        [user.id, settings.lockoutThreshold],
      ),
    );
    expect(settings.adminUnlock).toBe(true);
    expect(await listed(admin, user.id)).toMatchObject({ unlock: true, enable: false });
    const unlocked = await api('POST', `/api/identity/accounts/${user.id}/unlock`, {
      as: admin.headers,
    });
    expect(unlocked.statusCode).toBe(200);
    expect(abilitiesOf(unlocked)).toMatchObject({ unlock: false });
    const again = await api('POST', `/api/identity/accounts/${user.id}/unlock`, {
      as: admin.headers,
    });
    expect([again.statusCode, codeOf(again)]).toEqual([409, 'conflict']);
    expect(await listed(admin, user.id)).toMatchObject({ unlock: false });
  });

  it('enable only while disabled, disable only while enabled', async () => {
    const user = await createAccount(db.ownerUrl, tenant.id);
    const disabled = await api('POST', `/api/identity/accounts/${user.id}/disable`, {
      as: admin.headers,
      payload: { reason: '休職' },
    });
    expect(disabled.statusCode).toBe(200);
    expect(abilitiesOf(disabled)).toEqual({
      ...NONE,
      resetPassword: true,
      resetMfa: true,
      enable: true,
    });
    expect(await listed(admin, user.id)).toMatchObject({ enable: true, disable: false });
    const twice = await api('POST', `/api/identity/accounts/${user.id}/disable`, {
      as: admin.headers,
      payload: { reason: '休職' },
    });
    expect([twice.statusCode, codeOf(twice)]).toEqual([409, 'conflict']);
    const enabled = await api('POST', `/api/identity/accounts/${user.id}/enable`, {
      as: admin.headers,
    });
    expect(abilitiesOf(enabled)).toMatchObject({ enable: false, disable: true });
  });

  it('std-7.2.1.3f: no disable for the last enabled tenant_admin, as the server refuses it', async () => {
    const town = await createTenant(db.ownerUrl, { name: '架空郡' });
    const only = await signInAs(db.ownerUrl, town.id, { roles: ['tenant_admin'] });
    const second = await signInAs(db.ownerUrl, town.id, {
      roles: ['tenant_admin'],
      elevatedForMs: ELEVATED_MS,
    });
    // While two are enabled, each may disable the other.
    expect(await listed(second, only.accountId, town.code)).toMatchObject({ disable: true });
    // The second disabled (by a personnel event): `only` is now the last enabled admin. A person
    // appointed Mamori 管理者 by a role assignment (not an account role) still manages accounts.
    await inTenant(db.app, tenantScope(town.id), (tx) =>
      disableAccountInTx(tx, { type: 'system', id: 'test' }, second.accountId, '異動', new Date()),
    );
    const appointed = await signInAs(db.ownerUrl, town.id, {
      roles: ['tenant_admin'],
      elevatedForMs: ELEVATED_MS,
    });
    const c = new pg.Client({ connectionString: db.ownerUrl });
    await c.connect();
    try {
      await c.query(`SELECT set_config('app.tenant_id', $1, false)`, [town.id]);
      // Make `appointed` a policy-role holder only: drop their account role, assign the role.
      await c.query(`DELETE FROM account_roles WHERE account_id = $1`, [appointed.accountId]);
      await c.query(
        `INSERT INTO role_assignments (tenant_id, role, holder_person_id, scope_kind, valid_from)
         VALUES ($1, 'tenant_admin', $2, 'tenant', (now() AT TIME ZONE 'Asia/Tokyo')::date - 1)`,
        [town.id, appointed.personId],
      );
    } finally {
      await c.end();
    }
    expect(await listed(appointed, only.accountId, town.code)).toEqual({
      ...NONE,
      resetPassword: true,
      resetMfa: true,
      disable: false,
    });
    expect(await listed(appointed, second.accountId, town.code)).toMatchObject({
      enable: true,
      disable: false,
    });
    const refused = await api('POST', `/api/identity/accounts/${only.accountId}/disable`, {
      as: appointed.headers,
      code: town.code,
      payload: { reason: '試験' },
    });
    expect([refused.statusCode, codeOf(refused)]).toEqual([409, 'last_tenant_admin']);
  });

  it('all false for a caller without account:manage', () => {
    const reader = {
      scope: tenantScope(tenant.id),
      accountId: admin.accountId,
      loginName: 'kakuu.reader',
      displayName: '試験 太郎',
      personId: null,
      sessionId: admin.sessionId,
      sessionState: 'active',
      csrfToken: '',
      elevatedUntil: null,
      roles: [],
    } as const;
    expect(
      accountAbilities(
        reader,
        { id: '7d1c3f0e-2b8a-4c1e-9a55-0d5e6f7a8b9c', locked: true, disabled: true },
        { adminUnlock: true, enabledAdminIds: new Set() },
      ),
    ).toEqual(NONE);
  });
});
