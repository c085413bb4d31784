import { and, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/database.js';
import {
  informationSystems,
  orgUnits,
  reorganizations,
  roleAssignments,
  unitMemberships,
} from './organization.tables.js';

/* SQL of 組織改正 plans and of the rows their apply ends and starts. */

export type ReorganizationRow = typeof reorganizations.$inferSelect;

export async function insertReorganization(
  tx: TenantTx,
  r: { title: string; effectiveDate: string; operations: unknown[]; createdBy: string | null },
): Promise<ReorganizationRow> {
  const [row] = await tx
    .insert(reorganizations)
    .values({ ...r, status: 'draft', tenantId: tx.scope.tenantId })
    .returning();
  if (!row) throw new Error('reorganization insert returned no row');
  return row;
}

/** The plan, locked for update when `lock` (apply and cancel serialize on it). */
export async function findReorganization(
  tx: TenantTx,
  id: string,
  lock = false,
): Promise<ReorganizationRow | null> {
  const query = tx.select().from(reorganizations).where(eq(reorganizations.id, id)).limit(1);
  const rows = lock ? await query.for('update') : await query;
  return rows[0] ?? null;
}

export async function listReorganizations(tx: TenantTx): Promise<ReorganizationRow[]> {
  return tx
    .select()
    .from(reorganizations)
    .orderBy(desc(reorganizations.effectiveDate), desc(reorganizations.createdAt))
    .limit(200);
}

/** Moves a draft to `status`; false when it is no longer a draft. */
export async function closeDraft(
  tx: TenantTx,
  id: string,
  status: 'applied' | 'cancelled',
  accountId: string | null,
): Promise<boolean> {
  const rows = await tx
    .update(reorganizations)
    .set(
      status === 'applied' ? { status, appliedBy: accountId, appliedAt: sql`now()` } : { status },
    )
    .where(and(eq(reorganizations.id, id), eq(reorganizations.status, 'draft')))
    .returning({ id: reorganizations.id });
  return rows.length === 1;
}

/** Inserts a unit identity with a chosen id (the plan names new units by id). */
export async function insertUnitIdentity(
  tx: TenantTx,
  u: { id: string; kind: string; code: string | null; validFrom: string },
): Promise<void> {
  await tx.insert(orgUnits).values({ ...u, tenantId: tx.scope.tenantId });
}

/** Memberships in force on `date` of one person in one unit. */
export async function membershipsOn(
  tx: TenantTx,
  personId: string,
  unitId: string,
  kind: 'primary' | 'additional',
  date: string,
): Promise<(typeof unitMemberships.$inferSelect)[]> {
  return tx
    .select()
    .from(unitMemberships)
    .where(
      and(
        eq(unitMemberships.personId, personId),
        eq(unitMemberships.unitId, unitId),
        eq(unitMemberships.kind, kind),
        lte(unitMemberships.validFrom, date),
        or(isNull(unitMemberships.validTo), gt(unitMemberships.validTo, date)),
      ),
    );
}

export async function findAssignment(
  tx: TenantTx,
  id: string,
): Promise<typeof roleAssignments.$inferSelect | null> {
  const rows = await tx.select().from(roleAssignments).where(eq(roleAssignments.id, id)).limit(1);
  return rows[0] ?? null;
}

/** A role assignment re-homed by a reorganization: a new row carrying `reorganization_id`. */
export async function insertRehomedAssignment(
  tx: TenantTx,
  from: typeof roleAssignments.$inferSelect,
  to: {
    holderPersonId: string | null;
    holderUnitId: string | null;
    scopeKind: string;
    scopeUnitId: string | null;
    scopeSystemId: string | null;
    validFrom: string;
    reorganizationId: string;
    createdBy: string | null;
  },
): Promise<string> {
  const [row] = await tx
    .insert(roleAssignments)
    .values({
      tenantId: tx.scope.tenantId,
      role: from.role,
      note: from.note,
      exceptionReason: from.exceptionReason,
      validTo: from.validTo,
      ...to,
    })
    .returning({ id: roleAssignments.id });
  if (!row) throw new Error('role assignment insert returned no row');
  return row.id;
}

/** Re-homes a system to another owning unit (the register is not effective-dated yet). */
export async function setSystemOwner(
  tx: TenantTx,
  systemId: string,
  unitId: string,
): Promise<void> {
  await tx
    .update(informationSystems)
    .set({ owningUnitId: unitId })
    .where(eq(informationSystems.id, systemId));
}
