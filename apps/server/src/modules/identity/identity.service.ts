import {
  permissions,
  type MfaMethod,
  type Permission,
  type SessionInfo,
  type SessionState,
} from '@mamori/contracts';
import type { PolicyPack, RoleId } from '@mamori/policy';
import { hasPermission, type Caller, type RoleHolding } from '../../platform/authz/index.js';
import type { AppContext } from '../../platform/context.js';
import { inTenant, type TenantTx } from '../../platform/db/database.js';
import type { ResolvedTenant } from '../../platform/tenancy/resolve-tenant.js';
import { newCsrfToken, newSessionToken } from '../../platform/auth/session-transport.js';
import {
  countFailedAttempts,
  findAccountById,
  findTotp,
  incrementFailedLogins,
  insertLoginAttempt,
  insertSession,
  listWebauthn,
  platformRolesOf,
  previousLoginOf,
  revokeSession,
  updateAccount,
  type AccountRow,
  type LoginFactor,
  type SessionRow,
} from './identity.repository.js';
import { loginActor, recordIdentityEvent } from './identity.events.js';
import type { IdentitySettings } from './identity.settings.js';

/**
 * Shared parts of the identity flows: sessions (create, rotate, describe),
 * roles of a caller, failure counting and lockout (std-7.2.3).
 */

