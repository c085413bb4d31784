import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RoleId } from '@mamori/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUnit, signInAs, type SignedIn } from '../../../test/auth-as.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { createTestServer, type TestServer } from '../../../test/test-server.js';
import { ensureSigningKey } from '../oplog/signing-key.js';

/**
 * The authorization matrix (issue 4, house style 7): every API route × every
 * role, plus anonymous and another tenant's session, against the real server.
 * The expectations below are written by hand from the policy, not derived
 * from the permission catalogue, so a wrong grant or a route wired to the
 * wrong permission fails here. A route without a row fails the test.
 */

type Who =
  | 'anonymous'
  | 'other_tenant'
  | 'staff'
  | 'tenant_admin'
  | 'ciso'
  | 'chief_security_officer'
  | 'security_officer'
  | 'security_manager'
  | 'system_manager'
  | 'csirt'
  | 'auditor'
  | 'audit_lead';

const SIGNED_IN: readonly Exclude<Who, 'anonymous' | 'other_tenant'>[] = [
  'staff',
  'tenant_admin',
  'ciso',
  'chief_security_officer',
  'security_officer',
  'security_manager',
  'system_manager',
  'csirt',
  'auditor',
  'audit_lead',
];

interface Row {
  /** Who passes the first authorization layer: `public` (no session), `staff` (everyone signed in) or these roles. */
  readonly allow: 'public' | 'staff' | readonly Who[];
  /** Exact statuses where the object-level rules decide (e.g. 404 for a hidden object). */
  readonly status?: Partial<Record<Who, number>>;
  /** The call ends the caller's session (logout): a fresh one is made after it. */
  readonly endsSession?: boolean;
}

const LOG_READERS: readonly Who[] = [
  'tenant_admin',
  'chief_security_officer',
  'auditor',
  'audit_lead',
];
const LOG_REVIEWERS: readonly Who[] = ['chief_security_officer', 'auditor', 'audit_lead'];

const ORG_ADMINS: readonly Who[] = ['tenant_admin'];
const ROLE_GRANTERS: readonly Who[] = ['tenant_admin', 'chief_security_officer'];

