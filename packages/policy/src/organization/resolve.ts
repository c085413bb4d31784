import type { RoleId } from '../pack/roles-schema.js';
import {
  OrgIndex,
  sameScope,
  type Delegation,
  type OrgSnapshot,
  type RoleAssignment,
  type RoleHolder,
  type RoleScope,
} from './snapshot.js';

/** A point in time: a `Date` or an ISO 8601 date-time string. */
export type Instant = string | Date;

/** Milliseconds since the epoch of an instant; NaN when the string is not a date-time. */
export function instantMillis(at: Instant): number {
  return typeof at === 'string' ? Date.parse(at) : at.getTime();
}

/** The holder a deputy acts for (代行, std-7.2.1.3b). */
export interface DeputyFor {
  /** The absent holder. */
  readonly personId: string;
  readonly delegationId: string;
}

/**
 * Who acts for a role: the holder, or their deputy during an unrevoked
 * delegation (then `deputyFor` names the holder), with the assignment that
 * gave the role.
 */
export interface ResolvedHolder {
  readonly role: RoleId;
  /** Who acts: the deputy when `deputyFor` is set. */
  readonly holder: RoleHolder;
  readonly assignment: RoleAssignment;
  readonly deputyFor: DeputyFor | null;
}

/** True when the delegation is unrevoked and `from <= at < to`. */
export function isDelegationActive(delegation: Delegation, at: Instant): boolean {
  const t = instantMillis(at);
  return (
    !delegation.revoked && instantMillis(delegation.from) <= t && t < instantMillis(delegation.to)
  );
}

/**
 * The delegation of an assignment in force at `at` (decisions.md "approval
 * delegation"), if any. Should several overlap (which {@link validateDelegation}
 * forbids), the one that started last wins.
 */
export function activeDelegation(
  snapshot: OrgSnapshot,
  assignmentId: string,
  at: Instant,
): Delegation | undefined {
  let found: Delegation | undefined;
  for (const delegation of snapshot.delegations) {
    if (delegation.assignmentId !== assignmentId || !isDelegationActive(delegation, at)) continue;
    if (found === undefined || instantMillis(found.from) < instantMillis(delegation.from))
      found = delegation;
  }
  return found;
}

/** Resolves one assignment: undefined when its person holder has left or is unknown. */
export function resolveAssignment(
  index: OrgIndex,
  assignment: RoleAssignment,
  at: Instant | undefined,
): ResolvedHolder | undefined {
  const { holder } = assignment;
  if (holder.kind === 'unit') {
    return index.units.has(holder.unitId)
      ? { role: assignment.role, holder, assignment, deputyFor: null }
      : undefined;
  }
  const person = index.people.get(holder.personId);
  if (person === undefined || person.status === 'left') return undefined;
  if (at !== undefined) {
    const delegation = activeDelegation(index.snapshot, assignment.id, at);
    const deputy =
      delegation === undefined ? undefined : index.people.get(delegation.deputyPersonId);
    if (delegation !== undefined && deputy !== undefined && deputy.status !== 'left') {
      return {
        role: assignment.role,
        holder: { kind: 'person', personId: deputy.id },
        assignment,
        deputyFor: { personId: person.id, delegationId: delegation.id },
      };
    }
  }
  return { role: assignment.role, holder, assignment, deputyFor: null };
}

function holdersIn(
  index: OrgIndex,
  role: RoleId,
  scope: RoleScope | undefined,
  at: Instant | undefined,
): ResolvedHolder[] {
  const result: ResolvedHolder[] = [];
  for (const assignment of index.snapshot.roleAssignments) {
    if (assignment.role !== role) continue;
    if (scope !== undefined && !sameScope(assignment.scope, scope)) continue;
    const resolved = resolveAssignment(index, assignment, at);
    if (resolved !== undefined) result.push(resolved);
  }
  return result;
}

/**
 * The holders of `role`, for one scope instance when `scope` is given (else
 * every scope). With `at`, a holder with a delegation in force is replaced by
 * the deputy (flagged `deputyFor`); without it, the holders themselves.
 * Holders who have left are never returned.
 */
export function holdersOfRole(
  snapshot: OrgSnapshot,
  role: RoleId,
  scope?: RoleScope,
  at?: Instant,
): ResolvedHolder[] {
  return holdersIn(new OrgIndex(snapshot), role, scope, at);
}

function holdersAtLevel(
  index: OrgIndex,
  role: RoleId,
  unitId: string,
  level: 'department' | 'section',
  at: Instant,
): ResolvedHolder[] {
  if (index.isOutOfScope(unitId)) return []; // pol-4.1: outside the policy
  const unit = index.levelOf(unitId, level);
  return unit === undefined ? [] : holdersIn(index, role, { kind: 'unit', unitId: unit.id }, at);
}

