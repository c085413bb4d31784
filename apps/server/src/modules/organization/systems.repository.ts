import { and, asc, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/database.js';
import { informationSystems } from './organization.tables.js';

export type SystemRow = typeof informationSystems.$inferSelect;

export interface SystemFields {
  name: string;
  searchText: string;
  owningUnitId: string;
  zone: string;
  description: string | null;
  inServiceFrom: string;
  retiredOn: string | null;
}

/** Every system, or those in service on `date` (`in_service_from <= date < retired_on`). */
export async function listSystems(tx: TenantTx, date?: string): Promise<SystemRow[]> {
  return tx
    .select()
    .from(informationSystems)
    .where(
      date === undefined
        ? undefined
        : and(
            lte(informationSystems.inServiceFrom, date),
            or(isNull(informationSystems.retiredOn), gt(informationSystems.retiredOn, date)),
          ),
    )
    .orderBy(asc(informationSystems.name));
}

export async function findSystem(tx: TenantTx, id: string): Promise<SystemRow | null> {
  const rows = await tx
    .select()
    .from(informationSystems)
    .where(eq(informationSystems.id, id))
    .limit(1);
  return rows[0] ?? null;
}

export async function insertSystem(tx: TenantTx, fields: SystemFields): Promise<SystemRow> {
  const [row] = await tx
    .insert(informationSystems)
    .values({ ...fields, tenantId: tx.scope.tenantId })
    .returning();
  if (!row) throw new Error('system insert returned no row');
  return row;
}

export async function updateSystem(
  tx: TenantTx,
  id: string,
  fields: SystemFields,
): Promise<SystemRow> {
  const [row] = await tx
    .update(informationSystems)
    .set(fields)
    .where(eq(informationSystems.id, id))
    .returning();
  if (!row) throw new Error('system update returned no row');
  return row;
}

/** The names of some systems. */
export async function systemNames(
  tx: TenantTx,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: informationSystems.id, name: informationSystems.name })
    .from(informationSystems)
    .where(inArray(informationSystems.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}
