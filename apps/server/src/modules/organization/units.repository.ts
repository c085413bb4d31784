import { and, asc, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/database.js';
import { inForce } from './effective-dated.js';
import { orgUnits, orgUnitVersions } from './organization.tables.js';

/** A unit version joined with its unit's identity (kind, code, life). */
export interface UnitVersionRow {
  readonly unitId: string;
  readonly versionId: string;
  readonly kind: string;
  readonly code: string | null;
  readonly name: string;
  readonly nameKana: string | null;
  readonly parentId: string | null;
  readonly sortOrder: number;
  readonly outOfScopeReason: string | null;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly establishedOn: string;
  readonly abolishedOn: string | null;
}

const versionColumns = {
  unitId: orgUnits.id,
  versionId: orgUnitVersions.id,
  kind: orgUnits.kind,
  code: orgUnits.code,
  name: orgUnitVersions.name,
  nameKana: orgUnitVersions.nameKana,
  parentId: orgUnitVersions.parentId,
  sortOrder: orgUnitVersions.sortOrder,
  outOfScopeReason: orgUnitVersions.outOfScope,
  validFrom: orgUnitVersions.validFrom,
  validTo: orgUnitVersions.validTo,
  establishedOn: orgUnits.validFrom,
  abolishedOn: orgUnits.validTo,
};

/** Every unit's version in force on `date` (units abolished by then excluded), in tree order. */
export async function listUnitsAsOf(tx: TenantTx, date: string): Promise<UnitVersionRow[]> {
  return tx
    .select(versionColumns)
    .from(orgUnitVersions)
    .innerJoin(
      orgUnits,
      and(eq(orgUnits.tenantId, orgUnitVersions.tenantId), eq(orgUnits.id, orgUnitVersions.unitId)),
    )
    .where(
      and(
        inForce(orgUnitVersions.validFrom, orgUnitVersions.validTo, date),
        inForce(orgUnits.validFrom, orgUnits.validTo, date),
      ),
    )
    .orderBy(asc(orgUnitVersions.sortOrder), asc(orgUnitVersions.name));
}

/** Every version of one unit, oldest first. */
export async function listUnitVersions(tx: TenantTx, unitId: string): Promise<UnitVersionRow[]> {
  return tx
    .select(versionColumns)
    .from(orgUnitVersions)
    .innerJoin(
      orgUnits,
      and(eq(orgUnits.tenantId, orgUnitVersions.tenantId), eq(orgUnits.id, orgUnitVersions.unitId)),
    )
    .where(eq(orgUnitVersions.unitId, unitId))
    .orderBy(asc(orgUnitVersions.validFrom));
}

/** The unit's identity row, or null. */
export async function findUnit(
  tx: TenantTx,
  unitId: string,
): Promise<typeof orgUnits.$inferSelect | null> {
  const rows = await tx.select().from(orgUnits).where(eq(orgUnits.id, unitId)).limit(1);
  return rows[0] ?? null;
}

/** Inserts a unit and its first version; returns the unit id. */
export async function insertUnit(
  tx: TenantTx,
  input: {
    kind: string;
    code: string | null;
    name: string;
    nameKana: string | null;
    parentId: string | null;
    sortOrder: number;
    validFrom: string;
  },
): Promise<{ unitId: string; versionId: string }> {
  const [unit] = await tx
    .insert(orgUnits)
    .values({
      tenantId: tx.scope.tenantId,
      kind: input.kind,
      code: input.code,
      validFrom: input.validFrom,
    })
    .returning({ id: orgUnits.id });
  if (!unit) throw new Error('unit insert returned no row');
  const versionId = await insertUnitVersion(tx, {
    unitId: unit.id,
    name: input.name,
    nameKana: input.nameKana,
    parentId: input.parentId,
    sortOrder: input.sortOrder,
    outOfScopeReason: null,
    validFrom: input.validFrom,
    validTo: null,
  });
  return { unitId: unit.id, versionId };
}

export interface NewUnitVersion {
  unitId: string;
  name: string;
  nameKana: string | null;
  parentId: string | null;
  sortOrder: number;
  outOfScopeReason: string | null;
  validFrom: string;
  validTo: string | null;
  reorganizationId?: string | null;
}

export async function insertUnitVersion(tx: TenantTx, v: NewUnitVersion): Promise<string> {
  const [row] = await tx
    .insert(orgUnitVersions)
    .values({
      tenantId: tx.scope.tenantId,
      unitId: v.unitId,
      name: v.name,
      nameKana: v.nameKana,
      parentId: v.parentId,
      sortOrder: v.sortOrder,
      outOfScope: v.outOfScopeReason,
      validFrom: v.validFrom,
      validTo: v.validTo,
      reorganizationId: v.reorganizationId ?? null,
    })
    .returning({ id: orgUnitVersions.id });
  if (!row) throw new Error('unit version insert returned no row');
  return row.id;
}

/** Ends a version on `validTo` (exclusive). */
export async function endUnitVersion(
  tx: TenantTx,
  versionId: string,
  validTo: string,
): Promise<void> {
  await tx.update(orgUnitVersions).set({ validTo }).where(eq(orgUnitVersions.id, versionId));
}

/**
 * Corrects a version that starts on the change date itself (a same-day fix):
 * there is no earlier day to keep, and the operation log keeps the old values.
 */
export async function correctUnitVersion(
  tx: TenantTx,
  versionId: string,
  v: Pick<NewUnitVersion, 'name' | 'nameKana' | 'parentId' | 'sortOrder' | 'outOfScopeReason'>,
): Promise<void> {
  await tx
    .update(orgUnitVersions)
    .set({
      name: v.name,
      nameKana: v.nameKana,
      parentId: v.parentId,
      sortOrder: v.sortOrder,
      outOfScope: v.outOfScopeReason,
    })
    .where(eq(orgUnitVersions.id, versionId));
}

/** Ends the unit itself (abolished): `valid_to` of the unit and of its open versions. */
export async function endUnit(tx: TenantTx, unitId: string, validTo: string): Promise<void> {
  await tx.update(orgUnits).set({ validTo }).where(eq(orgUnits.id, unitId));
  await tx
    .update(orgUnitVersions)
    .set({ validTo })
    .where(
      and(
        eq(orgUnitVersions.unitId, unitId),
        or(isNull(orgUnitVersions.validTo), gt(orgUnitVersions.validTo, validTo)),
        sql`${orgUnitVersions.validFrom} < ${validTo}`,
      ),
    );
}

/** Units whose version in force on `date` has `unitId` as parent. */
export async function countChildrenAsOf(
  tx: TenantTx,
  unitId: string,
  date: string,
): Promise<number> {
  const rows = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(orgUnitVersions)
    .innerJoin(
      orgUnits,
      and(eq(orgUnits.tenantId, orgUnitVersions.tenantId), eq(orgUnits.id, orgUnitVersions.unitId)),
    )
    .where(
      and(
        eq(orgUnitVersions.parentId, unitId),
        inForce(orgUnitVersions.validFrom, orgUnitVersions.validTo, date),
        inForce(orgUnits.validFrom, orgUnits.validTo, date),
      ),
    );
  return rows[0]?.n ?? 0;
}

/** The latest name of each unit (for labels of holders and scopes). */
export async function unitNames(
  tx: TenantTx,
  unitIds: readonly string[],
): Promise<Map<string, string>> {
  if (unitIds.length === 0) return new Map();
  const rows = await tx
    .selectDistinctOn([orgUnitVersions.unitId], {
      unitId: orgUnitVersions.unitId,
      name: orgUnitVersions.name,
    })
    .from(orgUnitVersions)
    .where(inArray(orgUnitVersions.unitId, [...new Set(unitIds)]))
    .orderBy(orgUnitVersions.unitId, desc(orgUnitVersions.validFrom));
  return new Map(rows.map((r) => [r.unitId, r.name]));
}
