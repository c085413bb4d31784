import type {
  CreateReorganizationInput,
  Reorganization,
  ReorganizationPreview,
} from '@mamori/contracts';
import {
  createReorganizationSchema,
  newReorgUnitSchema,
  reorgOperationSchema,
} from '@mamori/contracts';
import {
  previewReorganization,
  type NewOrgUnit,
  type OrgSnapshot,
  type PackUnitKind,
  type PolicyPack,
  type ReorgOperation,
  type ReorgPreview,
} from '@mamori/policy';
import { z } from 'zod';
import type { TenantTx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { payloadDigest } from '../../platform/oplog/canonical.js';
import { recordOperation, type Actor } from '../../platform/oplog/oplog.service.js';
import { endMembership, insertMembership } from './people.repository.js';
import { endAssignments } from './personnel-events.repository.js';
import { organizationSnapshot } from './snapshot.service.js';
import {
  closeDraft,
  findAssignment,
  findReorganization,
  insertRehomedAssignment,
  insertReorganization,
  insertUnitIdentity,
  listReorganizations,
  membershipsOn,
  setSystemOwner,
  type ReorganizationRow,
} from './reorganization-plans.repository.js';
import {
  correctUnitVersion,
  endUnit,
  endUnitVersion,
  insertUnitVersion,
  listUnitsAsOf,
} from './units.repository.js';

/*
 * 組織改正 (reorganization): a draft plan of operations, a preview computed by
 * the pure previewReorganization (resulting tree, who moves where, which roles
 * end or re-home, problems), and an apply for the effective date in ONE
 * transaction with ONE operation-log entry (digest of its operations). The
 * tree before the date is never touched: old versions end on the date, new
 * ones (with reorganization_id) start on it.
 */

type StoredOperation = z.output<typeof reorgOperationSchema>;

const accountOf = (actor: Actor) => (actor.type === 'account' ? actor.id : null);

function toView(row: ReorganizationRow): Reorganization {
  return {
    id: row.id,
    title: row.title,
    effectiveDate: row.effectiveDate,
    status: row.status as Reorganization['status'],
    operations: z.array(reorgOperationSchema).parse(row.operations),
    appliedAt: row.appliedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The pure operations: new units get their role level from the pack's unit kind. */
export function toReorgOperations(
  operations: readonly StoredOperation[],
  unitKinds: readonly PackUnitKind[],
): ReorgOperation[] {
  const actsAs = new Map(unitKinds.map((k) => [k.id, k.acts_as]));
  const unit = (u: z.output<typeof newReorgUnitSchema>): NewOrgUnit => ({
    id: u.id,
    kind: u.kind,
    actsAs: actsAs.get(u.kind) ?? 'team',
    name: u.name,
    parentId: u.parentId,
    ...(u.outOfScope !== undefined ? { outOfScope: u.outOfScope } : {}),
  });
  return operations.map((o): ReorgOperation => {
    switch (o.op) {
      case 'create':
        return { op: 'create', unit: unit(o.unit) };
      case 'split':
        return {
          op: 'split',
          unitId: o.unitId,
          parts: o.parts.map((p) => ({
            unit: unit(p.unit),
            personIds: p.personIds,
            ...(p.systemIds ? { systemIds: p.systemIds } : {}),
          })),
        };
      default:
        return o;
    }
  });
}

/** New units' codes and readings, which the pure rules do not carry. */
function newUnitExtras(operations: readonly StoredOperation[]) {
  const extras = new Map<string, { code: string | null; nameKana: string | null }>();
  for (const o of operations) {
    const units = o.op === 'create' ? [o.unit] : o.op === 'split' ? o.parts.map((p) => p.unit) : [];
    for (const u of units) extras.set(u.id, { code: u.code ?? null, nameKana: u.nameKana ?? null });
  }
  return extras;
}

/** Creates a draft plan (nothing in the organization changes yet). */
export async function createReorganization(
  tx: TenantTx,
  pack: Pick<PolicyPack, 'organization'>,
  actor: Actor,
  input: CreateReorganizationInput,
): Promise<Reorganization> {
  const unitKinds = pack.organization.unit_kinds;
  const parsed = createReorganizationSchema.parse(input);
  const kinds = new Set(unitKinds.map((k) => k.id));
  parsed.operations.forEach((o, i) => {
    const units = o.op === 'create' ? [o.unit] : o.op === 'split' ? o.parts.map((p) => p.unit) : [];
    for (const u of units)
      if (!kinds.has(u.kind))
        throw new AppError('validation_failed', `Unknown unit kind "${u.kind}".`, {
          issues: [
            { path: `operations.${String(i)}`, message: 'unknown unit kind', code: 'invalid' },
          ],
        });
  });
  const row = await insertReorganization(tx, {
    title: parsed.title,
    effectiveDate: parsed.effectiveDate,
    operations: parsed.operations,
    createdBy: accountOf(actor),
  });
  await recordOperation(tx, actor, {
    action: 'organization.reorganization_drafted',
    subject: { type: 'reorganization', id: row.id },
    payload: {
      title: row.title,
      effectiveDate: row.effectiveDate,
      operationsDigest: payloadDigest(parsed.operations),
    },
  });
  return toView(row);
}

export async function listReorganizationPlans(tx: TenantTx): Promise<Reorganization[]> {
  return (await listReorganizations(tx)).map(toView);
}

async function requirePlan(tx: TenantTx, id: string, lock = false): Promise<ReorganizationRow> {
  const row = await findReorganization(tx, id, lock);
  if (!row) throw new AppError('not_found', 'reorganization not found');
  return row;
}

async function computePreview(
  tx: TenantTx,
  pack: Pick<PolicyPack, 'organization'>,
  row: ReorganizationRow,
): Promise<{ before: OrgSnapshot; preview: ReorgPreview; operations: StoredOperation[] }> {
  const unitKinds = pack.organization.unit_kinds;
  const operations = z.array(reorgOperationSchema).parse(row.operations);
  const date = row.effectiveDate;
  const before = await organizationSnapshot(tx, date, pack);
  const preview = previewReorganization(
    before,
    toReorgOperations(operations, unitKinds),
    date,
    unitKinds,
  );
  return { before, preview, operations };
}

/** The preview: the tree as of the effective date after the plan, every change and problem. */
export async function previewReorganizationPlan(
  tx: TenantTx,
  pack: Pick<PolicyPack, 'organization'>,
  id: string,
): Promise<ReorganizationPreview> {
  const row = await requirePlan(tx, id);
  const { preview } = await computePreview(tx, pack, row);
  return {
    reorganization: toView(row),
    units: preview.snapshot.units.map((u) => ({
      id: u.id,
      kind: u.kind,
      name: u.name,
      parentId: u.parentId,
      outOfScope: u.outOfScope,
    })),
    changes: preview.changes.map((c) => ({ ...c })),
    problems: preview.problems.map((p) => ({ ...p })),
    canApply: row.status === 'draft' && preview.problems.length === 0,
  };
}

/** Cancels a draft. */
export async function cancelReorganization(tx: TenantTx, actor: Actor, id: string): Promise<void> {
  const row = await requirePlan(tx, id, true);
  if (!(await closeDraft(tx, row.id, 'cancelled', accountOf(actor))))
    throw new AppError('conflict', `The reorganization is ${row.status}.`, { status: row.status });
  await recordOperation(tx, actor, {
    action: 'organization.reorganization_cancelled',
    subject: { type: 'reorganization', id: row.id },
    payload: { title: row.title, effectiveDate: row.effectiveDate },
  });
}

const notBefore = (what: string) =>
  new AppError(
    'conflict',
    `${what} already changes on or after the effective date; apply the reorganization for a later date or undo that change first.`,
    { reason: 'later_change_exists' },
  );

/**
 * Applies a draft for its effective date, all-or-nothing (the caller's one
 * transaction): refused when it is no longer a draft (applying twice) or the
 * preview has problems. Old unit versions, memberships and role assignments
 * end on the date; new ones start on it with `reorganization_id`.
 */
export async function applyReorganization(
  tx: TenantTx,
  pack: Pick<PolicyPack, 'organization'>,
  actor: Actor,
  id: string,
): Promise<Reorganization> {
  const row = await requirePlan(tx, id, true);
  if (row.status !== 'draft')
    throw new AppError('conflict', `The reorganization is already ${row.status}.`, {
      status: row.status,
    });
  const { before, preview, operations } = await computePreview(tx, pack, row);
  if (preview.problems.length > 0)
    throw new AppError('validation_failed', 'The reorganization has problems; see the preview.', {
      problems: preview.problems.map((p) => ({ ...p })),
    });
  const date = row.effectiveDate;
  const after = preview.snapshot;
  const extras = newUnitExtras(operations);
  const versions = new Map((await listUnitsAsOf(tx, date)).map((v) => [v.unitId, v]));
  const beforeUnits = new Map(before.units.map((u) => [u.id, u]));
  const afterUnits = new Map(after.units.map((u) => [u.id, u]));
  const counts = {
    unitsCreated: 0,
    unitsChanged: 0,
    unitsAbolished: 0,
    peopleMoved: 0,
    rolesEnded: 0,
    rolesRehomed: 0,
    systemsMoved: 0,
  };

  // Units: created ones first (parents of others), then changed, then abolished.
  const created = after.units.filter((u) => !beforeUnits.has(u.id));
  const pending = [...created];
  while (pending.length > 0) {
    const index = pending.findIndex(
      (u) => u.parentId === null || !pending.some((p) => p.id === u.parentId),
    );
    const [u] = pending.splice(Math.max(0, index), 1);
    if (!u) break;
    const extra = extras.get(u.id);
    await insertUnitIdentity(tx, {
      id: u.id,
      kind: u.kind,
      code: extra?.code ?? null,
      validFrom: date,
    });
    await insertUnitVersion(tx, {
      unitId: u.id,
      name: u.name,
      nameKana: extra?.nameKana ?? null,
      parentId: u.parentId,
      sortOrder: 0,
      outOfScopeReason: u.outOfScope ? '組織改正により適用範囲外' : null,
      validFrom: date,
      validTo: null,
      reorganizationId: row.id,
    });
    counts.unitsCreated++;
  }
  for (const u of after.units) {
    const old = beforeUnits.get(u.id);
    const version = versions.get(u.id);
    if (!old || !version || (old.name === u.name && old.parentId === u.parentId)) continue;
    const next = {
      name: u.name,
      nameKana: old.name === u.name ? version.nameKana : null,
      parentId: u.parentId,
      sortOrder: version.sortOrder,
      outOfScopeReason: version.outOfScopeReason,
    };
    if (version.validFrom < date) {
      await endUnitVersion(tx, version.versionId, date);
      await insertUnitVersion(tx, {
        unitId: u.id,
        ...next,
        validFrom: date,
        validTo: version.validTo,
        reorganizationId: row.id,
      });
    } else await correctUnitVersion(tx, version.versionId, next);
    counts.unitsChanged++;
  }

  // People: primary and 兼務 units before → after.
  const afterPeople = new Map(after.people.map((p) => [p.id, p]));
  for (const person of before.people) {
    const next = afterPeople.get(person.id);
    if (!next) continue;
    const state = { moved: false };
    const move = async (kind: 'primary' | 'additional', from: string, to: string | null) => {
      const current = await membershipsOn(tx, person.id, from, kind, date);
      let title: string | null = null;
      for (const m of current) {
        if (m.validFrom >= date) throw notBefore('A unit membership');
        title = m.positionTitle;
        await endMembership(tx, m.id, date);
      }
      if (to !== null)
        await insertMembership(tx, {
          personId: person.id,
          unitId: to,
          kind,
          positionTitle: title,
          validFrom: date,
        });
      state.moved = true;
    };
    if (person.primaryUnitId !== null && person.primaryUnitId !== next.primaryUnitId)
      await move('primary', person.primaryUnitId, next.primaryUnitId);
    for (const unitId of person.additionalUnitIds)
      if (!next.additionalUnitIds.includes(unitId)) {
        const target = next.additionalUnitIds.find((u) => !person.additionalUnitIds.includes(u));
        await move('additional', unitId, target ?? null);
      }
    if (state.moved) counts.peopleMoved++;
  }

  // Systems: owning unit before → after.
  const beforeSystems = new Map(before.systems.map((s) => [s.id, s]));
  for (const system of after.systems) {
    if (beforeSystems.get(system.id)?.owningUnitId === system.owningUnitId) continue;
    await setSystemOwner(tx, system.id, system.owningUnitId);
    counts.systemsMoved++;
  }

  // Role assignments: ended when gone from the result, re-homed when scope or holder changed.
  const afterAssignments = new Map(after.roleAssignments.map((a) => [a.id, a]));
  const ended = new Map(
    preview.changes.flatMap((c) =>
      c.kind === 'assignment_ended' ? [[c.assignmentId, c.reason] as const] : [],
    ),
  );
  for (const assignment of before.roleAssignments) {
    const next = afterAssignments.get(assignment.id);
    if (!next) {
      if (assignment.validFrom >= date) throw notBefore('A role assignment');
      counts.rolesEnded += (
        await endAssignments(
          tx,
          [assignment.id],
          date,
          `reorganization: ${ended.get(assignment.id) ?? 'ended'}`,
          accountOf(actor),
        )
      ).length;
      continue;
    }
    if (
      JSON.stringify(next.scope) === JSON.stringify(assignment.scope) &&
      JSON.stringify(next.holder) === JSON.stringify(assignment.holder)
    )
      continue;
    const stored = await findAssignment(tx, assignment.id);
    if (!stored) continue;
    if (stored.validFrom >= date) throw notBefore('A role assignment');
    await endAssignments(tx, [assignment.id], date, 'reorganization: rehomed', accountOf(actor));
    await insertRehomedAssignment(tx, stored, {
      holderPersonId: next.holder.kind === 'person' ? next.holder.personId : null,
      holderUnitId: next.holder.kind === 'unit' ? next.holder.unitId : null,
      scopeKind: next.scope.kind,
      scopeUnitId: next.scope.kind === 'unit' ? next.scope.unitId : null,
      scopeSystemId: next.scope.kind === 'system' ? next.scope.systemId : null,
      validFrom: date,
      reorganizationId: row.id,
      createdBy: accountOf(actor),
    });
    counts.rolesRehomed++;
  }

  // Units abolished last (their people and roles have moved).
  for (const u of before.units) {
    if (afterUnits.has(u.id)) continue;
    const version = versions.get(u.id);
    if (version && version.validFrom >= date) throw notBefore(`The unit "${u.name}"`);
    if (version && version.establishedOn >= date) throw notBefore(`The unit "${u.name}"`);
    await endUnit(tx, u.id, date);
    counts.unitsAbolished++;
  }

  if (!(await closeDraft(tx, row.id, 'applied', accountOf(actor))))
    throw new AppError('conflict', 'The reorganization was applied at the same time.');
  await recordOperation(tx, actor, {
    action: 'organization.reorganization_applied',
    subject: { type: 'reorganization', id: row.id },
    payload: {
      title: row.title,
      effectiveDate: row.effectiveDate,
      operationsDigest: payloadDigest(operations),
      changesDigest: payloadDigest(preview.changes),
      ...counts,
    },
  });
  const applied = await requirePlan(tx, row.id);
  return toView(applied);
}