/** `METHOD /path` → who may call it. */
const MATRIX: Record<string, Row> = {
  'GET /api/health': { allow: 'public' },
  'GET /api/tenant': { allow: 'public' },
  'GET /api/openapi.json': { allow: 'public' },
  // Login and the own session (std-7.2.3, std-7.2.4, std-5.4.2): the login steps are public,
  // everything about one's own session and factors is for everyone signed in.
  'GET /api/auth/login-info': { allow: 'public' },
  'POST /api/auth/login': { allow: 'public' },
  'GET /api/auth/session': { allow: 'staff' },
  'POST /api/auth/logout': { allow: 'staff', endsSession: true },
  'GET /api/auth/sessions': { allow: 'staff' },
  'DELETE /api/auth/sessions/:sessionId': { allow: 'staff' },
  'POST /api/auth/password': { allow: 'staff' },
  'POST /api/auth/mfa/totp': { allow: 'staff' },
  'POST /api/auth/mfa/recovery-code': { allow: 'staff' },
  'POST /api/auth/mfa/webauthn/options': { allow: 'staff' },
  'POST /api/auth/mfa/webauthn': { allow: 'staff' },
  'POST /api/auth/step-up/webauthn/options': { allow: 'staff' },
  'POST /api/auth/step-up': { allow: 'staff' },
  'GET /api/auth/mfa': { allow: 'staff' },
  'POST /api/auth/mfa/totp/enrolment': { allow: 'staff' },
  'POST /api/auth/mfa/totp/enrolment/confirm': { allow: 'staff' },
  'POST /api/auth/mfa/webauthn/registration/options': { allow: 'staff' },
  'POST /api/auth/mfa/webauthn/registration': { allow: 'staff' },
  'DELETE /api/auth/mfa/totp': { allow: 'staff' },
  'DELETE /api/auth/mfa/webauthn/:credentialId': { allow: 'staff' },
  'POST /api/auth/mfa/recovery-codes': { allow: 'staff' },
  // Mamori's own accounts: the operator only (tenant_admin holds no approver role; glossary).
  'GET /api/identity/accounts': { allow: ['tenant_admin'] },
  'POST /api/identity/accounts': { allow: ['tenant_admin'] },
  'POST /api/identity/accounts/:accountId/reset-password': { allow: ['tenant_admin'] },
  'POST /api/identity/accounts/:accountId/unlock': { allow: ['tenant_admin'] },
  'POST /api/identity/accounts/:accountId/enable': { allow: ['tenant_admin'] },
  'POST /api/identity/accounts/:accountId/reset-mfa': { allow: ['tenant_admin'] },
  'POST /api/identity/accounts/:accountId/disable': { allow: ['tenant_admin'] },
  // std-7.1.6.3, std-10.1.6: the log is for the operator, the 統括 and auditors.
  'GET /api/operation-log': { allow: LOG_READERS },
  'GET /api/operation-log/export': { allow: LOG_READERS },
  'POST /api/operation-log/verification': { allow: LOG_READERS },
  'GET /api/operation-log/checkpoints': { allow: LOG_READERS },
  'GET /api/operation-log/reviews': { allow: LOG_READERS },
  'POST /api/operation-log/reviews': { allow: LOG_REVIEWERS },
  // Organization (issue 4): everyone sees the tree and the directory; only the
  // tenant_admin changes them; role grants (privileged) by the tenant_admin and the 統括.
  'GET /api/organization/units': { allow: 'staff' },
  'POST /api/organization/units': { allow: ORG_ADMINS },
  'GET /api/organization/units/:id': { allow: 'staff' },
  'POST /api/organization/units/:id/change': { allow: ORG_ADMINS },
  'POST /api/organization/units/:id/scope': { allow: ORG_ADMINS },
  'POST /api/organization/units/:id/abolish': { allow: ORG_ADMINS },
  'GET /api/organization/people': { allow: 'staff' },
  'POST /api/organization/people': { allow: ORG_ADMINS },
  'GET /api/organization/people/:id': { allow: 'staff' },
  'PUT /api/organization/people/:id': { allow: ORG_ADMINS },
  'POST /api/organization/people/:id/memberships': { allow: ORG_ADMINS },
  'POST /api/organization/people/:id/memberships/:membershipId/end': { allow: ORG_ADMINS },
  'GET /api/organization/contractors': { allow: 'staff' },
  'POST /api/organization/contractors': { allow: ORG_ADMINS },
  'PUT /api/organization/contractors/:id': { allow: ORG_ADMINS },
  'GET /api/organization/systems': { allow: 'staff' },
  'GET /api/organization/systems/:id': { allow: 'staff' },
  'POST /api/organization/systems': { allow: ROLE_GRANTERS },
  'PUT /api/organization/systems/:id': { allow: ROLE_GRANTERS },
  'GET /api/organization/role-assignments': { allow: 'staff' },
  'POST /api/organization/role-assignments': { allow: ROLE_GRANTERS },
  'POST /api/organization/role-assignments/:id/end': { allow: ROLE_GRANTERS },
  // The overview (problems, privileged holders): org-wide roles and auditors (object-level rule).
  'GET /api/organization/role-overview': {
    allow: ['tenant_admin', 'ciso', 'chief_security_officer', 'auditor', 'audit_lead'],
  },
  'GET /api/organization/role-holders': { allow: 'staff' },
  'GET /api/organization/delegations': { allow: 'staff' },
  // A holder names their own deputy (std-7.2.1.3b): the object-level rule decides whose.
  'POST /api/organization/role-assignments/:id/delegations': { allow: 'staff' },
  'POST /api/organization/delegations/:id/revoke': { allow: 'staff' },
  // Personnel events, 組織改正, HR import/export (issue 4): the tenant_admin only.
  'POST /api/organization/personnel-events': { allow: ORG_ADMINS },
  'GET /api/organization/personnel-events': { allow: ORG_ADMINS },
  'POST /api/organization/personnel-events/:id/cancel': { allow: ORG_ADMINS },
  'GET /api/organization/reorganizations': { allow: ORG_ADMINS },
  'POST /api/organization/reorganizations': { allow: ORG_ADMINS },
  'GET /api/organization/reorganizations/:id/preview': { allow: ORG_ADMINS },
  'POST /api/organization/reorganizations/:id/apply': { allow: ORG_ADMINS },
  'POST /api/organization/reorganizations/:id/cancel': { allow: ORG_ADMINS },
  'POST /api/organization/imports/:kind': { allow: ORG_ADMINS },
  'GET /api/organization/imports/:id/preview': { allow: ORG_ADMINS },
  'POST /api/organization/imports/:id/apply': { allow: ORG_ADMINS },
  'GET /api/organization/imports/:id': { allow: ORG_ADMINS },
  'GET /api/organization/exports/:kind': { allow: ORG_ADMINS },
  // The pack's vocabulary (issue 5): everyone signed in labels things with it.
  'GET /api/policy-pack/vocabulary': { allow: 'staff' },
  // Tasks: own tasks for everyone; a hidden task is 404.
  'GET /api/tasks': { allow: 'staff' },
  'POST /api/tasks/:id/complete': { allow: 'staff' },
  'POST /api/tasks/:id/cancel': { allow: 'staff' },
};

