import type { PackRole, RoleId } from '../pack/roles-schema.js';
import { activeDelegation, type Instant } from './resolve.js';
import {
  holderKey,
  OrgIndex,
  scopeKey,
  type OrgSnapshot,
  type RoleAssignment,
  type RoleHolder,
  type RoleScope,
} from './snapshot.js';

/** Codes of {@link checkRoleCardinality}'s problems. */
export type RoleProblemCode =
  | 'missing_holder'
  | 'too_many_holders'
  | 'wrong_scope_kind'
  | 'wrong_holder_kind'
  | 'unknown_scope'
  | 'holder_inactive'
  | 'holder_on_leave'
  | 'privileged_over_limit'
  | 'tenant_admin_holds_approver'
  | 'contractor_holds_privileged'
  | 'auditor_is_auditee';

/** One problem with who holds a role. */
export interface RoleProblem {
  readonly code: RoleProblemCode;
  readonly role: RoleId;
  /** The scope instance, or null for problems across scopes (privileged holders). */
  readonly scope: RoleScope | null;
  readonly holders: readonly RoleHolder[];
  readonly assignmentIds: readonly string[];
  readonly clauses: readonly string[];
  readonly message: string;
}

/** Options of {@link checkRoleCardinality}. */
export interface RoleCardinalityOptions {
  /** Setting `roles.privileged.max_holders` (parsed). */
  readonly privilegedMaxHolders: number;
  /** Employment kind ids of contractors' staff (default `contractor_staff`). */
  readonly contractorEmployments?: readonly string[];
  /** When a holder on leave counts as covered by a deputy (default: the snapshot's date). */
  readonly at?: Instant;
}

/** Roles whose holders are responsible tenant-wide, and so are auditees of every audit (std-2.9.2). */
const TENANT_WIDE_RESPONSIBLE: readonly RoleId[] = ['ciso', 'chief_security_officer'];
const AUDIT_ROLES: readonly RoleId[] = ['audit_lead', 'auditor'];

function scopeFits(
  index: OrgIndex,
  role: PackRole,
  scope: RoleScope,
): 'ok' | 'wrong_kind' | 'unknown' {
  switch (role.scope) {
    case 'tenant':
      return scope.kind === 'tenant' ? 'ok' : 'wrong_kind';
    case 'system':
      if (scope.kind !== 'system') return 'wrong_kind';
      return index.systems.has(scope.systemId) ? 'ok' : 'unknown';
    case 'external_service':
      return scope.kind === 'external_service' ? 'ok' : 'wrong_kind';
    case 'unit':
    case 'department':
    case 'section': {
      if (scope.kind !== 'unit') return 'wrong_kind';
      const unit = index.units.get(scope.unitId);
      if (unit === undefined) return 'unknown';
      return role.scope === 'unit' || unit.actsAs === role.scope ? 'ok' : 'wrong_kind';
    }
  }
}

/** The scope instances a role must be held for: in-scope units of its level, systems, the tenant. */
function requiredScopes(index: OrgIndex, role: PackRole): RoleScope[] {
  const snapshot = index.snapshot;
  switch (role.scope) {
    case 'tenant':
      return [{ kind: 'tenant' }];
    case 'department':
    case 'section':
      return snapshot.units
        .filter((unit) => unit.actsAs === role.scope && !index.isOutOfScope(unit.id))
        .map((unit) => ({ kind: 'unit', unitId: unit.id }));
    case 'system':
      return snapshot.systems
        .filter((system) => !index.isOutOfScope(system.owningUnitId))
        .map((system) => ({ kind: 'system', systemId: system.id }));
    case 'unit':
    case 'external_service':
      return []; // no list of instances: only over-holding is checked
  }
}

function describeScope(scope: RoleScope | null): string {
  return scope === null
    ? 'across scopes'
    : scope.kind === 'tenant'
      ? 'for the tenant'
      : `for ${scopeKey(scope)}`;
}

