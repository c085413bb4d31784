import type { PackUnitKind, UnitLevel } from '../pack/organization-schema.js';
import { UNIT_LEVELS } from '../pack/organization-schema.js';
import { OrgIndex, type OrgSnapshot } from './snapshot.js';

/** Codes of {@link validateOrgStructure}'s problems. */
export type OrgStructureProblemCode =
  | 'duplicate_id'
  | 'unknown_parent'
  | 'cycle'
  | 'unknown_kind'
  | 'acts_as_mismatch'
  | 'parent_kind_not_allowed'
  | 'out_of_scope_not_allowed'
  | 'level_above_parent'
  | 'unknown_unit_of_person'
  | 'unknown_unit_of_system'
  | 'unknown_scope'
  | 'unknown_holder';

/** One structural problem of a snapshot. */
export interface OrgStructureProblem {
  readonly code: OrgStructureProblemCode;
  readonly message: string;
  readonly unitId?: string;
  readonly personId?: string;
  readonly systemId?: string;
  readonly assignmentId?: string;
}

/** Rank of a level, 0 = department (highest). */
export function unitLevelRank(level: UnitLevel): number {
  return UNIT_LEVELS.indexOf(level);
}

/**
 * Checks that a snapshot is a well-formed organization: ids unique, parents
 * exist and form no cycle, people, systems and role assignments point at
 * existing units, people and systems, and a unit never acts at a higher level
 * than its parent (a 部局 under a 係). With the pack's unit kinds it also
 * checks each unit's kind exists, its `actsAs` matches the kind, its parent's
 * kind is allowed, and only kinds that may be out of scope are (pol-4.1).
 */
export function validateOrgStructure(
  snapshot: OrgSnapshot,
  unitKinds?: readonly PackUnitKind[],
): OrgStructureProblem[] {
  const problems: OrgStructureProblem[] = [];
  const index = new OrgIndex(snapshot);
  const seen = (
    ids: readonly string[],
    what: string,
    field: 'unitId' | 'personId' | 'systemId' | 'assignmentId',
  ) => {
    const found = new Set<string>();
    for (const id of ids) {
      if (found.has(id))
        problems.push({
          code: 'duplicate_id',
          message: `${what} "${id}" appears more than once`,
          [field]: id,
        });
      found.add(id);
    }
  };
  seen(
    snapshot.units.map((u) => u.id),
    'unit',
    'unitId',
  );
  seen(
    snapshot.people.map((p) => p.id),
    'person',
    'personId',
  );
  seen(
    snapshot.systems.map((s) => s.id),
    'system',
    'systemId',
  );
  seen(
    snapshot.roleAssignments.map((a) => a.id),
    'role assignment',
    'assignmentId',
  );

  const kinds = new Map((unitKinds ?? []).map((kind) => [kind.id, kind]));
  for (const unit of snapshot.units) {
    const parent = unit.parentId === null ? undefined : index.units.get(unit.parentId);
    if (unit.parentId !== null && parent === undefined) {
      problems.push({
        code: 'unknown_parent',
        message: `unit "${unit.id}" has an unknown parent "${unit.parentId}"`,
        unitId: unit.id,
      });
    }
    // A cycle: walking up from the parent comes back to the unit.
    if (unit.parentId !== null && index.chain(unit.parentId).some((u) => u.id === unit.id)) {
      problems.push({
        code: 'cycle',
        message: `unit "${unit.id}" is its own ancestor`,
        unitId: unit.id,
      });
    }
    if (parent !== undefined && unitLevelRank(unit.actsAs) < unitLevelRank(parent.actsAs)) {
      problems.push({
        code: 'level_above_parent',
        message: `unit "${unit.id}" acts as ${unit.actsAs} but sits under "${parent.id}", which acts as ${parent.actsAs}`,
        unitId: unit.id,
      });
    }
    if (unitKinds === undefined) continue;
    const kind = kinds.get(unit.kind);
    if (kind === undefined) {
      problems.push({
        code: 'unknown_kind',
        message: `unit "${unit.id}" has a kind "${unit.kind}" the pack does not define`,
        unitId: unit.id,
      });
      continue;
    }
    if (kind.acts_as !== unit.actsAs) {
      problems.push({
        code: 'acts_as_mismatch',
        message: `unit "${unit.id}" acts as ${unit.actsAs}, but kind "${kind.id}" acts as ${kind.acts_as}`,
        unitId: unit.id,
      });
    }
    // A parent of an unknown kind is reported on the parent itself.
    const allowed =
      parent !== undefined && !kinds.has(parent.kind)
        ? true
        : parent === undefined
          ? unit.parentId !== null || kind.allowed_parents.length === 0
          : kind.allowed_parents.includes(parent.kind);
    if (!allowed) {
      problems.push({
        code: 'parent_kind_not_allowed',
        message:
          parent === undefined
            ? `unit "${unit.id}" of kind "${kind.id}" cannot be a root unit`
            : `unit "${unit.id}" of kind "${kind.id}" cannot sit under "${parent.id}" of kind "${parent.kind}"`,
        unitId: unit.id,
      });
    }
    if (unit.outOfScope && !kind.may_be_out_of_scope) {
      problems.push({
        code: 'out_of_scope_not_allowed',
        message: `unit "${unit.id}" of kind "${kind.id}" is within the policy's scope (pol-4.1)`,
        unitId: unit.id,
      });
    }
  }
  for (const person of snapshot.people) {
    for (const unitId of [person.primaryUnitId, ...person.additionalUnitIds]) {
      if (unitId !== null && !index.units.has(unitId)) {
        problems.push({
          code: 'unknown_unit_of_person',
          message: `person "${person.id}" belongs to an unknown unit "${unitId}"`,
          personId: person.id,
          unitId,
        });
      }
    }
  }
  for (const system of snapshot.systems) {
    if (!index.units.has(system.owningUnitId)) {
      problems.push({
        code: 'unknown_unit_of_system',
        message: `system "${system.id}" is owned by an unknown unit "${system.owningUnitId}"`,
        systemId: system.id,
        unitId: system.owningUnitId,
      });
    }
  }
  for (const assignment of snapshot.roleAssignments) {
    const { scope, holder } = assignment;
    const scopeKnown =
      scope.kind === 'unit'
        ? index.units.has(scope.unitId)
        : scope.kind === 'system'
          ? index.systems.has(scope.systemId)
          : true;
    if (!scopeKnown) {
      problems.push({
        code: 'unknown_scope',
        message: `role assignment "${assignment.id}" (${assignment.role}) is for an unknown ${scope.kind}`,
        assignmentId: assignment.id,
      });
    }
    const holderKnown =
      holder.kind === 'person' ? index.people.has(holder.personId) : index.units.has(holder.unitId);
    if (!holderKnown) {
      problems.push({
        code: 'unknown_holder',
        message: `role assignment "${assignment.id}" (${assignment.role}) is held by an unknown ${holder.kind}`,
        assignmentId: assignment.id,
      });
    }
  }
  return problems;
}