let db: TestDatabase;
let server: TestServer;
let tenant: TestTenant;
let keyDir: string;
const sessions = new Map<Who, SignedIn>();
const signIns = new Map<Who, () => Promise<SignedIn>>();

beforeAll(async () => {
  db = await createTestDatabase();
  keyDir = await mkdtemp(path.join(os.tmpdir(), 'mamori-matrix-'));
  await ensureSigningKey(keyDir, { keyName: 'mamori-test-matrix' });
  server = await createTestServer(db.app, { MAMORI_TENANCY: 'shared', MAMORI_LOG_KEY_DIR: keyDir });
  tenant = await createTenant(db.ownerUrl);
  const other = await createTenant(db.ownerUrl);
  const department = await createTestUnit(db.ownerUrl, tenant.id, {
    name: '試験部',
    kind: 'department',
  });
  const section = await createTestUnit(db.ownerUrl, tenant.id, {
    name: '試験課',
    parentId: department,
  });
  const roleOf: Record<(typeof SIGNED_IN)[number], { role: RoleId; unitId?: string } | null> = {
    staff: null,
    tenant_admin: { role: 'tenant_admin' },
    ciso: { role: 'ciso' },
    chief_security_officer: { role: 'chief_security_officer' },
    security_officer: { role: 'security_officer', unitId: department },
    security_manager: { role: 'security_manager', unitId: section },
    system_manager: { role: 'system_manager' },
    csirt: { role: 'csirt' },
    auditor: { role: 'auditor' },
    audit_lead: { role: 'audit_lead' },
  };
  for (const who of SIGNED_IN) {
    const role = roleOf[who];
    signIns.set(who, () =>
      signInAs(db.ownerUrl, tenant.id, {
        roles: role ? [role] : [],
        // Elevated, so privileged routes are judged on the role (step-up is tested below).
        elevatedForMs: 10 * 60_000,
      }),
    );
  }
  signIns.set('other_tenant', () =>
    signInAs(db.ownerUrl, other.id, {
      roles: ['tenant_admin', 'auditor'],
      elevatedForMs: 600_000,
    }),
  );
  for (const [who, signIn] of signIns) sessions.set(who, await signIn());
});
afterAll(async () => {
  await server.app.close();
  await db.drop();
  await rm(keyDir, { recursive: true, force: true });
});

function concreteUrl(url: string): string {
  return `/t/${tenant.code}${url.replace(/:[A-Za-z]+/g, () => randomUUID())}`;
}

async function call(method: string, url: string, who: Who) {
  const session = sessions.get(who);
  return server.app.inject({
    method: method as 'GET',
    url: concreteUrl(url),
    headers: session?.headers ?? {},
    ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
  });
}

function isAllowed(row: Row, who: Who): boolean {
  if (row.allow === 'public') return true;
  if (who === 'anonymous' || who === 'other_tenant') return false;
  return row.allow === 'staff' || row.allow.includes(who);
}

