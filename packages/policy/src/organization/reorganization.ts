import type { IsoDate } from '../calendar/iso-date.js';
import type { PackUnitKind, UnitLevel } from '../pack/organization-schema.js';
import type { RoleId } from '../pack/roles-schema.js';
import {
  OrgIndex,
  type OrgPerson,
  type OrgSnapshot,
  type OrgSystem,
  type OrgUnit,
  type RoleAssignment,
  type RoleHolder,
  type RoleScope,
} from './snapshot.js';
import { unitLevelRank, validateOrgStructure, type OrgStructureProblemCode } from './structure.js';

/** A unit a reorganization creates. */
export interface NewOrgUnit {
  readonly id: string;
  readonly kind: string;
  readonly actsAs: UnitLevel;
  readonly name: string;
  readonly parentId: string | null;
  readonly outOfScope?: boolean;
}

/** One part of a split: the new unit and who (and which systems) go to it. */
export interface SplitPart {
  readonly unit: NewOrgUnit;
  readonly personIds: readonly string[];
  readonly systemIds?: readonly string[];
}

/**
 * One step of a 組織改正, applied in order:
 * - `rename`: a unit's name;
 * - `move`: a unit (with its subtree) under another parent (null = root);
 * - `merge`: the `unitIds` into `targetUnitId`: their sub-units, people,
 *   systems and role assignments re-homed to the target, the sources abolished;
 * - `split`: a unit into new units with member lists; the source is abolished;
 * - `create`: a new unit;
 * - `abolish`: a unit, which must be empty (no sub-units, people or systems).
 */
export type ReorgOperation =
  | { readonly op: 'rename'; readonly unitId: string; readonly name: string }
  | { readonly op: 'move'; readonly unitId: string; readonly parentId: string | null }
  | { readonly op: 'merge'; readonly unitIds: readonly string[]; readonly targetUnitId: string }
  | { readonly op: 'split'; readonly unitId: string; readonly parts: readonly SplitPart[] }
  | { readonly op: 'create'; readonly unit: NewOrgUnit }
  | { readonly op: 'abolish'; readonly unitId: string };

/** Why a role assignment ends in a reorganization. */
export type AssignmentEndReason = 'unit_abolished' | 'target_already_held';

/** One consequence of a reorganization, for the preview and for persisting it. */
export type ReorgChange =
  | { readonly kind: 'unit_created'; readonly unitId: string; readonly opIndex: number }
  | {
      readonly kind: 'unit_renamed';
      readonly unitId: string;
      readonly from: string;
      readonly to: string;
      readonly opIndex: number;
    }
  | {
      readonly kind: 'unit_moved';
      readonly unitId: string;
      readonly fromParentId: string | null;
      readonly toParentId: string | null;
      readonly opIndex: number;
    }
  | {
      readonly kind: 'unit_abolished';
      readonly unitId: string;
      /** The unit it was merged into, for a merge. */
      readonly mergedInto: string | null;
      readonly opIndex: number;
    }
  | {
      readonly kind: 'person_moved';
      readonly personId: string;
      /** true: the primary unit; false: a 兼務 unit. */
      readonly primary: boolean;
      readonly fromUnitId: string;
      readonly toUnitId: string | null;
      readonly opIndex: number;
    }
  | {
      readonly kind: 'system_moved';
      readonly systemId: string;
      readonly fromUnitId: string;
      readonly toUnitId: string;
      readonly opIndex: number;
    }
  | {
      readonly kind: 'assignment_ended';
      readonly assignmentId: string;
      readonly role: RoleId;
      readonly reason: AssignmentEndReason;
      readonly opIndex: number;
    }
  | {
      readonly kind: 'assignment_rehomed';
      readonly assignmentId: string;
      readonly role: RoleId;
      readonly fromScope: RoleScope;
      readonly toScope: RoleScope;
      readonly fromHolder: RoleHolder;
      readonly toHolder: RoleHolder;
      readonly opIndex: number;
    };

/** Codes of a reorganization's problems (its own, and the resulting structure's). */
export type ReorgProblemCode =
  | 'unknown_unit'
  | 'unit_exists'
  | 'cycle'
  | 'merge_into_itself'
  | 'merge_into_lower_level'
  | 'unit_not_empty'
  | 'unknown_person'
  | 'person_not_in_unit'
  | 'person_listed_twice'
  | 'unknown_system'
  | 'system_not_in_unit'
  | 'person_without_unit'
  | 'system_without_unit'
  | OrgStructureProblemCode;

