import { and, desc, eq, max, sql } from 'drizzle-orm';
import type { TenantTx } from '../db/database.js';
import { operationAppendSql, type Actor } from '../oplog/oplog.service.js';
import { SETTING_VERSION_SUBJECT, settingVersionPayload } from './settings.anchor.js';
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

/**
 * Appends the next version of a key, logged and anchored in one statement
 * (the log append is the transaction's last statement). Concurrent writers
 * meet the unique key (tenant, key, version).
 */
export async function insertSettingVersion(
  tx: TenantTx,
  actor: Actor & { type: 'account' },
  input: { key: string; value: unknown; reason: string },
): Promise<SettingVersionRow> {
  const [current] = await tx
    .select({ version: max(settingVersions.version) })
    .from(settingVersions)
    .where(eq(settingVersions.key, input.key));
  const version = (current?.version ?? 0) + 1;
  const id = crypto.randomUUID();
  const payload = settingVersionPayload({ ...input, version, changedBy: actor.id });
  const log = operationAppendSql(tx, actor, {
    action: 'settings.changed',
    subject: { type: SETTING_VERSION_SUBJECT, id },
    payload,
  });
  const result = await tx.execute<{ changed_at: Date; log_seq: string }>(sql`
    WITH log AS (${log.fragment})
    INSERT INTO setting_versions (tenant_id, id, key, version, value, reason, changed_by, log_seq, log_digest)
    SELECT ${tx.scope.tenantId}::uuid, ${id}::uuid, ${input.key}, ${version},
           ${input.value === null || input.value === undefined ? null : JSON.stringify(input.value)}::jsonb,
           ${input.reason}, ${actor.id}::uuid, log.seq, ${log.payloadDigest}
      FROM log
    RETURNING changed_at, log_seq::text AS log_seq`);
  const row = result.rows[0];
  if (!row) throw new Error('setting insert returned no row');
  return {
    tenantId: tx.scope.tenantId,
    id,
    key: input.key,
    version,
    value: input.value ?? null,
    reason: input.reason,
    changedBy: actor.id,
    changedAt: row.changed_at,
    logSeq: Number(row.log_seq),
    logDigest: log.payloadDigest,
  };
}

export async function listSettingVersions(tx: TenantTx, key: string): Promise<SettingVersionRow[]> {
  return tx
    .select()
    .from(settingVersions)
    .where(and(eq(settingVersions.tenantId, tx.scope.tenantId), eq(settingVersions.key, key)))
    .orderBy(desc(settingVersions.version));
}