describe('authorization matrix', () => {
  it('has a row for every API route, and no row for a route that does not exist', () => {
    const declared = server.app.guardedRoutes.map((r) => `${r.method} ${r.url}`);
    expect(declared.filter((key) => !(key in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((key) => !declared.includes(key))).toEqual([]);
  });

  it('every route × every role answers as the policy says', async () => {
    const failures: string[] = [];
    for (const route of server.app.guardedRoutes) {
      const key = `${route.method} ${route.url}`;
      const row = MATRIX[key];
      if (!row) continue;
      for (const who of ['anonymous', 'other_tenant', ...SIGNED_IN] as const) {
        const res = await call(route.method, route.url, who);
        const signIn = signIns.get(who);
        if (row.endsSession && signIn) sessions.set(who, await signIn());
        const exact = row.status?.[who];
        const allowed = isAllowed(row, who);
        const expected =
          exact ??
          (allowed
            ? 'neither 401 nor 403'
            : who === 'anonymous' || who === 'other_tenant'
              ? 401
              : 403);
        const ok =
          exact !== undefined
            ? res.statusCode === exact
            : allowed
              ? res.statusCode !== 401 && res.statusCode !== 403 && res.statusCode < 500
              : res.statusCode === expected;
        if (!ok)
          failures.push(
            `${key} as ${who}: got ${String(res.statusCode)}, expected ${String(expected)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it('std-7.2.5: privileged routes refuse an allowed role without a recent step-up', async () => {
    const failures: string[] = [];
    for (const route of server.app.guardedRoutes.filter((r) => r.isPrivileged)) {
      const key = `${route.method} ${route.url}`;
      const row = MATRIX[key];
      if (!row || row.allow === 'public' || row.allow === 'staff') continue;
      const who = row.allow[0];
      if (!who) continue;
      const roleSession = await signInAs(db.ownerUrl, tenant.id, {
        roles: who === 'staff' ? [] : [who as RoleId],
      });
      const res = await server.app.inject({
        method: route.method as 'POST',
        url: concreteUrl(route.url),
        headers: roleSession.headers,
        payload: {},
      });
      if (res.json<{ error?: { code?: string } }>().error?.code !== 'step_up_required')
        failures.push(`${key} as ${who} without step-up: ${String(res.statusCode)}`);
    }
    expect(failures).toEqual([]);
  });
  it('no input a user can send gets a 500 (odd queries and bodies on every route)', async () => {
    const everyone = await signInAs(db.ownerUrl, tenant.id, {
      roles: ['tenant_admin', 'chief_security_officer', 'ciso', 'auditor', 'audit_lead', 'csirt'],
      elevatedForMs: 600_000,
    });
    const oddQuery =
      '?asOf=2026-02-30&fromDate=0000-00-00&toDate=9999-99-99&date=x&page=-1&pageSize=1e9&limit=abc' +
      '&beforeSeq=-5&q=%00%E3%81%82&status=%F0%9F%99%82&kind=../../etc&encoding=latin1&format=pdf';
    const oddBodies: unknown[] = [
      [],
      'text',
      { id: 'not-a-uuid', name: '\u0000'.repeat(3), from: '2026-02-30', amount: -1 },
      { loginName: 'x'.repeat(10_000), password: 7 },
    ];
    const failures: string[] = [];
    for (const route of server.app.guardedRoutes) {
      const key = `${route.method} ${route.url}`;
      const attempts =
        route.method === 'GET' || route.method === 'DELETE'
          ? [{ url: concreteUrl(route.url) + oddQuery }]
          : oddBodies.map((payload) => ({ url: concreteUrl(route.url), payload }));
      for (const attempt of attempts) {
        const res = await server.app.inject({
          method: route.method as 'POST',
          url: attempt.url,
          headers: { ...everyone.headers, 'content-type': 'application/json' },
          ...('payload' in attempt ? { payload: JSON.stringify(attempt.payload) } : {}),
        });
        if (res.statusCode >= 500) failures.push(`${key}: ${String(res.statusCode)} ${res.body}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
