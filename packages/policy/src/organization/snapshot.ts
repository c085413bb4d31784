import type { IsoDate } from '../calendar/iso-date.js';
import type { UnitLevel } from '../pack/organization-schema.js';
import type { RoleId } from '../pack/roles-schema.js';

/**
 * The organization as of one date (組織体制, 対策基準2): units, people,
 * systems, role assignments and delegations. Pure data; the server loads the
 * effective-dated rows and builds one with {@link buildOrgSnapshot}.
 */

/** An organizational unit (部局, 課, 係 …) as of the snapshot date. */
export interface OrgUnit {
  readonly id: string;
  /** A unit kind id of the pack's `organization.yaml` (`department`, `branch_office` …). */
  readonly kind: string;
  /** The role level the unit stands for (from its kind's `acts_as`). */
  readonly actsAs: UnitLevel;
  readonly name: string;
  /** null for a root unit (directly under the tenant). */
  readonly parentId: string | null;
  /** Outside the policy (pol-4.1: 学校及び病院を除く); its whole subtree is out of scope. */
  readonly outOfScope: boolean;
}

/** Whether a person is at work, on leave, or gone. */
export type PersonStatus = 'active' | 'on_leave' | 'left';

/** A person (職員等, pol-4.1) as of the snapshot date. */
export interface OrgPerson {
  readonly id: string;
  readonly name: string;
  /** An employment kind id of the pack (`regular`, `non_regular`, `contractor_staff`). */
  readonly employment: string;
  readonly primaryUnitId: string | null;
  /** 兼務: units the person also belongs to. */
  readonly additionalUnitIds: readonly string[];
  readonly status: PersonStatus;
}

/** An information system and the unit that owns it (its 担当課). */
export interface OrgSystem {
  readonly id: string;
  readonly name: string;
  readonly owningUnitId: string;
}

/** Who holds a role assignment: a person, or a unit (PoC, 管財課財産管理担当). */
export type RoleHolder =
  | { readonly kind: 'person'; readonly personId: string }
  | { readonly kind: 'unit'; readonly unitId: string };

/** What a role assignment is held for. */
export type RoleScope =
  | { readonly kind: 'tenant' }
  | { readonly kind: 'unit'; readonly unitId: string }
  | { readonly kind: 'system'; readonly systemId: string }
  | { readonly kind: 'external_service'; readonly externalServiceId: string };

/** One role held by one holder for one scope over `validFrom <= date < validTo`. */
export interface RoleAssignment {
  readonly id: string;
  readonly role: RoleId;
  readonly holder: RoleHolder;
  readonly scope: RoleScope;
  readonly validFrom: IsoDate;
  /** Exclusive end; null = open-ended. */
  readonly validTo: IsoDate | null;
}

/**
 * A deputy (代行者, std-7.2.1.3b) acting for the holder of an assignment over
 * `from <= t < to` (ISO date-times), unless revoked.
 */
export interface Delegation {
  readonly id: string;
  readonly assignmentId: string;
  readonly deputyPersonId: string;
  readonly from: string;
  readonly to: string;
  readonly revoked: boolean;
}

/** The organization as of {@link OrgSnapshot.asOf}. */
export interface OrgSnapshot {
  readonly asOf: IsoDate;
  readonly units: readonly OrgUnit[];
  readonly people: readonly OrgPerson[];
  readonly systems: readonly OrgSystem[];
  readonly roleAssignments: readonly RoleAssignment[];
  readonly delegations: readonly Delegation[];
}

/** A row valid over `validFrom <= date < validTo` (validTo null = open-ended). */
export interface EffectiveDated {
  readonly validFrom: IsoDate;
  readonly validTo: IsoDate | null;
}

/** True when an effective-dated row is in force on `date` (ISO dates compare as strings). */
export function isEffectiveOn(row: EffectiveDated, date: IsoDate): boolean {
  return row.validFrom <= date && (row.validTo === null || date < row.validTo);
}

/**
 * The rows in force on `date`, one per id: when several versions of the same
 * id overlap (a data error), the one with the latest `validFrom` wins.
 */
export function effectiveRowsOn<T extends EffectiveDated & { readonly id: string }>(
  rows: readonly T[],
  date: IsoDate,
): T[] {
  const byId = new Map<string, T>();
  for (const row of rows) {
    if (!isEffectiveOn(row, date)) continue;
    const seen = byId.get(row.id);
    if (seen === undefined || seen.validFrom < row.validFrom) byId.set(row.id, row);
  }
  return [...byId.values()];
}

/** The effective-dated rows a server stores, from which a snapshot is built. */
export interface OrgRows {
  readonly units: readonly (OrgUnit & EffectiveDated)[];
  readonly people: readonly (OrgPerson & EffectiveDated)[];
  readonly systems: readonly (OrgSystem & EffectiveDated)[];
  readonly roleAssignments: readonly RoleAssignment[];
  readonly delegations: readonly Delegation[];
}

function stripDates<T extends EffectiveDated>(row: T): Omit<T, 'validFrom' | 'validTo'> {
  const { validFrom: _from, validTo: _to, ...rest } = row;
  return rest;
}

