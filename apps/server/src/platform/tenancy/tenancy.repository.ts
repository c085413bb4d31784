import { asc, eq } from 'drizzle-orm';
import type { SystemTx } from '../db/database.js';
import { tenants } from './tenancy.tables.js';

export type TenantRow = typeof tenants.$inferSelect;
export type NewTenantRow = typeof tenants.$inferInsert;

/** Tenants are tenant-less: every function takes the system scope. */
export async function findTenantByCode(tx: SystemTx, code: string): Promise<TenantRow | null> {
  const rows = await tx.select().from(tenants).where(eq(tenants.code, code)).limit(1);
  return rows[0] ?? null;
}

export async function findTenantById(tx: SystemTx, id: string): Promise<TenantRow | null> {
  const rows = await tx.select().from(tenants).where(eq(tenants.id, id)).limit(1);
  return rows[0] ?? null;
}

export async function listTenants(tx: SystemTx): Promise<TenantRow[]> {
  return tx.select().from(tenants).orderBy(asc(tenants.code));
}

/** Only the owner role may insert tenants (operator commands). */
export async function insertTenant(tx: SystemTx, row: NewTenantRow): Promise<TenantRow> {
  const [created] = await tx.insert(tenants).values(row).returning();
  if (!created) throw new Error('tenant insert returned no row');
  return created;
}
