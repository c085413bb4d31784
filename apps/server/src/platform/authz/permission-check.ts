import { permissionGrants, type Permission } from '@mamori/contracts';
import type { Caller } from './caller.js';

/**
 * The first authorization layer: whether any of the caller's roles grants
 * `permission` (packages/contracts permissionGrants). `staff` is every
 * logged-in account. Per-object rules come after, in the module's policy.
 */
export function hasPermission(caller: Caller, permission: Permission): boolean {
  const grantees = permissionGrants[permission];
  if (grantees.includes('staff')) return true;
  return caller.roles.some((holding) => grantees.includes(holding.role));
}