/** A problem of a reorganization plan; `opIndex` null for the resulting structure. */
export interface ReorgProblem {
  readonly code: ReorgProblemCode;
  readonly opIndex: number | null;
  readonly message: string;
  readonly unitId?: string;
  readonly personId?: string;
  readonly systemId?: string;
}

/** What {@link previewReorganization} returns. */
export interface ReorgPreview {
  /** The organization as of the effective date, after the plan. */
  readonly snapshot: OrgSnapshot;
  readonly changes: readonly ReorgChange[];
  /** Empty when the plan can be applied. */
  readonly problems: readonly ReorgProblem[];
}

/**
 * Applies a 組織改正 plan to a snapshot, in memory: returns the organization
 * as of `effectiveDate`, every change (units created, renamed, moved and
 * abolished; people and systems re-homed; role assignments ended or re-homed)
 * and every problem (unknown units, cycles, merging a 部局 into a 係, people
 * left without a unit, non-empty units abolished, and the structural checks of
 * {@link validateOrgStructure} on the result, with the pack's unit kinds when
 * given). An operation with a problem is skipped; the rest still apply, so the
 * preview shows everything at once. Re-homed assignments keep their id with
 * `validFrom` = `effectiveDate`; the server ends the old row and inserts the
 * new one.
 */
