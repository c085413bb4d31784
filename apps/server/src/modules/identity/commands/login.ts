import { createHash } from 'node:crypto';
import type { SessionInfo } from '@mamori/contracts';
import type { AppContext } from '../../../platform/context.js';
import { verifyDummyPassword, verifyPassword } from '../../../platform/auth/passwords.js';
import { hashSessionToken } from '../../../platform/auth/session-transport.js';
import type { ResolvedTenant } from '../../../platform/tenancy/resolve-tenant.js';
import type { Caller } from '../../../platform/authz/index.js';
import {
  findAccountById,
  findAccountByLoginName,
  findLiveSessionByTokenHash,
  insertLoginAttempt,
  revokeSession,
  updateSession,
  type AccountRow,
  type SessionRow,
} from '../identity.repository.js';
import { loginActor, recordIdentityEvent } from '../identity.events.js';
import { readIdentitySettings, type IdentitySettings } from '../identity.settings.js';
import {
  PENDING_SESSION_MS,
  clearExpiredLock,
  createSession,
  describeSession,
  holdsPrivilegedRole,
  inTenantOf,
  isLocked,
  lockAccount,
  packOf,
  recordFailure,
  rolesOfAccount,
  sessionLimits,
  stateAfterPassword,
  toCaller,
  type IdentityOptions,
  type RequestMeta,
} from '../identity.service.js';

export type LoginResult =
  | { readonly ok: true; readonly token: string; readonly session: SessionInfo }
  | { readonly ok: false; readonly code: 'invalid_credentials' | 'temporary_password_expired' };

/**
 * First login step: login name and password (std-7.2.3). Unknown names,
 * wrong passwords, locked and disabled accounts all get the same answer
 * after the same argon2 work. A session in a pending state is created; its
 * id replaces any session the browser held (rotation at login).
 */
export async function loginWithPassword(
  ctx: AppContext,
  tenant: ResolvedTenant,
  input: { loginName: string; password: string; previousToken: string | null },
  meta: RequestMeta,
  now: Date,
): Promise<LoginResult> {
  const found = await inTenantOf(ctx, tenant, (tx) => findAccountByLoginName(tx, input.loginName));
  // Same work for unknown names (timing does not tell which names exist).
  const passwordOk = found
    ? await verifyPassword(found.passwordHash, input.password)
    : (await verifyDummyPassword(input.password), false);

  return inTenantOf(ctx, tenant, async (tx): Promise<LoginResult> => {
    const settings = await readIdentitySettings(tx, await packOf(ctx, tenant));
    if (input.previousToken) {
      const old = await findLiveSessionByTokenHash(tx, hashSessionToken(input.previousToken));
      if (old) await revokeSession(tx, old.id, 'rotated', now);
    }
    if (!found) {
      await insertLoginAttempt(tx, {
        attemptedAt: now,
        loginName: input.loginName.slice(0, 256),
        accountId: null,
        factor: 'password',
        outcome: 'failed',
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
      // The name itself stays out of the chained log (it may be a mistyped password).
      await recordIdentityEvent(tx, loginActor, {
        action: 'identity.login_attempted',
        subject: {
          type: 'login_name',
          id: createHash('sha256').update(input.loginName).digest('hex').slice(0, 32),
        },
        payload: { factor: 'password', outcome: 'failed', ip: meta.ip },
      });
      return { ok: false, code: 'invalid_credentials' };
    }
    const locked = await lockAccount(tx, found.id);
    if (!locked) return { ok: false, code: 'invalid_credentials' };
    const account = await clearExpiredLock(tx, locked, now);
    if (account.disabledAt) {
      await recordFailure(tx, account, 'password', settings, meta, now, 'disabled');
      return { ok: false, code: 'invalid_credentials' };
    }
    if (isLocked(account, now)) {
      await recordFailure(tx, account, 'password', settings, meta, now, 'locked');
      return { ok: false, code: 'invalid_credentials' };
    }
    if (!passwordOk) {
      await recordFailure(tx, account, 'password', settings, meta, now);
      return { ok: false, code: 'invalid_credentials' };
    }
    // std-7.2.4.2: a temporary password expires after auth.temporary_password.lifetime.
    if (
      account.mustChangePassword &&
      account.passwordExpiresAt !== null &&
      account.passwordExpiresAt <= now
    ) {
      // The password was right: logged as a failure, not counted toward lockout.
      await recordFailure(tx, account, 'password', settings, meta, now, 'failed', {
        counts: false,
      });
      return { ok: false, code: 'temporary_password_expired' };
    }
    const state = stateAfterPassword(account);
    const { row, token } = await createSession(tx, {
      accountId: account.id,
      state,
      now,
      absoluteExpiresAt: new Date(now.getTime() + PENDING_SESSION_MS),
      mfaVerifiedAt: null,
      elevatedUntil: null,
      meta,
    });
    await insertLoginAttempt(tx, {
      attemptedAt: now,
      loginName: account.loginName,
      accountId: account.id,
      factor: 'password',
      outcome: 'succeeded',
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    // Not active yet: the session carries no permissions, so policy roles are not needed here.
    const held = await rolesOfAccount(tx, account.id, now, {});
    const session = await describeSession(tx, row, account, held, settings.idleTimeoutMs, now);
    await recordIdentityEvent(tx, loginActor, {
      action: 'identity.login_attempted',
      subject: { type: 'account', id: account.id },
      payload: { factor: 'password', outcome: 'succeeded', ip: meta.ip, state },
    });
    return { ok: true, token, session };
  });
}

/** A live session with everything the request needs. */
export interface LoadedSession {
  readonly caller: Caller;
  readonly session: SessionRow;
  readonly account: AccountRow;
  readonly platformRoles: readonly string[];
  readonly settings: IdentitySettings;
  readonly idleMs: number;
}

/** lastSeenAt is written at most this often (one write per request would be wasteful). */
const TOUCH_INTERVAL_MS = 5_000;

/**
 * Finds the live session of a token. Ends it (and answers `expired`) after
 * the idle or absolute timeout (std-6.1.1.7; shorter for privileged roles,
 * std-7.2.5), and ends it (answering null) when the account is disabled.
 */
export async function loadSession(
  ctx: AppContext,
  tenant: ResolvedTenant,
  token: string,
  now: Date,
  options: IdentityOptions = {},
): Promise<LoadedSession | 'expired' | null> {
  return inTenantOf(ctx, tenant, async (tx) => {
    const session = await findLiveSessionByTokenHash(tx, hashSessionToken(token));
    if (!session) return null;
    const account = await findAccountById(tx, session.accountId);
    if (!account || account.disabledAt) {
      await revokeSession(tx, session.id, 'disabled', now);
      return null;
    }
    const pack = await packOf(ctx, tenant);
    const settings = await readIdentitySettings(tx, pack);
    const { personId, roles, platformRoles } = await rolesOfAccount(tx, account.id, now, options);
    const { idleMs } = sessionLimits(settings, holdsPrivilegedRole(pack, roles));
    const idleExpired = now.getTime() > session.lastSeenAt.getTime() + idleMs;
    if (idleExpired || now >= session.absoluteExpiresAt) {
      await revokeSession(tx, session.id, 'timeout', now);
      return 'expired' as const;
    }
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      await updateSession(tx, session.id, { lastSeenAt: now });
    }
    const current = { ...session, lastSeenAt: now };
    return {
      caller: toCaller(tenant, current, account, personId, roles),
      session: current,
      account,
      platformRoles,
      settings,
      idleMs,
    };
  });
}
