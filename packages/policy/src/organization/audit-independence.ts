import { OrgIndex, type OrgSnapshot } from './snapshot.js';

/** An auditor who is also an auditee of an audit (std-2.9.2). */
export interface AuditorConflict {
  readonly personId: string;
  /** The audited unit the auditor belongs to or holds a role for. */
  readonly unitId: string;
  readonly reason: 'member_of_audited_unit' | 'holds_role_in_audited_unit';
  readonly clauses: readonly string[];
}

/**
 * The auditors of one audit who are not independent of the audited units
 * (std-2.9.2 監査を受ける者とその監査を実施する者の兼務禁止; std-10.1.2.1
 * 被監査部門から独立した者): a member (primary or 兼務) of an audited unit or
 * of a unit below it, or the holder of a role for such a unit (the 部長 of an
 * audited 部局). The audit module records a やむを得ない reason to override.
 */
export function auditorConflicts(
  snapshot: OrgSnapshot,
  auditorPersonIds: readonly string[],
  auditedUnitIds: readonly string[],
): AuditorConflict[] {
  const index = new OrgIndex(snapshot);
  const clauses = ['std-2.9.2', 'std-10.1.2.1'];
  const conflicts: AuditorConflict[] = [];
  const auditedAbove = (unitId: string) =>
    auditedUnitIds.find((audited) => index.isWithin(unitId, audited));
  for (const personId of auditorPersonIds) {
    const person = index.people.get(personId);
    if (person === undefined) continue;
    const found = new Set<string>();
    for (const unitId of [person.primaryUnitId, ...person.additionalUnitIds]) {
      if (unitId === null) continue;
      const audited = auditedAbove(unitId);
      if (audited !== undefined && !found.has(audited)) {
        found.add(audited);
        conflicts.push({ personId, unitId: audited, reason: 'member_of_audited_unit', clauses });
      }
    }
    for (const assignment of snapshot.roleAssignments) {
      const { holder, scope } = assignment;
      if (holder.kind !== 'person' || holder.personId !== personId || scope.kind !== 'unit')
        continue;
      const audited = auditedAbove(scope.unitId);
      if (audited !== undefined && !found.has(audited)) {
        found.add(audited);
        conflicts.push({
          personId,
          unitId: audited,
          reason: 'holds_role_in_audited_unit',
          clauses,
        });
      }
    }
  }
  return conflicts;
}
