import { inArray, sql } from 'drizzle-orm';
import { accounts } from '../../platform/auth/accounts.tables.js';
import type { TenantTx } from '../../platform/db/database.js';

/** Display names of the accounts among `ids` (actors and reviewers), by id. */
export async function accountNames(
  tx: TenantTx,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const uuids = [...new Set(ids)].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (uuids.length === 0) return new Map();
  const rows = await tx
    .select({ id: accounts.id, name: accounts.displayName })
    .from(accounts)
    .where(inArray(accounts.id, uuids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The size of the tenant's chain (its newest seq; 0 when empty). */
export async function chainSize(tx: TenantTx): Promise<number> {
  const r = await tx.execute<{ size: string }>(
    sql`SELECT coalesce(max(seq), 0)::text AS size FROM operation_log`,
  );
  return Number(r.rows[0]?.size ?? 0);
}