export function previewReorganization(
  snapshot: OrgSnapshot,
  operations: readonly ReorgOperation[],
  effectiveDate: IsoDate,
  unitKinds?: readonly PackUnitKind[],
): ReorgPreview {
  const units = new Map<string, OrgUnit>(snapshot.units.map((u) => [u.id, u]));
  const people = new Map<string, OrgPerson>(snapshot.people.map((p) => [p.id, p]));
  const systems = new Map<string, OrgSystem>(snapshot.systems.map((s) => [s.id, s]));
  const assignments = new Map<string, RoleAssignment>(
    snapshot.roleAssignments.map((a) => [a.id, a]),
  );
  const changes: ReorgChange[] = [];
  const problems: ReorgProblem[] = [];

  const current = (): OrgIndex =>
    new OrgIndex({
      ...snapshot,
      units: [...units.values()],
      people: [...people.values()],
      systems: [...systems.values()],
      roleAssignments: [...assignments.values()],
    });
  const requireUnit = (opIndex: number, unitId: string): OrgUnit | undefined => {
    const unit = units.get(unitId);
    if (unit === undefined)
      problems.push({
        code: 'unknown_unit',
        opIndex,
        message: `unit "${unitId}" does not exist`,
        unitId,
      });
    return unit;
  };
  const createUnit = (opIndex: number, unit: NewOrgUnit): boolean => {
    if (units.has(unit.id)) {
      problems.push({
        code: 'unit_exists',
        opIndex,
        message: `unit "${unit.id}" already exists`,
        unitId: unit.id,
      });
      return false;
    }
    if (unit.parentId !== null && requireUnit(opIndex, unit.parentId) === undefined) return false;
    units.set(unit.id, { ...unit, outOfScope: unit.outOfScope ?? false });
    changes.push({ kind: 'unit_created', unitId: unit.id, opIndex });
    return true;
  };
  const movePerson = (opIndex: number, person: OrgPerson, from: string, to: string | null) => {
    let next = person;
    if (person.primaryUnitId === from) {
      next = { ...next, primaryUnitId: to };
      changes.push({
        kind: 'person_moved',
        personId: person.id,
        primary: true,
        fromUnitId: from,
        toUnitId: to,
        opIndex,
      });
    }
    if (person.additionalUnitIds.includes(from)) {
      const rest = person.additionalUnitIds.filter((id) => id !== from);
      const additional =
        to === null || rest.includes(to) || next.primaryUnitId === to ? rest : [...rest, to];
      next = { ...next, additionalUnitIds: additional };
      changes.push({
        kind: 'person_moved',
        personId: person.id,
        primary: false,
        fromUnitId: from,
        toUnitId: to,
        opIndex,
      });
    }
    people.set(person.id, next);
  };
  const endAssignment = (
    opIndex: number,
    assignment: RoleAssignment,
    reason: AssignmentEndReason,
  ) => {
    assignments.delete(assignment.id);
    changes.push({
      kind: 'assignment_ended',
      assignmentId: assignment.id,
      role: assignment.role,
      reason,
      opIndex,
    });
  };
  /** Abolishes a unit whose people, systems and sub-units were already handled. */
  const abolish = (opIndex: number, unitId: string, mergedInto: string | null) => {
    const children = [...units.values()].filter((u) => u.parentId === unitId);
    if (children.length > 0) {
      problems.push({
        code: 'unit_not_empty',
        opIndex,
        message: `unit "${unitId}" still has sub-units (${children.map((c) => c.id).join(', ')})`,
        unitId,
      });
    }
    for (const person of [...people.values()]) {
      if (person.primaryUnitId === unitId && person.status !== 'left') {
        problems.push({
          code: 'person_without_unit',
          opIndex,
          message: `person "${person.id}" would be left without a unit`,
          personId: person.id,
          unitId,
        });
      }
      if (person.primaryUnitId === unitId || person.additionalUnitIds.includes(unitId))
        movePerson(opIndex, person, unitId, null);
    }
    for (const system of systems.values()) {
      if (system.owningUnitId === unitId) {
        problems.push({
          code: 'system_without_unit',
          opIndex,
          message: `system "${system.id}" would be left without an owning unit`,
          systemId: system.id,
          unitId,
        });
      }
    }
    for (const assignment of [...assignments.values()]) {
      const { scope, holder } = assignment;
      if (
        (scope.kind === 'unit' && scope.unitId === unitId) ||
        (holder.kind === 'unit' && holder.unitId === unitId)
      )
        endAssignment(opIndex, assignment, 'unit_abolished');
    }
    units.delete(unitId);
    changes.push({ kind: 'unit_abolished', unitId, mergedInto, opIndex });
  };

  operations.forEach((operation, opIndex) => {
    switch (operation.op) {
      case 'rename': {
        const unit = requireUnit(opIndex, operation.unitId);
        if (unit === undefined || unit.name === operation.name) return;
        units.set(unit.id, { ...unit, name: operation.name });
        changes.push({
          kind: 'unit_renamed',
          unitId: unit.id,
          from: unit.name,
          to: operation.name,
          opIndex,
        });
        return;
      }
      case 'move': {
        const unit = requireUnit(opIndex, operation.unitId);
        if (unit === undefined) return;
        if (operation.parentId !== null) {
          if (requireUnit(opIndex, operation.parentId) === undefined) return;
          if (current().isWithin(operation.parentId, unit.id)) {
            problems.push({
              code: 'cycle',
              opIndex,
              message: `unit "${unit.id}" cannot move under "${operation.parentId}", which is within it`,
              unitId: unit.id,
            });
            return;
          }
        }
        if (unit.parentId === operation.parentId) return;
        units.set(unit.id, { ...unit, parentId: operation.parentId });
        changes.push({
          kind: 'unit_moved',
          unitId: unit.id,
          fromParentId: unit.parentId,
          toParentId: operation.parentId,
          opIndex,
        });
        return;
      }
      case 'create':
        createUnit(opIndex, operation.unit);
        return;
      case 'abolish': {
        if (requireUnit(opIndex, operation.unitId) === undefined) return;
        abolish(opIndex, operation.unitId, null);
        return;
      }
      case 'merge': {
        const target = requireUnit(opIndex, operation.targetUnitId);
        if (target === undefined) return;
        for (const sourceId of operation.unitIds) {
          const source = requireUnit(opIndex, sourceId);
          if (source === undefined) continue;
          if (source.id === target.id) {
            problems.push({
              code: 'merge_into_itself',
              opIndex,
              message: `unit "${source.id}" cannot merge into itself`,
              unitId: source.id,
            });
            continue;
          }
          if (unitLevelRank(source.actsAs) < unitLevelRank(target.actsAs)) {
            problems.push({
              code: 'merge_into_lower_level',
              opIndex,
              message: `unit "${source.id}" acts as ${source.actsAs} and cannot merge into "${target.id}", which acts as ${target.actsAs}`,
              unitId: source.id,
            });
            continue;
          }
          if (current().isWithin(target.id, source.id)) {
            problems.push({
              code: 'cycle',
              opIndex,
              message: `unit "${source.id}" cannot merge into "${target.id}", which is within it`,
              unitId: source.id,
            });
            continue;
          }
          for (const child of [...units.values()]) {
            if (child.parentId !== source.id) continue;
            units.set(child.id, { ...child, parentId: target.id });
            changes.push({
              kind: 'unit_moved',
              unitId: child.id,
              fromParentId: source.id,
              toParentId: target.id,
              opIndex,
            });
          }
          for (const person of [...people.values()])
            movePerson(opIndex, person, source.id, target.id);
          for (const system of [...systems.values()]) {
            if (system.owningUnitId !== source.id) continue;
            systems.set(system.id, { ...system, owningUnitId: target.id });
            changes.push({
              kind: 'system_moved',
              systemId: system.id,
              fromUnitId: source.id,
              toUnitId: target.id,
              opIndex,
            });
          }
          for (const assignment of [...assignments.values()]) {
            const { scope, holder } = assignment;
            const scopeHit = scope.kind === 'unit' && scope.unitId === source.id;
            const holderHit = holder.kind === 'unit' && holder.unitId === source.id;
            if (!scopeHit && !holderHit) continue;
            const toScope: RoleScope = scopeHit ? { kind: 'unit', unitId: target.id } : scope;
            const toHolder: RoleHolder = holderHit ? { kind: 'unit', unitId: target.id } : holder;
            // The target's own holder stays (one 課長 per 課); the source's ends.
            const targetHeld = [...assignments.values()].some(
              (other) =>
                other.id !== assignment.id &&
                other.role === assignment.role &&
                (scopeHit
                  ? other.scope.kind === 'unit' && other.scope.unitId === target.id
                  : other.holder.kind === 'unit' && other.holder.unitId === target.id),
            );
            if (targetHeld) {
              endAssignment(opIndex, assignment, 'target_already_held');
              continue;
            }
            assignments.set(assignment.id, {
              ...assignment,
              scope: toScope,
              holder: toHolder,
              validFrom: effectiveDate,
            });
            changes.push({
              kind: 'assignment_rehomed',
              assignmentId: assignment.id,
              role: assignment.role,
              fromScope: scope,
              toScope,
              fromHolder: holder,
              toHolder,
              opIndex,
            });
          }
          abolish(opIndex, source.id, target.id);
        }
        return;
      }
      case 'split': {
        const source = requireUnit(opIndex, operation.unitId);
        if (source === undefined) return;
        const listed = new Set<string>();
        const listedSystems = new Set<string>();
        for (const part of operation.parts) {
          if (!createUnit(opIndex, part.unit)) continue;
          for (const personId of part.personIds) {
            const person = people.get(personId);
            if (person === undefined) {
              problems.push({
                code: 'unknown_person',
                opIndex,
                message: `person "${personId}" does not exist`,
                personId,
              });
              continue;
            }
            if (listed.has(personId)) {
              problems.push({
                code: 'person_listed_twice',
                opIndex,
                message: `person "${personId}" is listed in more than one part`,
                personId,
              });
              continue;
            }
            if (
              person.primaryUnitId !== source.id &&
              !person.additionalUnitIds.includes(source.id)
            ) {
              problems.push({
                code: 'person_not_in_unit',
                opIndex,
                message: `person "${personId}" does not belong to "${source.id}"`,
                personId,
                unitId: source.id,
              });
              continue;
            }
            listed.add(personId);
            movePerson(opIndex, person, source.id, part.unit.id);
          }
          for (const systemId of part.systemIds ?? []) {
            const system = systems.get(systemId);
            if (system === undefined) {
              problems.push({
                code: 'unknown_system',
                opIndex,
                message: `system "${systemId}" does not exist`,
                systemId,
              });
              continue;
            }
            if (system.owningUnitId !== source.id || listedSystems.has(systemId)) {
              problems.push({
                code: 'system_not_in_unit',
                opIndex,
                message: `system "${systemId}" is not owned by "${source.id}" (or is listed twice)`,
                systemId,
                unitId: source.id,
              });
              continue;
            }
            listedSystems.add(systemId);
            systems.set(systemId, { ...system, owningUnitId: part.unit.id });
            changes.push({
              kind: 'system_moved',
              systemId,
              fromUnitId: source.id,
              toUnitId: part.unit.id,
              opIndex,
            });
          }
        }
        abolish(opIndex, source.id, null);
        return;
      }
    }
  });

  const roleAssignments = [...assignments.values()];
  const kept = new Set(roleAssignments.map((a) => a.id));
  const result: OrgSnapshot = {
    asOf: effectiveDate,
    units: [...units.values()],
    people: [...people.values()],
    systems: [...systems.values()],
    roleAssignments,
    delegations: snapshot.delegations.filter((d) => kept.has(d.assignmentId)),
  };
  for (const problem of validateOrgStructure(result, unitKinds)) {
    problems.push({ ...problem, opIndex: null });
  }
  return { snapshot: result, changes, problems };
}
