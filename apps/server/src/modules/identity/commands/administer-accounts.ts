import type { AccountSummary, TemporaryPasswordResponse } from '@mamori/contracts';
import type { Caller } from '../../../platform/authz/index.js';
import type { AppContext } from '../../../platform/context.js';
import type { TenantTx } from '../../../platform/db/database.js';
import { PG, pgErrorOf } from '../../../platform/db/pg-error.js';
import { AppError } from '../../../platform/errors.js';
import { insertAccount } from '../../../platform/auth/accounts.repository.js';
import { generateTemporaryPassword, hashPassword } from '../../../platform/auth/passwords.js';
import type { ResolvedTenant } from '../../../platform/tenancy/resolve-tenant.js';
import {
  deleteTotp,
  deleteWebauthn,
  enabledTenantAdminIds,
  findAccountById,
  listAllAccounts,
  lockTenantAdminAccounts,
  mfaMethodsOf,
  platformRolesOf,
  replaceRecoveryCodes,
  revokeAccountSessions,
  updateAccount,
  type AccountRow,
} from '../identity.repository.js';
import { recordIdentityEvent } from '../identity.events.js';
import { accountAbilities, assertMayAdminister } from '../identity.policy.js';
import { readIdentitySettings } from '../identity.settings.js';
import { inTenantOf, isLocked, packOf } from '../identity.service.js';

/**
 * Account administration by a tenant_admin (std-7.2.4, std-7.2.3). Each
 * action is an operation-log event; the routes are privileged (step-up).
 */

/** Links an account to a person (organization module, `people.account_id`). */
export type PersonLinker = (tx: TenantTx, personId: string, accountId: string) => Promise<void>;

/** Who looks at the summaries: the caller and the policy's unlock setting (for the abilities). */
interface Viewer {
  readonly caller: Caller;
  readonly adminUnlock: boolean;
}

async function viewerOf(
  ctx: AppContext,
  tenant: ResolvedTenant,
  tx: TenantTx,
  caller: Caller,
): Promise<Viewer> {
  const settings = await readIdentitySettings(tx, await packOf(ctx, tenant));
  return { caller, adminUnlock: settings.adminUnlock };
}

/**
 * Summaries with the viewer's abilities (house style 3). `rows` are the accounts as they stand
 * after the change (a disable summarizes the row before it is written), so they override the
 * database's view of which tenant_admin accounts are enabled.
 */
async function summarize(
  tx: TenantTx,
  rows: AccountRow[],
  now: Date,
  viewer: Viewer,
): Promise<AccountSummary[]> {
  const ids = rows.map((r) => r.id);
  const roles = await platformRolesOf(tx, ids);
  const mfa = await mfaMethodsOf(tx, ids);
  const enabledAdminIds = await enabledTenantAdminIds(tx);
  for (const row of rows) {
    if (row.disabledAt !== null) enabledAdminIds.delete(row.id);
    else if (roles.get(row.id)?.includes('tenant_admin')) enabledAdminIds.add(row.id);
  }
  const facts = { adminUnlock: viewer.adminUnlock, enabledAdminIds };
  return rows.map((a) => ({
    id: a.id,
    loginName: a.loginName,
    displayName: a.displayName,
    email: a.email,
    roles: roles.get(a.id) ?? [],
    mustChangePassword: a.mustChangePassword,
    temporaryPasswordExpiresAt:
      a.mustChangePassword && a.passwordExpiresAt ? a.passwordExpiresAt.toISOString() : null,
    locked: isLocked(a, now),
    lockedUntil: isLocked(a, now) && a.lockedUntil ? a.lockedUntil.toISOString() : null,
    failedLoginCount: a.failedLoginCount,
    mfaEnrolled: a.mfaEnrolledAt !== null,
    mfaMethods: mfa.get(a.id) ?? [],
    disabled: a.disabledAt !== null,
    disabledAt: a.disabledAt?.toISOString() ?? null,
    lastLoginAt: a.lastLoginAt?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
    abilities: accountAbilities(
      viewer.caller,
      { id: a.id, locked: isLocked(a, now), disabled: a.disabledAt !== null },
      facts,
    ),
  }));
}

async function summarizeOne(
  tx: TenantTx,
  row: AccountRow,
  now: Date,
  viewer: Viewer,
): Promise<AccountSummary> {
  const [one] = await summarize(tx, [row], now, viewer);
  if (!one) throw new Error('no summary');
  return one;
}