/**
 * The 情報セキュリティ管理者 of a unit (std-2.4.1): the security_manager of
 * the nearest unit at or above it that acts as a section (課, 出先機関); a
 * 係 resolves to its 課. Empty when there is no such unit, nobody holds the
 * role, or the unit is out of the policy's scope (pol-4.1).
 */
export function securityManagerOfUnit(
  snapshot: OrgSnapshot,
  unitId: string,
  at: Instant,
): ResolvedHolder[] {
  return holdersAtLevel(new OrgIndex(snapshot), 'security_manager', unitId, 'section', at);
}

/**
 * The 情報セキュリティ管理者 of a person (std-2.4.1, std-6.3.1.1): that of
 * their primary unit. Empty for a person without a primary unit.
 */
export function securityManagerOfPerson(
  snapshot: OrgSnapshot,
  personId: string,
  at: Instant,
): ResolvedHolder[] {
  const person = snapshot.people.find((p) => p.id === personId);
  if (person?.primaryUnitId == null) return [];
  return securityManagerOfUnit(snapshot, person.primaryUnitId, at);
}

/**
 * The 情報セキュリティ責任者 of a unit (std-2.3.1): the security_officer of
 * the nearest unit at or above it that acts as a department (部局,
 * 行政委員会事務局). Empty when none, or out of scope (pol-4.1).
 */
export function securityOfficerOfUnit(
  snapshot: OrgSnapshot,
  unitId: string,
  at: Instant,
): ResolvedHolder[] {
  return holdersAtLevel(new OrgIndex(snapshot), 'security_officer', unitId, 'department', at);
}

/** The 情報システム管理者 of a system (std-2.5.1). */
export function systemManagerOfSystem(
  snapshot: OrgSnapshot,
  systemId: string,
  at: Instant,
): ResolvedHolder[] {
  return holdersOfRole(snapshot, 'system_manager', { kind: 'system', systemId }, at);
}

/** The 情報システム担当者 of a system (std-2.6). */
export function systemOperatorsOfSystem(
  snapshot: OrgSnapshot,
  systemId: string,
  at: Instant,
): ResolvedHolder[] {
  return holdersOfRole(snapshot, 'system_operator', { kind: 'system', systemId }, at);
}

/** When a recipient is told of an incident: 1 first report, 2 escalation, 3 the CISO. */
export type IncidentStage = 1 | 2 | 3;

/** One recipient of an incident report. */
export interface IncidentRecipient extends ResolvedHolder {
  readonly stage: IncidentStage;
  /** The affected system this recipient is notified for (system managers, ※2 officers). */
  readonly systemId: string | null;
  readonly clauses: readonly string[];
}

/** Everyone to notify of an incident, in order, with the people and units to address. */
export interface IncidentRecipients {
  readonly recipients: readonly IncidentRecipient[];
  /** Person ids in notification order, each once. */
  readonly personIds: readonly string[];
  /** Unit ids (the PoC) in notification order, each once. */
  readonly unitIds: readonly string[];
}

/** Where an incident happened: the unit, and the affected systems. */
export interface IncidentPlace {
  readonly unitId: string;
  readonly systemIds: readonly string[];
}

/**
 * Everyone to notify of an incident in a unit (decisions.md "incident
 * escalation recipients", the union of 2(4)③ and 6.3(1)②③):
 * 1. the unit's security_manager and the PoC (std-6.3.1.1, std-2.10.3);
 * 2. in the order of `escalationRoles` (setting `incident.escalation.recipients`,
 *    its parsed value): security_officer of the unit's department and of each
 *    affected system's department (reference flow ※2), chief_security_officer,
 *    system_manager of each affected system (std-2.4.3, std-6.3.1.2);
 * 3. the CISO, when listed (std-6.3.1.3).
 * A holder on leave with a deputy is replaced by the deputy. The same
 * assignment appears once, at its earliest stage. Role ids of the setting that
 * are none of these are resolved as tenant-wide roles at stage 2.
 */
