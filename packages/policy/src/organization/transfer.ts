import { OrgIndex, type OrgSnapshot, type RoleAssignment } from './snapshot.js';

/** Why a transfer ends an assignment. */
export type TransferEndReason = 'scope_unit_left' | 'system_section_left';

/** A role assignment a transfer ends. */
export interface EndedByTransfer {
  readonly assignment: RoleAssignment;
  readonly reason: TransferEndReason;
}

/** The units a person belongs to with all their ancestors. */
function placement(index: OrgIndex, unitIds: readonly (string | null)[]): Set<string> {
  const result = new Set<string>();
  for (const unitId of unitIds) {
    if (unitId === null) continue;
    for (const unit of index.chain(unitId)) result.add(unit.id);
  }
  return result;
}

/**
 * The person's role assignments that a transfer of their primary unit to
 * `newPrimaryUnitId` (null: leaves every unit) no longer fits, so the transfer
 * ends them: a role for a unit that is above or at the old primary unit but
 * not the new one (the security_manager of the old 課; a move between 課 of
 * the same 部局 keeps the security_officer of the 部局), and a role for a
 * system whose owning 課 is left. Units the person still belongs to as 兼務
 * (additional units) keep their roles. Tenant-wide roles and roles held by a
 * unit are not affected.
 */
export function rolesEndedByTransfer(
  snapshot: OrgSnapshot,
  personId: string,
  newPrimaryUnitId: string | null,
): EndedByTransfer[] {
  const index = new OrgIndex(snapshot);
  const person = index.people.get(personId);
  if (person === undefined) return [];
  const before = placement(index, [person.primaryUnitId]);
  const after = placement(index, [newPrimaryUnitId, ...person.additionalUnitIds]);
  const left = (unitId: string) => before.has(unitId) && !after.has(unitId);
  const ended: EndedByTransfer[] = [];
  for (const assignment of snapshot.roleAssignments) {
    const { holder, scope } = assignment;
    if (holder.kind !== 'person' || holder.personId !== personId) continue;
    if (scope.kind === 'unit' && left(scope.unitId)) {
      ended.push({ assignment, reason: 'scope_unit_left' });
    } else if (scope.kind === 'system') {
      const system = index.systems.get(scope.systemId);
      if (system === undefined) continue;
      const anchor = index.levelOf(system.owningUnitId, 'section')?.id ?? system.owningUnitId;
      if (left(anchor)) ended.push({ assignment, reason: 'system_section_left' });
    }
  }
  return ended;
}