async function requireAccount(tx: TenantTx, accountId: string): Promise<AccountRow> {
  const account = await findAccountById(tx, accountId, { forUpdate: true });
  if (!account) throw new AppError('not_found', 'No such account.');
  return account;
}

const actorOf = (caller: Caller) => ({ type: 'account', id: caller.accountId }) as const;

/** Every account with its lock and MFA state, and what the caller may do with it. */
export async function listAccounts(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  now: Date,
): Promise<AccountSummary[]> {
  return inTenantOf(ctx, tenant, async (tx) =>
    summarize(tx, await listAllAccounts(tx), now, await viewerOf(ctx, tenant, tx, caller)),
  );
}

/** Creates an account with a temporary password, shown once (std-7.2.4.2). */
export async function createAccount(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  input: { loginName: string; displayName: string; email?: string; personId?: string },
  now: Date,
  linkPerson?: PersonLinker,
): Promise<TemporaryPasswordResponse> {
  const temporaryPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  try {
    return await inTenantOf(ctx, tenant, async (tx) => {
      const settings = await readIdentitySettings(tx, await packOf(ctx, tenant));
      const viewer = { caller, adminUnlock: settings.adminUnlock };
      const expiresAt = new Date(now.getTime() + settings.temporaryPasswordLifetimeMs);
      const row = await insertAccount(tx, {
        loginName: input.loginName,
        displayName: input.displayName,
        email: input.email ?? null,
        passwordHash,
        passwordExpiresAt: expiresAt,
      });
      // Without a linker (organization module not wired) no person is linked: log none.
      const personId = input.personId && linkPerson ? input.personId : null;
      if (personId && linkPerson) await linkPerson(tx, personId, row.id);
      const account = await summarizeOne(tx, row, now, viewer);
      await recordIdentityEvent(tx, actorOf(caller), {
        action: 'identity.account_created',
        subject: { type: 'account', id: row.id },
        payload: {
          loginName: row.loginName,
          displayName: row.displayName,
          personId,
          temporaryPasswordExpiresAt: expiresAt.toISOString(),
        },
      });
      return { account, temporaryPassword, expiresAt: expiresAt.toISOString() };
    });
  } catch (err) {
    if (pgErrorOf(err)?.code === PG.uniqueViolation) {
      throw new AppError('conflict', 'The login name is taken.', { field: 'loginName' });
    }
    throw err;
  }
}

/** Resets to a new temporary password; the account's sessions end. */
export async function resetPassword(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  accountId: string,
  now: Date,
): Promise<TemporaryPasswordResponse> {
  const temporaryPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  return inTenantOf(ctx, tenant, async (tx) => {
    const account = await requireAccount(tx, accountId);
    assertMayAdminister(caller, account, 'reset_password');
    const settings = await readIdentitySettings(tx, await packOf(ctx, tenant));
    const viewer = { caller, adminUnlock: settings.adminUnlock };
    const expiresAt = new Date(now.getTime() + settings.temporaryPasswordLifetimeMs);
    const row = await updateAccount(tx, accountId, {
      passwordHash,
      mustChangePassword: true,
      passwordExpiresAt: expiresAt,
    });
    const ended = await revokeAccountSessions(tx, accountId, 'revoked_by_admin', now);
    const summary = await summarizeOne(tx, row, now, viewer);
    await recordIdentityEvent(tx, actorOf(caller), {
      action: 'identity.password_reset',
      subject: { type: 'account', id: accountId },
      payload: { temporaryPasswordExpiresAt: expiresAt.toISOString(), sessionsEnded: ended },
    });
    return { account: summary, temporaryPassword, expiresAt: expiresAt.toISOString() };
  });
}

/** Lifts a lockout before its cool-down (setting auth.lockout.admin_unlock). std-7.2.3 */
export async function unlockAccount(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  accountId: string,
  now: Date,
): Promise<AccountSummary> {
  return inTenantOf(ctx, tenant, async (tx) => {
    const account = await requireAccount(tx, accountId);
    const settings = await readIdentitySettings(tx, await packOf(ctx, tenant));
    if (!settings.adminUnlock) {
      throw new AppError('forbidden', 'The policy does not allow an administrator to unlock.');
    }
    // Like enable on an enabled account: nothing to lift (the `unlock` ability is false).
    if (!isLocked(account, now)) throw new AppError('conflict', 'The account is not locked.');
    const row = await updateAccount(tx, accountId, {
      lockedUntil: null,
      lockedAt: null,
      failedLoginCount: 0,
    });
    const summary = await summarizeOne(tx, row, now, {
      caller,
      adminUnlock: settings.adminUnlock,
    });
    await recordIdentityEvent(tx, actorOf(caller), {
      action: 'identity.account_unlocked',
      subject: { type: 'account', id: accountId },
      payload: { failedLoginCount: account.failedLoginCount },
    });
    return summary;
  });
}