export function incidentRecipients(
  snapshot: OrgSnapshot,
  place: IncidentPlace,
  escalationRoles: readonly string[],
  at: Instant,
): IncidentRecipients {
  const index = new OrgIndex(snapshot);
  const recipients: IncidentRecipient[] = [];
  const seen = new Set<string>();
  const add = (
    stage: IncidentStage,
    holders: readonly ResolvedHolder[],
    clauses: readonly string[],
    systemId: string | null = null,
  ) => {
    for (const holder of holders) {
      if (seen.has(holder.assignment.id)) continue;
      seen.add(holder.assignment.id);
      recipients.push({ ...holder, stage, systemId, clauses });
    }
  };
  const systems = place.systemIds
    .map((id) => index.systems.get(id))
    .filter((system) => system !== undefined);

  add(1, holdersAtLevel(index, 'security_manager', place.unitId, 'section', at), ['std-6.3.1.1']);
  add(1, holdersIn(index, 'poc', undefined, at), ['std-6.3.1.1', 'std-2.10.3']);
  const escalation = ['std-2.4.3', 'std-6.3.1.2'];
  for (const role of escalationRoles) {
    switch (role) {
      case 'ciso':
        break; // stage 3
      case 'security_officer':
        add(
          2,
          holdersAtLevel(index, 'security_officer', place.unitId, 'department', at),
          escalation,
        );
        for (const system of systems) {
          add(
            2,
            holdersAtLevel(index, 'security_officer', system.owningUnitId, 'department', at),
            escalation,
            system.id,
          );
        }
        break;
      case 'system_manager':
        for (const system of systems) {
          add(
            2,
            holdersIn(index, 'system_manager', { kind: 'system', systemId: system.id }, at),
            escalation,
            system.id,
          );
        }
        break;
      case 'security_manager':
        break; // already stage 1
      default:
        add(2, holdersIn(index, role as RoleId, { kind: 'tenant' }, at), escalation);
    }
  }
  if (escalationRoles.includes('ciso')) {
    add(3, holdersIn(index, 'ciso', { kind: 'tenant' }, at), ['std-2.4.3', 'std-6.3.1.3']);
  }
  const personIds: string[] = [];
  const unitIds: string[] = [];
  for (const { holder } of recipients) {
    if (holder.kind === 'person') {
      if (!personIds.includes(holder.personId)) personIds.push(holder.personId);
    } else if (!unitIds.includes(holder.unitId)) unitIds.push(holder.unitId);
  }
  return { recipients, personIds, unitIds };
}

/** How a person holds a role. */
export type RoleHoldingVia = 'direct' | 'deputy' | 'unit' | 'membership';

/** One role a person holds at a time. */
export interface RoleHolding {
  readonly role: RoleId;
  readonly scope: RoleScope;
  /** null for the implicit 職員等 (staff) role of every member. */
  readonly assignment: RoleAssignment | null;
  /**
   * `direct`: assigned to the person; `deputy`: acting for `deputyFor`;
   * `unit`: held by a unit the person belongs to (PoC); `membership`: staff of their section.
   */
  readonly via: RoleHoldingVia;
  readonly deputyFor: DeputyFor | null;
  /** For a direct holding: the deputy acting for this person now, if any. */
  readonly delegatedTo: { readonly personId: string; readonly delegationId: string } | null;
}

/**
 * Every role a person holds at `at`: their own assignments (with the deputy
 * acting for them, if any), the assignments they act for as a deputy
 * (std-7.2.1.3b), the roles of units they belong to (primary or 兼務; a unit
 * role such as the PoC applies to its members) and the implicit 職員等 role
 * (pol-4.1) scoped to their primary unit's section. Empty for a person who has
 * left; no staff role in an out-of-scope unit.
 */
export function rolesOfPerson(snapshot: OrgSnapshot, personId: string, at: Instant): RoleHolding[] {
  const index = new OrgIndex(snapshot);
  const person = index.people.get(personId);
  if (person === undefined || person.status === 'left') return [];
  const holdings: RoleHolding[] = [];
  const memberOf = new Set(
    [person.primaryUnitId, ...person.additionalUnitIds].filter((id) => id !== null),
  );
  for (const assignment of snapshot.roleAssignments) {
    const { holder } = assignment;
    if (holder.kind === 'person' && holder.personId === personId) {
      const delegation = activeDelegation(snapshot, assignment.id, at);
      holdings.push({
        role: assignment.role,
        scope: assignment.scope,
        assignment,
        via: 'direct',
        deputyFor: null,
        delegatedTo:
          delegation === undefined
            ? null
            : { personId: delegation.deputyPersonId, delegationId: delegation.id },
      });
    } else if (holder.kind === 'unit' && memberOf.has(holder.unitId)) {
      holdings.push({
        role: assignment.role,
        scope: assignment.scope,
        assignment,
        via: 'unit',
        deputyFor: null,
        delegatedTo: null,
      });
    }
  }
  for (const delegation of snapshot.delegations) {
    if (delegation.deputyPersonId !== personId || !isDelegationActive(delegation, at)) continue;
    const assignment = index.assignments.get(delegation.assignmentId);
    if (assignment?.holder.kind !== 'person' || assignment.holder.personId === personId) continue;
    if (activeDelegation(snapshot, assignment.id, at)?.id !== delegation.id) continue;
    holdings.push({
      role: assignment.role,
      scope: assignment.scope,
      assignment,
      via: 'deputy',
      deputyFor: { personId: assignment.holder.personId, delegationId: delegation.id },
      delegatedTo: null,
    });
  }
  if (person.primaryUnitId !== null && index.units.has(person.primaryUnitId)) {
    if (!index.isOutOfScope(person.primaryUnitId)) {
      const section = index.levelOf(person.primaryUnitId, 'section');
      holdings.push({
        role: 'staff',
        scope: { kind: 'unit', unitId: section?.id ?? person.primaryUnitId },
        assignment: null,
        via: 'membership',
        deputyFor: null,
        delegatedTo: null,
      });
    }
  }
  return holdings;
}
