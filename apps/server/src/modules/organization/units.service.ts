import type {
  AbolishUnitInput,
  ChangeUnitInput,
  CreateUnitInput,
  Unit,
  UnitPage,
  UnitScopeInput,
  UnitTree,
} from '@mamori/contracts';
import { OrgIndex, buildOrgSnapshot, type OrgSnapshot } from '@mamori/policy';
import { PG, pgErrorOf } from '../../platform/db/pg-error.js';
import type { TenantTx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/oplog/oplog.service.js';
import { recordOrganizationEvent } from './organization.events.js';
import { organizationAbilities, unitAbilities, type CallerReach } from './organization.policy.js';
import { findPeople, membershipsAsOf } from './people.repository.js';
import { presentAssignments } from './roles.service.js';
import { endAssignment, listAssignments } from './roles.repository.js';
import { actsAsOf, loadOrgRows, type OrgPack } from './snapshot.service.js';
import {
  correctUnitVersion,
  countChildrenAsOf,
  endUnit,
  endUnitVersion,
  findUnit,
  insertUnit,
  insertUnitVersion,
  listUnitVersions,
  listUnitsAsOf,
  type UnitVersionRow,
} from './units.repository.js';

function structureError(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('org_structure_invalid', message, details);
}

/** Presents a unit version as of a date. */
export function presentUnit(
  row: UnitVersionRow,
  pack: Pick<OrgPack, 'organization'>,
  reach: CallerReach,
): Unit {
  return {
    id: row.unitId,
    kind: row.kind,
    actsAs: actsAsOf(pack, row.kind),
    code: row.code,
    name: row.name,
    nameKana: row.nameKana,
    parentId: row.parentId,
    sortOrder: row.sortOrder,
    outOfScopeReason: row.outOfScopeReason,
    validFrom: row.validFrom,
    validTo: row.validTo,
    establishedOn: row.establishedOn,
    abolishedOn: row.abolishedOn,
    abilities: unitAbilities(reach, { abolished: row.abolishedOn !== null }),
  };
}

/** The unit tree as of a date (everyone: the staff directory). */
export async function unitTree(
  tx: TenantTx,
  pack: OrgPack,
  reach: CallerReach,
  asOf: string,
): Promise<UnitTree> {
  const rows = await listUnitsAsOf(tx, asOf);
  return {
    asOf,
    units: rows.map((row) => presentUnit(row, pack, reach)),
    abilities: organizationAbilities(reach),
  };
}

function versionOn(versions: readonly UnitVersionRow[], date: string): UnitVersionRow | undefined {
  return versions.find((v) => v.validFrom <= date && (v.validTo === null || date < v.validTo));
}

async function snapshotOn(tx: TenantTx, pack: OrgPack, date: string): Promise<OrgSnapshot> {
  return buildOrgSnapshot(await loadOrgRows(tx, date, pack), date);
}

/**
 * Checks that a unit of `kind` may sit under `parentId` on `date`: the pack's
 * allowed parents (a 課 under a 部局, a 係 under a 課), the parent in force
 * then, and no cycle when moving `unitId`.
 */
async function checkPlacement(
  tx: TenantTx,
  pack: OrgPack,
  kind: string,
  parentId: string | null,
  date: string,
  unitId?: string,
): Promise<void> {
  const kindDef = pack.organization.unit_kinds.find((k) => k.id === kind);
  if (!kindDef) throw structureError(`The pack has no unit kind "${kind}".`, { kind });
  if (parentId === null) {
    if (kindDef.allowed_parents.length > 0) {
      throw structureError(`A unit of kind "${kind}" needs a parent.`, {
        kind,
        allowedParents: kindDef.allowed_parents,
      });
    }
    return;
  }
  const snapshot = await snapshotOn(tx, pack, date);
  const index = new OrgIndex(snapshot);
  const parent = index.units.get(parentId);
  if (!parent) throw structureError('The parent unit is not in force on that date.', { parentId });
  if (!kindDef.allowed_parents.includes(parent.kind)) {
    throw structureError(`A unit of kind "${kind}" cannot sit under a "${parent.kind}".`, {
      kind,
      parentKind: parent.kind,
      allowedParents: kindDef.allowed_parents,
    });
  }
  if (unitId !== undefined && index.isWithin(parentId, unitId)) {
    throw structureError('A unit cannot move under itself or its own sub-unit.', { parentId });
  }
}

/** Creates a unit (kind from the pack, allowed under the parent's kind) from `validFrom`. */
export async function createUnit(
  tx: TenantTx,
  actor: Actor,
  pack: OrgPack,
  input: CreateUnitInput,
): Promise<string> {
  await checkPlacement(tx, pack, input.kind, input.parentId, input.validFrom);
  let created: { unitId: string };
  try {
    created = await insertUnit(tx, {
      kind: input.kind,
      code: input.code ?? null,
      name: input.name,
      nameKana: input.nameKana ?? null,
      parentId: input.parentId,
      sortOrder: input.sortOrder ?? 0,
      validFrom: input.validFrom,
    });
  } catch (err) {
    if (pgErrorOf(err)?.code === PG.uniqueViolation) {
      throw new AppError('conflict', 'Another unit has this code.', { code: input.code });
    }
    throw err;
  }
  await recordOrganizationEvent(tx, actor, {
    action: 'organization.unit_created',
    subject: { type: 'org_unit', id: created.unitId },
    payload: {
      kind: input.kind,
      code: input.code ?? null,
      name: input.name,
      parentId: input.parentId,
      validFrom: input.validFrom,
    },
  });
  return created.unitId;
}

/**
 * Starts a new version of a unit from `date` (ending the one in force, which
 * is kept): the tree is effective-dated, nothing is overwritten. A version
 * that itself starts on `date` is corrected in place (a same-day fix; the log
 * keeps the old values). A later version already scheduled stays in place.
 */
async function startVersion(
  tx: TenantTx,
  current: UnitVersionRow,
  date: string,
  next: {
    name: string;
    nameKana: string | null;
    parentId: string | null;
    sortOrder: number;
    outOfScopeReason: string | null;
  },
): Promise<'new_version' | 'corrected'> {
  if (current.validFrom === date) {
    await correctUnitVersion(tx, current.versionId, next);
    return 'corrected';
  }
  await endUnitVersion(tx, current.versionId, date);
  await insertUnitVersion(tx, {
    unitId: current.unitId,
    ...next,
    validFrom: date,
    validTo: current.validTo,
  });
  return 'new_version';
}

async function currentVersion(tx: TenantTx, unitId: string, date: string): Promise<UnitVersionRow> {
  const unit = await findUnit(tx, unitId);
  if (!unit) throw notFound('unit');
  const version = versionOn(await listUnitVersions(tx, unitId), date);
  if (!version || (unit.validTo !== null && unit.validTo <= date)) {
    throw structureError('The unit is not in force on that date.', { unitId, date });
  }
  return version;
}

/** Renames and/or moves a unit from `effectiveDate` (組織改正 of one unit). */
export async function changeUnit(
  tx: TenantTx,
  actor: Actor,
  pack: OrgPack,
  unitId: string,
  input: ChangeUnitInput,
): Promise<void> {
  const current = await currentVersion(tx, unitId, input.effectiveDate);
  const next = {
    name: input.name ?? current.name,
    nameKana: input.nameKana === undefined ? current.nameKana : input.nameKana,
    parentId: input.parentId === undefined ? current.parentId : input.parentId,
    sortOrder: input.sortOrder ?? current.sortOrder,
    outOfScopeReason: current.outOfScopeReason,
  };
  if (next.parentId !== current.parentId) {
    await checkPlacement(tx, pack, current.kind, next.parentId, input.effectiveDate, unitId);
  }
  const mode = await startVersion(tx, current, input.effectiveDate, next);
  const view = (v: typeof next) => ({
    name: v.name,
    nameKana: v.nameKana,
    parentId: v.parentId,
    sortOrder: v.sortOrder,
  });
  await recordOrganizationEvent(tx, actor, {
    action: 'organization.unit_changed',
    subject: { type: 'org_unit', id: unitId },
    payload: {
      effectiveDate: input.effectiveDate,
      mode,
      before: view(current),
      after: view(next),
    },
  });
}

/** pol-4.1: marks a unit out of the policy's scope (学校, 病院) with a reason, or back in scope. */
export async function setUnitScope(
  tx: TenantTx,
  actor: Actor,
  pack: OrgPack,
  unitId: string,
  input: UnitScopeInput,
): Promise<void> {
  const current = await currentVersion(tx, unitId, input.effectiveDate);
  const kind = pack.organization.unit_kinds.find((k) => k.id === current.kind);
  if (input.outOfScopeReason !== null && kind?.may_be_out_of_scope !== true) {
    throw structureError(
      `Units of kind "${current.kind}" are within the policy's scope (pol-4.1).`,
      { kind: current.kind },
    );
  }
  const mode = await startVersion(tx, current, input.effectiveDate, {
    name: current.name,
    nameKana: current.nameKana,
    parentId: current.parentId,
    sortOrder: current.sortOrder,
    outOfScopeReason: input.outOfScopeReason,
  });
  await recordOrganizationEvent(tx, actor, {
    action: 'organization.unit_scope_changed',
    subject: { type: 'org_unit', id: unitId },
    payload: {
      effectiveDate: input.effectiveDate,
      outOfScopeReason: input.outOfScopeReason,
      mode,
    },
  });
}

/**
 * Abolishes a unit from `effectiveDate` (valid_to). Refused while sub-units or
 * members remain on that date (re-home them first, or use a 組織改正). Role
 * assignments held by or scoped to the unit end on the same date.
 */
export async function abolishUnit(
  tx: TenantTx,
  actor: Actor,
  unitId: string,
  input: AbolishUnitInput,
): Promise<void> {
  const current = await currentVersion(tx, unitId, input.effectiveDate);
  if (current.establishedOn >= input.effectiveDate) {
    throw structureError('A unit cannot be abolished before or on the day it starts.', {
      establishedOn: current.establishedOn,
    });
  }
  const children = await countChildrenAsOf(tx, unitId, input.effectiveDate);
  const members = await membershipsAsOf(tx, input.effectiveDate, [unitId]);
  if (children > 0 || members.length > 0) {
    throw new AppError('conflict', 'The unit still has sub-units or members on that date.', {
      children,
      members: members.length,
    });
  }
  const assignments = await listAssignments(tx, { unitId, asOf: input.effectiveDate });
  for (const a of assignments) {
    if (a.validFrom >= input.effectiveDate) continue;
    await endAssignment(tx, a.id, {
      validTo: input.effectiveDate,
      endedBy: actor.type === 'account' ? actor.id : null,
      endReason: `unit_abolished: ${input.reason}`,
    });
  }
  await endUnit(tx, unitId, input.effectiveDate);
  await recordOrganizationEvent(tx, actor, {
    action: 'organization.unit_abolished',
    subject: { type: 'org_unit', id: unitId },
    payload: { effectiveDate: input.effectiveDate, reason: input.reason },
  });
}

/** The unit page: the unit as of a date, its path, children, history, members and role holders. */
export async function unitPage(
  tx: TenantTx,
  pack: OrgPack,
  reach: CallerReach,
  unitId: string,
  asOf: string,
): Promise<UnitPage> {
  const unit = await findUnit(tx, unitId);
  if (!unit) throw notFound('unit');
  const versions = await listUnitVersions(tx, unitId);
  // A unit not in force on `asOf` is shown as of its last (or first) version.
  const shown =
    versionOn(versions, asOf) ??
    (asOf < unit.validFrom ? versions[0] : versions[versions.length - 1]);
  if (!shown) throw notFound('unit');
  const tree = await listUnitsAsOf(tx, asOf);
  const byId = new Map(tree.map((u) => [u.unitId, u]));
  const path: { id: string; name: string }[] = [];
  const seen = new Set<string>();
  for (let p = shown.parentId; p !== null && !seen.has(p);) {
    seen.add(p);
    const parent = byId.get(p);
    if (!parent) break;
    path.unshift({ id: parent.unitId, name: parent.name });
    p = parent.parentId;
  }
  const names = new Map(versions.map((v) => [v.unitId, v.name]));
  for (const u of tree) names.set(u.unitId, u.name);
  const memberships = await membershipsAsOf(tx, asOf, [unitId]);
  const people = new Map(
    (
      await findPeople(
        tx,
        memberships.map((m) => m.personId),
      )
    ).map((p) => [p.id, p]),
  );
  const members = memberships
    .flatMap((m) => {
      const p = people.get(m.personId);
      if (!p) return [];
      return [
        {
          membershipId: m.id,
          personId: p.id,
          displayName: `${p.familyName} ${p.givenName}`,
          displayNameKana: `${p.familyNameKana} ${p.givenNameKana}`,
          employment: p.employment,
          kind: m.kind as 'primary' | 'additional',
          positionTitle: m.positionTitle,
          validFrom: m.validFrom,
          validTo: m.validTo,
          sortKey: p.sortKey,
        },
      ];
    })
    .sort((a, b) =>
      a.kind === b.kind ? a.sortKey.localeCompare(b.sortKey) : a.kind === 'primary' ? -1 : 1,
    )
    .map(({ sortKey: _sortKey, ...rest }) => rest);
  const assignments = await listAssignments(tx, { unitId, asOf });
  return {
    asOf,
    unit: presentUnit(shown, pack, reach),
    path,
    children: tree.filter((u) => u.parentId === unitId).map((u) => presentUnit(u, pack, reach)),
    history: versions.map((v) => ({
      id: v.versionId,
      name: v.name,
      nameKana: v.nameKana,
      parentId: v.parentId,
      parentName: v.parentId === null ? null : (names.get(v.parentId) ?? null),
      outOfScopeReason: v.outOfScopeReason,
      validFrom: v.validFrom,
      validTo: v.validTo,
    })),
    members,
    roleHolders: await presentAssignments(tx, pack, reach, assignments),
  };
}