/**
 * Checks who holds each role of the pack against its scope and cardinality
 * (roles.yaml `cardinality`; shared roles.yaml: one CISO, one 統括, one
 * 情報セキュリティ責任者 per 部局, one 情報セキュリティ管理者 per 課, one
 * 情報システム管理者 per system), for every scope instance: the tenant, each
 * in-scope unit acting as a department or section, each system of an in-scope
 * unit. Out-of-scope units (pol-4.1) need no holders. `body` roles
 * (委員会, CSIRT) count members: exactly_one/one_or_more need at least one.
 * Also reports assignments for the wrong kind of scope or holder, holders
 * who have left, and the 兼務 rules stated at assignment level:
 * - privileged holders over `roles.privileged.max_holders` (std-7.2.1.3a);
 * - tenant_admin holding an approver role (glossary: it holds none);
 * - contractors' staff holding a privileged role (std-7.2.1.3d);
 * - audit_lead/auditor also holding a tenant-wide responsibility (CISO, 統括),
 *   making them auditees of every audit (std-2.9.2, std-10.1.2.1).
 */
export function checkRoleCardinality(
  snapshot: OrgSnapshot,
  roles: readonly PackRole[],
  options: RoleCardinalityOptions,
): RoleProblem[] {
  const index = new OrgIndex(snapshot);
  const problems: RoleProblem[] = [];
  const roleById = new Map(roles.map((role) => [role.id, role]));
  const contractor = new Set(options.contractorEmployments ?? ['contractor_staff']);
  const problem = (
    code: RoleProblemCode,
    role: PackRole,
    scope: RoleScope | null,
    assignments: readonly RoleAssignment[],
    message: string,
    clauses: readonly string[] = role.clauses,
  ) =>
    problems.push({
      code,
      role: role.id,
      scope,
      holders: assignments.map((a) => a.holder),
      assignmentIds: assignments.map((a) => a.id),
      clauses,
      message,
    });
  const isActive = (holder: RoleHolder) =>
    holder.kind === 'unit'
      ? index.units.has(holder.unitId)
      : (index.people.get(holder.personId)?.status ?? 'left') !== 'left';

  for (const role of roles) {
    const assignments = snapshot.roleAssignments.filter((a) => a.role === role.id);
    const counted = new Map<string, RoleAssignment[]>();
    for (const assignment of assignments) {
      const fit = scopeFits(index, role, assignment.scope);
      if (fit !== 'ok') {
        problem(
          fit === 'unknown' ? 'unknown_scope' : 'wrong_scope_kind',
          role,
          assignment.scope,
          [assignment],
          fit === 'unknown'
            ? `${role.id} is assigned ${describeScope(assignment.scope)}, which does not exist`
            : `${role.id} is held per ${role.scope}, not ${describeScope(assignment.scope)}`,
        );
        continue;
      }
      const expectedHolder = role.holder_kind === 'unit' ? 'unit' : 'person';
      if (assignment.holder.kind !== expectedHolder) {
        problem(
          'wrong_holder_kind',
          role,
          assignment.scope,
          [assignment],
          `${role.id} is held by a ${expectedHolder}`,
        );
        continue;
      }
      if (!isActive(assignment.holder)) {
        problem(
          'holder_inactive',
          role,
          assignment.scope,
          [assignment],
          `${role.id} ${describeScope(assignment.scope)} is held by ${holderKey(assignment.holder)}, who has left`,
        );
        continue;
      }
      // 休職: the holder still holds the role, but nobody acts for it unless a deputy is named
      // (std-7.2.1.3b). Counted as a holder, reported until a delegation covers the absence.
      if (
        assignment.holder.kind === 'person' &&
        index.people.get(assignment.holder.personId)?.status === 'on_leave' &&
        !activeDelegation(snapshot, assignment.id, options.at ?? snapshot.asOf)
      ) {
        problem(
          'holder_on_leave',
          role,
          assignment.scope,
          [assignment],
          `${role.id} ${describeScope(assignment.scope)} is held by ${holderKey(assignment.holder)}, who is on leave with no deputy`,
        );
      }
      const key = scopeKey(assignment.scope);
      const list = counted.get(key) ?? [];
      if (!list.some((a) => holderKey(a.holder) === holderKey(assignment.holder)))
        list.push(assignment);
      counted.set(key, list);
    }
    if (role.cardinality === 'any') continue;
    const needsOne = role.cardinality === 'exactly_one' || role.cardinality === 'one_or_more';
    const atMostOne =
      role.holder_kind !== 'body' &&
      (role.cardinality === 'exactly_one' || role.cardinality === 'at_most_one');
    const required = requiredScopes(index, role);
    if (needsOne) {
      for (const scope of required) {
        if ((counted.get(scopeKey(scope)) ?? []).length === 0) {
          problem(
            'missing_holder',
            role,
            scope,
            [],
            `nobody holds ${role.id} ${describeScope(scope)}`,
          );
        }
      }
    }
    if (atMostOne) {
      for (const list of counted.values()) {
        const first = list[0];
        if (list.length > 1 && first !== undefined) {
          problem(
            'too_many_holders',
            role,
            first.scope,
            list,
            `${String(list.length)} hold ${role.id} ${describeScope(first.scope)}; at most one may`,
          );
        }
      }
    }
  }

  // Per person: the roles they hold (active assignments of known roles only).
  const rolesByPerson = new Map<string, RoleAssignment[]>();
  for (const assignment of snapshot.roleAssignments) {
    if (assignment.holder.kind !== 'person' || !isActive(assignment.holder)) continue;
    const list = rolesByPerson.get(assignment.holder.personId) ?? [];
    list.push(assignment);
    rolesByPerson.set(assignment.holder.personId, list);
  }
  const privilegedRoles = roles.filter((role) => role.privileged);
  const privilegedHolders = [...rolesByPerson.entries()].filter(([, list]) =>
    list.some((a) => roleById.get(a.role)?.privileged === true),
  );
  const firstPrivileged = privilegedRoles[0];
  if (firstPrivileged !== undefined && privilegedHolders.length > options.privilegedMaxHolders) {
    const assignments = privilegedHolders.flatMap(([, list]) =>
      list.filter((a) => roleById.get(a.role)?.privileged === true),
    );
    problems.push({
      code: 'privileged_over_limit',
      role: firstPrivileged.id,
      scope: null,
      holders: privilegedHolders.map(([personId]) => ({ kind: 'person', personId })),
      assignmentIds: assignments.map((a) => a.id),
      clauses: ['std-7.2.1.3a'],
      message: `${String(privilegedHolders.length)} people hold privileged roles (${privilegedRoles.map((r) => r.id).join(', ')}); the maximum is ${String(options.privilegedMaxHolders)}`,
    });
  }
  for (const [personId, list] of rolesByPerson) {
    const tenantAdmin = list.find((a) => a.role === 'tenant_admin');
    const approver = list.filter((a) => roleById.get(a.role)?.may_approve === true);
    const tenantAdminRole = roleById.get('tenant_admin');
    if (tenantAdmin !== undefined && approver.length > 0 && tenantAdminRole !== undefined) {
      problem(
        'tenant_admin_holds_approver',
        tenantAdminRole,
        tenantAdmin.scope,
        [tenantAdmin, ...approver],
        `person "${personId}" is tenant_admin and also holds the approver role(s) ${approver.map((a) => a.role).join(', ')}`,
        ['std-2.9.1', 'std-7.2.1.3a'],
      );
    }
    const person = index.people.get(personId);
    if (person !== undefined && contractor.has(person.employment)) {
      for (const assignment of list) {
        const role = roleById.get(assignment.role);
        if (role?.privileged === true) {
          problem(
            'contractor_holds_privileged',
            role,
            assignment.scope,
            [assignment],
            `contractor staff "${personId}" holds the privileged role ${role.id}`,
            ['std-7.2.1.3d'],
          );
        }
      }
    }
    const audit = list.filter((a) => AUDIT_ROLES.includes(a.role));
    const responsible = list.filter((a) => TENANT_WIDE_RESPONSIBLE.includes(a.role));
    const auditRole = audit[0] === undefined ? undefined : roleById.get(audit[0].role);
    if (auditRole !== undefined && responsible.length > 0) {
      problem(
        'auditor_is_auditee',
        auditRole,
        null,
        [...audit, ...responsible],
        `person "${personId}" audits (${audit.map((a) => a.role).join(', ')}) and is responsible tenant-wide (${responsible.map((a) => a.role).join(', ')})`,
        ['std-2.9.2', 'std-10.1.2.1'],
      );
    }
  }
  return problems;
}
