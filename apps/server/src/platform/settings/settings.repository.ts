import { and, desc, eq, sql } from 'drizzle-orm';
import type { TenantTx } from '../db/database.js';
import { settingVersions } from './settings.tables.js';

export type SettingVersionRow = typeof settingVersions.$inferSelect;

/** The newest version of every overridden key (value null = back to the default). */
export async function latestOverrides(tx: TenantTx): Promise<Record<string, unknown>> {
  const rows = await tx
    .selectDistinctOn([settingVersions.key], {
      key: settingVersions.key,
      value: settingVersions.value,
    })
    .from(settingVersions)
    .orderBy(settingVersions.key, desc(settingVersions.version));
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/** Appends the next version of a key. Concurrent writers meet the unique key. */
export async function insertSettingVersion(
  tx: TenantTx,
  input: { key: string; value: unknown; reason: string; changedBy: string },
): Promise<SettingVersionRow> {
  const [row] = await tx
    .insert(settingVersions)
    .values({
      tenantId: tx.scope.tenantId,
      key: input.key,
      value: input.value,
      reason: input.reason,
      changedBy: input.changedBy,
      version: sql`(SELECT coalesce(max(version), 0) + 1 FROM setting_versions
                     WHERE tenant_id = ${tx.scope.tenantId} AND key = ${input.key})`,
    })
    .returning();
  if (!row) throw new Error('setting insert returned no row');
  return row;
}

export async function listSettingVersions(tx: TenantTx, key: string): Promise<SettingVersionRow[]> {
  return tx
    .select()
    .from(settingVersions)
    .where(and(eq(settingVersions.tenantId, tx.scope.tenantId), eq(settingVersions.key, key)))
    .orderBy(desc(settingVersions.version));
}
