import type { RoleId } from '../pack/roles-schema.js';
import {
  holdersOfRole,
  instantMillis,
  resolveAssignment,
  type Instant,
  type ResolvedHolder,
} from './resolve.js';
import { OrgIndex, type Delegation, type OrgSnapshot, type RoleAssignment } from './snapshot.js';

/** Codes of {@link validateDelegation}'s problems. */
export type DelegationProblemCode =
  | 'unknown_assignment'
  | 'not_person_held'
  | 'invalid_period'
  | 'period_end_not_after_start'
  | 'deputy_is_holder'
  | 'unknown_deputy'
  | 'deputy_not_active'
  | 'overlapping_delegation';

/** One reason a delegation cannot be recorded. */
export interface DelegationProblem {
  readonly code: DelegationProblemCode;
  readonly message: string;
  /** The other delegation, for `overlapping_delegation`. */
  readonly otherDelegationId?: string;
  readonly clauses: readonly string[];
}

const DELEGATION_CLAUSES = ['std-2.9.1', 'std-7.2.1.3b'] as const;

/**
 * Checks a delegation (代行者, std-7.2.1.3b; decisions.md "approval
 * delegation") against the snapshot: the assignment exists and is held by a
 * person, the period is valid and ends after it starts, the deputy is a known,
 * active person other than the holder (std-2.9.1), and no other unrevoked
 * delegation of the same assignment overlaps it. Revoked delegations are not
 * checked for overlap. The delegation itself may be in `snapshot.delegations`
 * (it is skipped by id).
 */
export function validateDelegation(
  snapshot: OrgSnapshot,
  delegation: Delegation,
): DelegationProblem[] {
  const index = new OrgIndex(snapshot);
  const problems: DelegationProblem[] = [];
  const add = (
    code: DelegationProblemCode,
    message: string,
    extra: { otherDelegationId?: string } = {},
  ) => problems.push({ code, message, clauses: DELEGATION_CLAUSES, ...extra });
  const assignment = index.assignments.get(delegation.assignmentId);
  if (assignment === undefined) {
    add('unknown_assignment', `role assignment "${delegation.assignmentId}" is not in force`);
  } else if (assignment.holder.kind !== 'person') {
    add(
      'not_person_held',
      `role assignment "${assignment.id}" is held by a unit, which names no deputy`,
    );
  } else if (assignment.holder.personId === delegation.deputyPersonId) {
    add('deputy_is_holder', 'the deputy must not be the holder');
  }
  const from = instantMillis(delegation.from);
  const to = instantMillis(delegation.to);
  const periodValid = !Number.isNaN(from) && !Number.isNaN(to);
  if (!periodValid) add('invalid_period', 'the period is not a pair of ISO date-times');
  else if (to <= from) add('period_end_not_after_start', 'the period ends before it starts');
  const deputy = index.people.get(delegation.deputyPersonId);
  if (deputy === undefined)
    add('unknown_deputy', `person "${delegation.deputyPersonId}" is unknown`);
  else if (deputy.status !== 'active')
    add('deputy_not_active', `the deputy is ${deputy.status === 'left' ? 'gone' : 'on leave'}`);
  if (periodValid && to > from && !delegation.revoked) {
    for (const other of snapshot.delegations) {
      if (other.id === delegation.id || other.revoked) continue;
      if (other.assignmentId !== delegation.assignmentId) continue;
      if (instantMillis(other.from) < to && from < instantMillis(other.to)) {
        add('overlapping_delegation', `the period overlaps delegation "${other.id}"`, {
          otherDelegationId: other.id,
        });
      }
    }
  }
  return problems;
}

/**
 * The role whose holder is the superior of a role's holder, for delegation
 * notices (std-7.2.1.3c; decisions.md "approval delegation"): 課長 → 部長 →
 * 統括 → CISO. The 情報システム管理者 answers to the 部長 owning the system.
 */
export const SUPERIOR_ROLE: Readonly<Partial<Record<RoleId, RoleId>>> = {
  security_manager: 'security_officer',
  security_officer: 'chief_security_officer',
  chief_security_officer: 'ciso',
  system_manager: 'security_officer',
  system_operator: 'system_manager',
  external_service_manager: 'chief_security_officer',
  csirt_lead: 'ciso',
  tenant_admin: 'chief_security_officer',
};

/** A recipient of a delegation notice and why. */
export interface DelegationNoticeRecipient extends ResolvedHolder {
  readonly reason: 'notify_role' | 'superior';
}

/** The holders of `role` relevant to an assignment's scope (its 部局 for a 部長 role, its system …). */
function holdersForScope(
  index: OrgIndex,
  assignment: RoleAssignment,
  role: RoleId,
  at: Instant,
): ResolvedHolder[] {
  const snapshot = index.snapshot;
  const { scope } = assignment;
  const unitId =
    scope.kind === 'unit'
      ? scope.unitId
      : scope.kind === 'system'
        ? index.systems.get(scope.systemId)?.owningUnitId
        : undefined;
  switch (role) {
    case 'security_officer':
    case 'security_manager': {
      if (unitId === undefined) return [];
      const level = role === 'security_officer' ? 'department' : 'section';
      const unit = index.levelOf(unitId, level);
      return unit === undefined
        ? []
        : holdersOfRole(snapshot, role, { kind: 'unit', unitId: unit.id }, at);
    }
    case 'system_manager':
      return scope.kind === 'system' ? holdersOfRole(snapshot, role, scope, at) : [];
    default:
      return holdersOfRole(snapshot, role, { kind: 'tenant' }, at);
  }
}

/**
 * Who is told that a deputy was named (std-7.2.1.3c; decisions.md "approval
 * delegation"): the holders of `notifyRoles` (setting
 * `approval.delegation.notify_roles`, parsed; default the
 * chief_security_officer) and the holder's superior ({@link SUPERIOR_ROLE}:
 * the security_officer of the 部局 for a security_manager, the
 * chief_security_officer for a security_officer, the CISO for the
 * chief_security_officer). Department-level roles resolve within the
 * assignment's own 部局. Each person or unit appears once; the holder and the
 * deputy themselves are left out.
 */
export function delegationNotifyRecipients(
  snapshot: OrgSnapshot,
  delegation: Delegation,
  notifyRoles: readonly string[] = ['chief_security_officer'],
  at?: Instant,
): DelegationNoticeRecipient[] {
  const index = new OrgIndex(snapshot);
  const assignment = index.assignments.get(delegation.assignmentId);
  if (assignment === undefined) return [];
  const when = at ?? delegation.from;
  const exclude = new Set<string>([delegation.deputyPersonId]);
  const holder = resolveAssignment(index, assignment, undefined)?.holder;
  if (holder?.kind === 'person') exclude.add(holder.personId);
  const result: DelegationNoticeRecipient[] = [];
  const seen = new Set<string>();
  const add = (holders: readonly ResolvedHolder[], reason: DelegationNoticeRecipient['reason']) => {
    for (const h of holders) {
      const key = h.holder.kind === 'person' ? `p:${h.holder.personId}` : `u:${h.holder.unitId}`;
      if (h.holder.kind === 'person' && exclude.has(h.holder.personId)) continue;
      if (seen.has(key)) continue;
      seen.add(key);
      result.push({ ...h, reason });
    }
  };
  for (const role of notifyRoles)
    add(holdersForScope(index, assignment, role as RoleId, when), 'notify_role');
  const superior = SUPERIOR_ROLE[assignment.role];
  if (superior !== undefined) add(holdersForScope(index, assignment, superior, when), 'superior');
  return result;
}
