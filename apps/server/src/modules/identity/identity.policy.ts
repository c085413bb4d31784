import type { AccountAbilities } from '@mamori/contracts';
import { hasPermission, type Caller } from '../../platform/authz/index.js';
import { AppError } from '../../platform/errors.js';
import type { AccountRow } from './identity.repository.js';

/** Administrator actions on an account. */
export type AccountAdminAction = 'reset_password' | 'disable' | 'reset_mfa';

/** Whether `account` is the caller's own: administration of it goes through self-service. */
function isOwnAccount(caller: Caller, account: { id: string }): boolean {
  return account.id === caller.accountId;
}

/**
 * Per-object rule for account administration (second authorization layer):
 * a tenant_admin acts on others' accounts, never on their own — their own
 * password and factors change through self-service with their own factor, and
 * disabling oneself would leave no one to undo it.
 */
export function assertMayAdminister(
  caller: Caller,
  account: AccountRow,
  action: AccountAdminAction,
): void {
  if (isOwnAccount(caller, account)) {
    throw new AppError('forbidden', `An administrator cannot ${action} their own account.`, {
      action,
    });
  }
}

/** The account's state as the abilities need it (as summarized at `now`). */
export interface AccountState {
  readonly id: string;
  readonly locked: boolean;
  readonly disabled: boolean;
}

/** Tenant-wide facts the abilities depend on, read once per request. */
export interface AccountAbilityFacts {
  /** Setting `auth.lockout.admin_unlock` (std-7.2.3): the policy lets an administrator unlock. */
  readonly adminUnlock: boolean;
  /** Ids of the tenant's enabled tenant_admin accounts (std-7.2.1.3f: one must remain). */
  readonly enabledAdminIds: ReadonlySet<string>;
}

/**
 * What the caller may do with an account (house style 3). Mirrors the refusals of
 * commands/administer-accounts.ts, so a true ability is an action the server accepts (step-up
 * aside: the UI asks for it on `step_up_required`, std-7.2.5) and a false one is refused:
 * - every action needs `account:manage` (route permission);
 * - resetPassword / resetMfa / disable: not the caller's own account ({@link assertMayAdminister});
 * - unlock: only while locked (`conflict` otherwise) and when the policy allows it (`forbidden`);
 * - enable: only while disabled (`conflict`);
 * - disable: not already disabled (`conflict`), not the last enabled tenant_admin
 *   (`last_tenant_admin`, std-7.2.1.3f).
 */
export function accountAbilities(
  caller: Caller,
  account: AccountState,
  facts: AccountAbilityFacts,
): AccountAbilities {
  if (!hasPermission(caller, 'account:manage')) {
    return { resetPassword: false, unlock: false, enable: false, disable: false, resetMfa: false };
  }
  const own = isOwnAccount(caller, account);
  const lastAdmin = facts.enabledAdminIds.has(account.id) && facts.enabledAdminIds.size === 1;
  return {
    resetPassword: !own,
    unlock: account.locked && facts.adminUnlock,
    enable: account.disabled,
    disable: !own && !account.disabled && !lastAdmin,
    resetMfa: !own,
  };
}