/**
 * The tenant must keep one enabled tenant_admin (std-7.2.1.3f: no default
 * account to fall back on, so a municipality without one is locked out of
 * account administration). Locks every admin row first, so two admins
 * disabling each other at once cannot both succeed.
 */
async function assertKeepsAnAdministrator(tx: TenantTx, accountId: string): Promise<void> {
  const admins = await lockTenantAdminAccounts(tx);
  const target = admins.find((a) => a.id === accountId);
  if (!target || target.disabledAt !== null) return;
  if (admins.some((a) => a.id !== accountId && a.disabledAt === null)) return;
  throw new AppError(
    'last_tenant_admin',
    'This is the last enabled administrator account: enable or create another one first.',
  );
}

/**
 * Disables an account and ends its sessions at once. Refuses to disable the
 * last enabled tenant_admin (`last_tenant_admin`). Exported for the
 * organization module (a person leaving, 退職) through the module's index.
 */
export async function disableAccountInTx(
  tx: TenantTx,
  actor: { type: 'account' | 'system' | 'operator'; id: string },
  accountId: string,
  reason: string,
  now: Date,
): Promise<AccountRow> {
  await assertKeepsAnAdministrator(tx, accountId);
  const row = await updateAccount(tx, accountId, { disabledAt: now, disabledReason: reason });
  const ended = await revokeAccountSessions(tx, accountId, 'disabled', now);
  await recordIdentityEvent(tx, actor, {
    action: 'identity.account_disabled',
    subject: { type: 'account', id: accountId },
    payload: { reason, sessionsEnded: ended },
  });
  return row;
}

export async function disableAccount(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  accountId: string,
  reason: string,
  now: Date,
): Promise<AccountSummary> {
  return inTenantOf(ctx, tenant, async (tx) => {
    // Admin rows before the target row: the same lock order as the guard's.
    await lockTenantAdminAccounts(tx);
    const account = await requireAccount(tx, accountId);
    assertMayAdminister(caller, account, 'disable');
    if (account.disabledAt) throw new AppError('conflict', 'The account is already disabled.');
    // Summary first: the log append must stay the transaction's last statement.
    const summary = await summarizeOne(
      tx,
      { ...account, disabledAt: now, disabledReason: reason },
      now,
      await viewerOf(ctx, tenant, tx, caller),
    );
    await disableAccountInTx(tx, actorOf(caller), accountId, reason, now);
    return summary;
  });
}

export async function enableAccount(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  accountId: string,
  now: Date,
): Promise<AccountSummary> {
  return inTenantOf(ctx, tenant, async (tx) => {
    const account = await requireAccount(tx, accountId);
    if (!account.disabledAt) throw new AppError('conflict', 'The account is not disabled.');
    const row = await updateAccount(tx, accountId, { disabledAt: null, disabledReason: null });
    const summary = await summarizeOne(tx, row, now, await viewerOf(ctx, tenant, tx, caller));
    await recordIdentityEvent(tx, actorOf(caller), {
      action: 'identity.account_enabled',
      subject: { type: 'account', id: accountId },
      payload: {},
    });
    return summary;
  });
}

/** Removes every factor: the next login enrols again (lost authenticator). */
export async function resetMfa(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  accountId: string,
  now: Date,
): Promise<AccountSummary> {
  return inTenantOf(ctx, tenant, async (tx) => {
    const account = await requireAccount(tx, accountId);
    assertMayAdminister(caller, account, 'reset_mfa');
    await deleteTotp(tx, accountId);
    await deleteWebauthn(tx, accountId);
    await replaceRecoveryCodes(tx, accountId, [], now);
    const row = await updateAccount(tx, accountId, { mfaEnrolledAt: null, totpLastStep: null });
    const ended = await revokeAccountSessions(tx, accountId, 'revoked_by_admin', now);
    const summary = await summarizeOne(tx, row, now, await viewerOf(ctx, tenant, tx, caller));
    await recordIdentityEvent(tx, actorOf(caller), {
      action: 'identity.mfa_reset',
      subject: { type: 'account', id: accountId },
      payload: { sessionsEnded: ended },
    });
    return summary;
  });
}
