import type { Caller } from '../../platform/authz/index.js';
import { AppError } from '../../platform/errors.js';
import type { AccountRow } from './identity.repository.js';

/** Administrator actions on an account. */
export type AccountAdminAction = 'reset_password' | 'disable' | 'reset_mfa';

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
  if (account.id === caller.accountId) {
    throw new AppError('forbidden', `An administrator cannot ${action} their own account.`, {
      action,
    });
  }
}