/** Where the request came from (stored with attempts and sessions). */
export interface RequestMeta {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** The policy roles of an account's person (organization module); platform roles come from here. */
export type PolicyRoleLoader = (
  tx: TenantTx,
  accountId: string,
  at: Date,
) => Promise<{ personId: string | null; roles: RoleHolding[] }>;

/** Options the server passes to the identity module. */
export interface IdentityOptions {
  /** Resolves the person and policy roles of an account (organization module); none by default. */
  readonly policyRoles?: PolicyRoleLoader;
  /** The clock (tests inject one for timeouts). */
  readonly now?: () => Date;
}

/** Pending (pre-`active`) sessions last at most this long: finish login within it. */
export const PENDING_SESSION_MS = 15 * 60 * 1000;

/** The tenant's pack (for settings and role definitions). */
export function packOf(ctx: AppContext, tenant: ResolvedTenant): Promise<PolicyPack> {
  return ctx.packs.get(tenant.tenant.policyPackId);
}

/** Every role the account holds today: platform roles and the person's policy roles. */
export async function rolesOfAccount(
  tx: TenantTx,
  accountId: string,
  at: Date,
  options: IdentityOptions,
): Promise<{ personId: string | null; roles: RoleHolding[]; platformRoles: string[] }> {
  const platformRoles = (await platformRolesOf(tx, [accountId])).get(accountId) ?? [];
  const policy = options.policyRoles
    ? await options.policyRoles(tx, accountId, at)
    : { personId: null, roles: [] };
  const roles: RoleHolding[] = [
    ...platformRoles.map((role): RoleHolding => ({
      role: role as RoleId,
      scope: { kind: 'tenant' },
      assignmentId: null,
    })),
    ...policy.roles,
  ];
  return { personId: policy.personId, roles, platformRoles };
}

/** Whether any held role is privileged in the pack (shorter idle timeout, std-7.2.5). */
export function holdsPrivilegedRole(pack: PolicyPack, roles: readonly RoleHolding[]): boolean {
  const privileged = new Set(pack.roles.roles.filter((r) => r.privileged).map((r) => r.id));
  return roles.some((h) => privileged.has(h.role));
}

/** Idle and absolute limits for a session of these roles. */
export function sessionLimits(
  settings: IdentitySettings,
  privileged: boolean,
): { idleMs: number; absoluteMs: number } {
  return privileged
    ? { idleMs: settings.privilegedIdleTimeoutMs, absoluteMs: settings.privilegedAbsoluteTimeoutMs }
    : { idleMs: settings.idleTimeoutMs, absoluteMs: settings.absoluteTimeoutMs };
}

/** The state a session reaches once the password (or a password change) is accepted. */
export function stateAfterPassword(account: AccountRow): SessionState {
  if (account.mustChangePassword) return 'password_change_required';
  return account.mfaEnrolledAt ? 'mfa_required' : 'mfa_enrolment_required';
}

/** A new session row and the token for its cookie. */
export async function createSession(
  tx: TenantTx,
  input: {
    accountId: string;
    state: SessionState;
    now: Date;
    absoluteExpiresAt: Date;
    mfaVerifiedAt: Date | null;
    elevatedUntil: Date | null;
    meta: RequestMeta;
  },
): Promise<{ row: SessionRow; token: string }> {
  const { token, hash } = newSessionToken();
  const row = await insertSession(tx, {
    tokenHash: hash,
    accountId: input.accountId,
    state: input.state,
    csrfToken: newCsrfToken(),
    createdAt: input.now,
    absoluteExpiresAt: input.absoluteExpiresAt,
    mfaVerifiedAt: input.mfaVerifiedAt,
    elevatedUntil: input.elevatedUntil,
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
  });
  return { row, token };
}

/**
 * Rotates a session (std-7.2.3 session fixation): a new row with a new id,
 * token and CSRF token replaces the old one, which is revoked.
 */
export async function rotateSession(
  tx: TenantTx,
  old: SessionRow,
  changes: {
    state: SessionState;
    now: Date;
    absoluteExpiresAt?: Date;
    mfaVerifiedAt?: Date | null;
    elevatedUntil?: Date | null;
    meta: RequestMeta;
  },
): Promise<{ row: SessionRow; token: string }> {
  await revokeSession(tx, old.id, 'rotated', changes.now);
  return createSession(tx, {
    accountId: old.accountId,
    state: changes.state,
    now: changes.now,
    absoluteExpiresAt: changes.absoluteExpiresAt ?? old.absoluteExpiresAt,
    mfaVerifiedAt: changes.mfaVerifiedAt === undefined ? old.mfaVerifiedAt : changes.mfaVerifiedAt,
    elevatedUntil: changes.elevatedUntil === undefined ? old.elevatedUntil : changes.elevatedUntil,
    meta: changes.meta,
  });
}

/** The factors an account can use to pass the second step or step up. */
export async function availableFactors(tx: TenantTx, accountId: string): Promise<MfaMethod[]> {
  const factors: MfaMethod[] = [];
  const totp = await findTotp(tx, accountId);
  if (totp?.confirmedAt) factors.push('totp');
  if ((await listWebauthn(tx, accountId)).length > 0) factors.push('webauthn');
  if (factors.length > 0) factors.push('recovery_code');
  return factors;
}

/** The roles an account holds (rolesOfAccount's answer), as a session is described with them. */
export interface HeldRoles {
  readonly personId: string | null;
  /** Platform and policy roles, including roles held as a deputy (std-7.2.1.3b). */
  readonly roles: readonly RoleHolding[];
  readonly platformRoles: readonly string[];
}

/**
 * The catalogue permissions the session may use now (house style 3): the
 * route guard's own check (hasPermission over every role held, platform and
 * policy, deputy roles included), so the UI offers only what the server
 * allows. None before the login is complete: only `active` reaches the app.
 */
export function sessionPermissions(caller: Caller): Permission[] {
  if (caller.sessionState !== 'active') return [];
  return permissions.filter((permission) => hasPermission(caller, permission));
}

/** Describes a session for its owner (SessionInfo contract). */
export async function describeSession(
  tx: TenantTx,
  session: SessionRow,
  account: AccountRow,
  held: HeldRoles,
  idleMs: number,
  now: Date,
): Promise<SessionInfo> {
  // std-7.2.3: the previous completed login before this one, and failures since.
  const loginTime = session.mfaVerifiedAt ?? now;
  const previous = await previousLoginOf(tx, account.id, loginTime);
  const failed = await countFailedAttempts(tx, account.id, previous?.at ?? null, loginTime);
  return {
    state: session.state as SessionState,
    csrfToken: session.csrfToken,
    account: {
      id: account.id,
      loginName: account.loginName,
      displayName: account.displayName,
      roles: [...held.platformRoles],
    },
    permissions: sessionPermissions({
      scope: tx.scope,
      accountId: account.id,
      loginName: account.loginName,
      displayName: account.displayName,
      personId: held.personId,
      sessionId: session.id,
      sessionState: session.state as SessionState,
      csrfToken: session.csrfToken,
      elevatedUntil: session.elevatedUntil,
      roles: [...held.roles],
    }),
    availableFactors: await availableFactors(tx, account.id),
    previousLogin: previous ? { at: previous.at.toISOString(), ip: previous.ip } : null,
    failedAttemptsSincePreviousLogin: failed,
    createdAt: session.createdAt.toISOString(),
    idleExpiresAt: new Date(session.lastSeenAt.getTime() + idleMs).toISOString(),
    absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
    elevatedUntil:
      session.elevatedUntil && session.elevatedUntil > now
        ? session.elevatedUntil.toISOString()
        : null,
  };
}

/**
 * Records a failed attempt on a known account: one more consecutive failure
 * (std-7.2.3, across IPs and factors), and a lockout when the threshold is
 * reached. Logs the attempt (and the lockout) in the operation log.
 */
export async function recordFailure(
  tx: TenantTx,
  account: AccountRow,
  factor: LoginFactor,
  settings: IdentitySettings,
  meta: RequestMeta,
  now: Date,
  outcome: 'failed' | 'locked' | 'disabled' = 'failed',
  options: { counts?: boolean } = {},
): Promise<void> {
  let lockedUntil: Date | null = null;
  let failures = account.failedLoginCount;
  if (outcome === 'failed' && options.counts !== false) {
    failures = await incrementFailedLogins(tx, account.id);
    if (failures >= settings.lockoutThreshold && !isLocked(account, now)) {
      lockedUntil = new Date(now.getTime() + settings.lockoutCooldownMs);
      await updateAccount(tx, account.id, { lockedUntil, lockedAt: now });
    }
  }
  await insertLoginAttempt(tx, {
    attemptedAt: now,
    loginName: account.loginName,
    accountId: account.id,
    factor,
    outcome,
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
  await recordIdentityEvent(tx, loginActor, {
    action: 'identity.login_attempted',
    subject: { type: 'account', id: account.id },
    payload: { factor, outcome, ip: meta.ip },
  });
  if (lockedUntil) {
    await recordIdentityEvent(tx, loginActor, {
      action: 'identity.account_locked',
      subject: { type: 'account', id: account.id },
      payload: { failedLoginCount: failures, lockedUntil: lockedUntil.toISOString() },
    });
  }
}

/** Whether the account is locked at `now` (until an admin unlocks it or the cool-down passes). */
export function isLocked(account: AccountRow, now: Date): boolean {
  return account.lockedUntil !== null && account.lockedUntil > now;
}

/**
 * Clears an expired lock: after the cool-down the counter starts again
 * (std-7.2.3). Returns the current row.
 */
export async function clearExpiredLock(
  tx: TenantTx,
  account: AccountRow,
  now: Date,
): Promise<AccountRow> {
  if (account.lockedUntil === null || account.lockedUntil > now) return account;
  return updateAccount(tx, account.id, { lockedUntil: null, lockedAt: null, failedLoginCount: 0 });
}

/** Locks the account row and returns it (null when it vanished). */
export function lockAccount(tx: TenantTx, accountId: string): Promise<AccountRow | null> {
  return findAccountById(tx, accountId, { forUpdate: true });
}

/** Runs `fn` in the tenant's transaction. */
export function inTenantOf<T>(
  ctx: AppContext,
  tenant: ResolvedTenant,
  fn: (tx: TenantTx) => Promise<T>,
): Promise<T> {
  return inTenant(ctx.db, tenant.scope, fn);
}

/** The caller shape the authorization core uses. */
export function toCaller(
  tenant: ResolvedTenant,
  session: SessionRow,
  account: AccountRow,
  personId: string | null,
  roles: RoleHolding[],
): Caller {
  return {
    scope: tenant.scope,
    accountId: account.id,
    loginName: account.loginName,
    displayName: account.displayName,
    personId,
    sessionId: session.id,
    sessionState: session.state as SessionState,
    csrfToken: session.csrfToken,
    elevatedUntil: session.elevatedUntil,
    roles,
  };
}