/**
 * Builds the organization as of `asOf` from effective-dated rows: each unit,
 * person, system and role assignment version with `validFrom <= asOf < validTo`,
 * and the delegations of the assignments kept (delegations are timed by
 * date-time and filtered when resolving).
 */
export function buildOrgSnapshot(rows: OrgRows, asOf: IsoDate): OrgSnapshot {
  const roleAssignments = effectiveRowsOn(rows.roleAssignments, asOf);
  const assignmentIds = new Set(roleAssignments.map((a) => a.id));
  return {
    asOf,
    units: effectiveRowsOn(rows.units, asOf).map(stripDates),
    people: effectiveRowsOn(rows.people, asOf).map(stripDates),
    systems: effectiveRowsOn(rows.systems, asOf).map(stripDates),
    roleAssignments,
    delegations: rows.delegations.filter((d) => assignmentIds.has(d.assignmentId)),
  };
}

/** Lookups over a snapshot, built once per call site. */
export class OrgIndex {
  readonly units = new Map<string, OrgUnit>();
  readonly people = new Map<string, OrgPerson>();
  readonly systems = new Map<string, OrgSystem>();
  readonly assignments = new Map<string, RoleAssignment>();

  constructor(readonly snapshot: OrgSnapshot) {
    for (const unit of snapshot.units) this.units.set(unit.id, unit);
    for (const person of snapshot.people) this.people.set(person.id, person);
    for (const system of snapshot.systems) this.systems.set(system.id, system);
    for (const assignment of snapshot.roleAssignments)
      this.assignments.set(assignment.id, assignment);
  }

  /** The unit and its ancestors, nearest first; stops at a cycle or an unknown parent. */
  chain(unitId: string): OrgUnit[] {
    const chain: OrgUnit[] = [];
    const seen = new Set<string>();
    let current = this.units.get(unitId);
    while (current !== undefined && !seen.has(current.id)) {
      seen.add(current.id);
      chain.push(current);
      current = current.parentId === null ? undefined : this.units.get(current.parentId);
    }
    return chain;
  }

  /** The nearest unit at `level` at or above `unitId` (the 課 of a 係), if any. */
  levelOf(unitId: string, level: UnitLevel): OrgUnit | undefined {
    return this.chain(unitId).find((unit) => unit.actsAs === level);
  }

  /** True when the unit or any ancestor is out of the policy's scope (pol-4.1). */
  isOutOfScope(unitId: string): boolean {
    return this.chain(unitId).some((unit) => unit.outOfScope);
  }

  /** True when `ancestorId` is `unitId` or one of its ancestors. */
  isWithin(unitId: string, ancestorId: string): boolean {
    return this.chain(unitId).some((unit) => unit.id === ancestorId);
  }

  /** The people whose primary or additional (兼務) unit is `unitId`. */
  membersOf(unitId: string): OrgPerson[] {
    return this.snapshot.people.filter(
      (p) => p.primaryUnitId === unitId || p.additionalUnitIds.includes(unitId),
    );
  }
}

/** The nearest section-level (課, 出先機関) unit at or above `unitId`, if any. */
export function sectionOfUnit(snapshot: OrgSnapshot, unitId: string): OrgUnit | undefined {
  return new OrgIndex(snapshot).levelOf(unitId, 'section');
}

/** The nearest department-level (部局, 行政委員会事務局) unit at or above `unitId`, if any. */
export function departmentOfUnit(snapshot: OrgSnapshot, unitId: string): OrgUnit | undefined {
  return new OrgIndex(snapshot).levelOf(unitId, 'department');
}

/** True when the unit or an ancestor is outside the policy's scope (pol-4.1). */
export function isUnitOutOfScope(snapshot: OrgSnapshot, unitId: string): boolean {
  return new OrgIndex(snapshot).isOutOfScope(unitId);
}

/** Two scopes are the same scope instance. */
export function sameScope(a: RoleScope, b: RoleScope): boolean {
  switch (a.kind) {
    case 'tenant':
      return b.kind === 'tenant';
    case 'unit':
      return b.kind === 'unit' && b.unitId === a.unitId;
    case 'system':
      return b.kind === 'system' && b.systemId === a.systemId;
    case 'external_service':
      return b.kind === 'external_service' && b.externalServiceId === a.externalServiceId;
  }
}

/** Two holders are the same person or unit. */
export function sameHolder(a: RoleHolder, b: RoleHolder): boolean {
  return a.kind === 'person'
    ? b.kind === 'person' && b.personId === a.personId
    : b.kind === 'unit' && b.unitId === a.unitId;
}

/** A stable text key of a scope (`unit:u1`), for maps and messages. */
export function scopeKey(scope: RoleScope): string {
  switch (scope.kind) {
    case 'tenant':
      return 'tenant';
    case 'unit':
      return `unit:${scope.unitId}`;
    case 'system':
      return `system:${scope.systemId}`;
    case 'external_service':
      return `external_service:${scope.externalServiceId}`;
  }
}

/** A stable text key of a holder (`person:p1`). */
export function holderKey(holder: RoleHolder): string {
  return holder.kind === 'person' ? `person:${holder.personId}` : `unit:${holder.unitId}`;
}
