import type { RoleId } from '@mamori/policy';
import type { TenantScope } from '../db/database.js';

/** Where a login session stands (std-7.2.4.2 temporary password, std-5.4.2 MFA). */
export type SessionState =
  'password_change_required' | 'mfa_enrolment_required' | 'mfa_required' | 'active';

/** The organizational scope a role is held for. */
export type RoleScope =
  | { readonly kind: 'tenant' }
  | { readonly kind: 'unit'; readonly unitId: string }
  | { readonly kind: 'system'; readonly systemId: string };

/** One role the caller holds today: directly, through their unit (PoC) or as a deputy. */
export interface RoleHolding {
  readonly role: RoleId;
  readonly scope: RoleScope;
  readonly assignmentId: string | null;
  /** Set when held as 代行者 (std-7.2.1.3b): the person the caller stands in for. */
  readonly deputyForPersonId?: string;
}

/** The authenticated caller of a request, resolved from the session cookie. */
export interface Caller {
  readonly scope: TenantScope;
  readonly accountId: string;
  readonly loginName: string;
  readonly displayName: string;
  /** The person of the organization the account belongs to (absent for an operator-only account). */
  readonly personId: string | null;
  readonly sessionId: string;
  readonly sessionState: SessionState;
  readonly csrfToken: string;
  /** Privileged operations need `elevatedUntil` in the future (std-7.2.5). */
  readonly elevatedUntil: Date | null;
  readonly roles: readonly RoleHolding[];
}

/** Whether the caller holds `role` (in any scope, or in the given one). */
export function holdsRole(caller: Caller, role: RoleId, scope?: RoleScope): boolean {
  return caller.roles.some((h) => h.role === role && (!scope || sameScope(h.scope, scope)));
}

/** Whether two role scopes are the same scope instance. */
export function sameScope(a: RoleScope, b: RoleScope): boolean {
  if (a.kind === 'tenant' || b.kind === 'tenant') return a.kind === b.kind;
  if (a.kind === 'unit' && b.kind === 'unit') return a.unitId === b.unitId;
  if (a.kind === 'system' && b.kind === 'system') return a.systemId === b.systemId;
  return false;
}

/** Whether the caller's elevation (step-up) is still in force at `now`. */
export function isElevated(caller: Caller, now: Date): boolean {
  return caller.elevatedUntil !== null && caller.elevatedUntil.getTime() > now.getTime();
}
