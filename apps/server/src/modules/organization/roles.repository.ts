import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { accountRoles, accounts } from '../../platform/auth/accounts.tables.js';
import type { TenantTx } from '../../platform/db/database.js';
import { inForce } from './effective-dated.js';
import { delegations, roleAssignments } from './organization.tables.js';

export type RoleAssignmentRow = typeof roleAssignments.$inferSelect;
export type DelegationRow = typeof delegations.$inferSelect;

export interface AssignmentFilter {
  role?: string;
  holderPersonId?: string;
  /** Held by this unit or scoped to it. */
  unitId?: string;
  scopeSystemId?: string;
  /** Only assignments in force on this date. */
  asOf?: string;
}

function assignmentWhere(f: AssignmentFilter): SQL | undefined {
  return and(
    f.role ? eq(roleAssignments.role, f.role) : undefined,
    f.holderPersonId ? eq(roleAssignments.holderPersonId, f.holderPersonId) : undefined,
    f.unitId
      ? or(eq(roleAssignments.holderUnitId, f.unitId), eq(roleAssignments.scopeUnitId, f.unitId))
      : undefined,
    f.scopeSystemId ? eq(roleAssignments.scopeSystemId, f.scopeSystemId) : undefined,
    f.asOf ? inForce(roleAssignments.validFrom, roleAssignments.validTo, f.asOf) : undefined,
  );
}

/** Role assignments matching the filter, newest first (ended ones included unless `asOf`). */
export async function listAssignments(
  tx: TenantTx,
  filter: AssignmentFilter = {},
): Promise<RoleAssignmentRow[]> {
  return tx
    .select()
    .from(roleAssignments)
    .where(assignmentWhere(filter))
    .orderBy(asc(roleAssignments.role), desc(roleAssignments.validFrom));
}

export async function findAssignment(tx: TenantTx, id: string): Promise<RoleAssignmentRow | null> {
  const rows = await tx.select().from(roleAssignments).where(eq(roleAssignments.id, id)).limit(1);
  return rows[0] ?? null;
}

/** Locks the assignments of one role (so two concurrent grants cannot both pass the cardinality check). */
export async function lockRole(tx: TenantTx, role: string): Promise<void> {
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(hashtext(${`mamori.role:${tx.scope.tenantId}:${role}`}))`,
  );
}

export async function insertAssignment(
  tx: TenantTx,
  a: Omit<typeof roleAssignments.$inferInsert, 'tenantId' | 'id' | 'createdAt'>,
): Promise<RoleAssignmentRow> {
  const [row] = await tx
    .insert(roleAssignments)
    .values({ ...a, tenantId: tx.scope.tenantId })
    .returning();
  if (!row) throw new Error('role assignment insert returned no row');
  return row;
}

/** Ends an assignment on `validTo` (exclusive), with who and why. */
export async function endAssignment(
  tx: TenantTx,
  id: string,
  end: { validTo: string; endedBy: string | null; endReason: string },
): Promise<RoleAssignmentRow> {
  const [row] = await tx
    .update(roleAssignments)
    .set(end)
    .where(eq(roleAssignments.id, id))
    .returning();
  if (!row) throw new Error('role assignment update returned no row');
  return row;
}

// ── Delegations ─────────────────────────────────────────────────────────────

export async function insertDelegation(
  tx: TenantTx,
  d: Omit<typeof delegations.$inferInsert, 'tenantId' | 'id' | 'createdAt'>,
): Promise<DelegationRow> {
  const [row] = await tx
    .insert(delegations)
    .values({ ...d, tenantId: tx.scope.tenantId })
    .returning();
  if (!row) throw new Error('delegation insert returned no row');
  return row;
}

export async function findDelegation(tx: TenantTx, id: string): Promise<DelegationRow | null> {
  const rows = await tx.select().from(delegations).where(eq(delegations.id, id)).limit(1);
  return rows[0] ?? null;
}

export async function revokeDelegation(
  tx: TenantTx,
  id: string,
  by: string | null,
  at: Date,
): Promise<DelegationRow> {
  const [row] = await tx
    .update(delegations)
    .set({ revokedAt: at, revokedBy: by })
    .where(and(eq(delegations.id, id), isNull(delegations.revokedAt)))
    .returning();
  if (!row) throw new Error('delegation already revoked');
  return row;
}

/** Delegations of some assignments, or every delegation; newest first. */
export async function listDelegations(
  tx: TenantTx,
  filter: { assignmentIds?: readonly string[]; deputyPersonId?: string } = {},
): Promise<DelegationRow[]> {
  if (filter.assignmentIds?.length === 0 && !filter.deputyPersonId) return [];
  const byAssignment =
    filter.assignmentIds && filter.assignmentIds.length > 0
      ? inArray(delegations.assignmentId, [...filter.assignmentIds])
      : undefined;
  const byDeputy = filter.deputyPersonId
    ? eq(delegations.deputyPersonId, filter.deputyPersonId)
    : undefined;
  return tx
    .select()
    .from(delegations)
    .where(byAssignment && byDeputy ? or(byAssignment, byDeputy) : (byAssignment ?? byDeputy))
    .orderBy(desc(delegations.startsAt));
}

// ── Platform roles (tenant_admin) ───────────────────────────────────────────

/** Accounts holding a platform role (account_roles), with names and whether disabled. */
export async function listPlatformRoleHolders(
  tx: TenantTx,
  role?: string,
): Promise<{ accountId: string; displayName: string; role: string; disabled: boolean }[]> {
  const rows = await tx
    .select({
      accountId: accountRoles.accountId,
      displayName: accounts.displayName,
      role: accountRoles.role,
      disabledAt: accounts.disabledAt,
    })
    .from(accountRoles)
    .innerJoin(
      accounts,
      and(eq(accounts.tenantId, accountRoles.tenantId), eq(accounts.id, accountRoles.accountId)),
    )
    .where(role ? eq(accountRoles.role, role) : undefined)
    .orderBy(asc(accounts.displayName));
  return rows.map((r) => ({
    accountId: r.accountId,
    displayName: r.displayName,
    role: r.role,
    disabled: r.disabledAt !== null,
  }));
}

/** The platform roles of one account. */
export async function platformRolesOfAccount(tx: TenantTx, accountId: string): Promise<string[]> {
  const rows = await tx
    .select({ role: accountRoles.role })
    .from(accountRoles)
    .where(eq(accountRoles.accountId, accountId));
  return rows.map((r) => r.role);
}
