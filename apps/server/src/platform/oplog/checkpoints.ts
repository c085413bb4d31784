import { open } from 'node:fs/promises';
import { readDurationSetting, readIntegerSetting, type ResolvedSettings } from '@mamori/policy';
import { asc, desc, sql } from 'drizzle-orm';
import type { TenantTx } from '../db/database.js';
import { durationHours } from '../settings/pack-settings.js';
import { operationLogCheckpoints } from './oplog.tables.js';
import { formatCheckpoint, openCheckpoint, signNote, type NoteSigner } from './signed-note.js';
import type { NoteVerifier } from './signed-note.js';

/** std-7.1.6.2: a checkpoint is signed at least every this many entries. */
export const CHECKPOINT_EVERY_ENTRIES = 'log.checkpoint.every_entries';
/** std-7.1.6.2: … and no entry stays unsigned longer than this. */
export const CHECKPOINT_INTERVAL = 'log.checkpoint.interval';

/** When a tenant's chain head is signed. */
export interface CheckpointPolicy {
  /** Sign once this many entries were added since the last checkpoint. */
  readonly everyEntries: number;
  /** Sign once the oldest unsigned entry is this old (milliseconds). */
  readonly intervalMs: number;
}

/** The checkpoint policy of a tenant's effective settings (std-7.1.6.2). */
export function readCheckpointPolicy(settings: ResolvedSettings): CheckpointPolicy {
  const interval = readDurationSetting(settings, CHECKPOINT_INTERVAL);
  return {
    everyEntries: readIntegerSetting(settings, CHECKPOINT_EVERY_ENTRIES),
    intervalMs: Math.round(durationHours(interval) * 3_600_000),
  };
}

/** The C2SP origin line of a tenant's log: `mamori/<tenant code>/oplog`. */
export function checkpointOrigin(tenantCode: string): string {
  if (!/^\d{6}$/.test(tenantCode)) throw new Error(`not a tenant code: ${tenantCode}`);
  return `mamori/${tenantCode}/oplog`;
}

export type CheckpointRow = typeof operationLogCheckpoints.$inferSelect;

/** The tenant's stored checkpoints, oldest first. */
export async function listCheckpoints(tx: TenantTx): Promise<CheckpointRow[]> {
  return tx.select().from(operationLogCheckpoints).orderBy(asc(operationLogCheckpoints.size));
}

async function lastCheckpoint(tx: TenantTx): Promise<CheckpointRow | null> {
  const rows = await tx
    .select()
    .from(operationLogCheckpoints)
    .orderBy(desc(operationLogCheckpoints.size))
    .limit(1);
  return rows[0] ?? null;
}

/**
 * Appends a signed note to the checkpoint file (blocks separated by a blank
 * line) and fsyncs it. One write in append mode, so concurrent writers on the
 * host do not interleave.
 */
export async function appendCheckpointNote(file: string, note: string): Promise<void> {
  const handle = await open(file, 'a', 0o644);
  try {
    await handle.write(Buffer.from(`${note}\n`, 'utf8'));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export type CheckpointOutcome =
  | {
      readonly kind: 'created';
      readonly size: number;
      readonly headHash: Buffer;
      readonly note: string;
    }
  | { readonly kind: 'not_due'; readonly size: number }
  /** Another run stored a checkpoint of this size first (at-least-once jobs). */
  | { readonly kind: 'exists'; readonly size: number }
  /**
   * The entries since the last checkpoint do not extend it, or the last
   * checkpoint does not verify: nothing is signed (run verify-log).
   */
  | {
      readonly kind: 'refused';
      readonly size: number;
      readonly seq: number;
      readonly reason: string;
    };

interface Head {
  readonly size: number;
  readonly hash: Buffer | null;
  readonly oldestUnsignedAt: Date | null;
}

async function readHead(tx: TenantTx, signedSize: number): Promise<Head> {
  const r = await tx.execute<{ seq: string | null; hash: Buffer | null; oldest: Date | null }>(sql`
    SELECT l.seq::text AS seq, l.hash,
           (SELECT logged_at FROM operation_log WHERE seq = ${signedSize + 1}) AS oldest
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (SELECT seq, hash FROM operation_log ORDER BY seq DESC LIMIT 1) l ON true`);
  const row = r.rows[0];
  return {
    size: row?.seq ? Number(row.seq) : 0,
    hash: row?.hash ?? null,
    oldestUnsignedAt: row?.oldest ? new Date(row.oldest) : null,
  };
}

/**
 * Checks that entries `from+1 … to` link to `fromHash` and hash correctly, in
 * PostgreSQL: a checkpoint never signs a chain that does not extend the last
 * signed one. Returns the first bad seq, or null.
 */
async function firstBreakSince(
  tx: TenantTx,
  from: number,
  fromHash: Buffer,
  to: number,
): Promise<{ seq: number; kind: string } | null> {
  const r = await tx.execute<{ n: string; bad_seq: string | null; bad_kind: string | null }>(sql`
    WITH c AS (
      SELECT seq,
        CASE
          WHEN seq <> coalesce(lag(seq) OVER w, ${from}::bigint) + 1 THEN 'gap'
          WHEN canonical <> convert_to(mamori_log_canonical(tenant_id, seq, logged_at, actor_type,
                 actor_id, action, subject_type, subject_id, payload_digest), 'UTF8') THEN 'fields'
          WHEN prev_hash <> coalesce(lag(hash) OVER w, ${fromHash}::bytea) THEN 'link'
          WHEN hash <> sha256(prev_hash || canonical) THEN 'hash'
        END AS kind
      FROM operation_log WHERE seq > ${from} AND seq <= ${to}
      WINDOW w AS (ORDER BY seq)
    )
    SELECT count(*)::text AS n, min(seq) FILTER (WHERE kind IS NOT NULL)::text AS bad_seq,
           (array_agg(kind ORDER BY seq) FILTER (WHERE kind IS NOT NULL))[1] AS bad_kind
      FROM c`);
  const row = r.rows[0];
  if (row?.bad_seq && row.bad_kind) return { seq: Number(row.bad_seq), kind: row.bad_kind };
  if (Number(row?.n ?? 0) !== to - from) return { seq: from + 1, kind: 'gap' };
  return null;
}

/**
 * Signs the tenant's chain head when a checkpoint is due (std-7.1.4.2,
 * std-7.1.6.2): `policy.everyEntries` entries since the last checkpoint, or
 * the oldest unsigned entry is `policy.intervalMs` old. Nothing happens when
 * the head has not moved. The checkpoint `{origin, size, head hash}` is stored
 * in operation_log_checkpoints (idempotent on (tenant, size)) and appended to
 * `file`. Before signing, the last checkpoint is verified with the key and
 * the entries since it are re-hashed: a broken chain is refused, not signed.
 */
export async function createCheckpointIfDue(
  tx: TenantTx,
  tenant: { readonly code: string },
  policy: CheckpointPolicy,
  key: NoteSigner & { readonly verifier: NoteVerifier },
  file: string | null,
  options: { now?: Date } = {},
): Promise<CheckpointOutcome> {
  const now = options.now ?? new Date();
  const origin = checkpointOrigin(tenant.code);
  const last = await lastCheckpoint(tx);
  const signedSize = last?.size ?? 0;
  const head = await readHead(tx, signedSize);
  if (head.size <= signedSize || !head.hash) return { kind: 'not_due', size: head.size };
  const dueByCount = head.size - signedSize >= policy.everyEntries;
  const dueByTime =
    head.oldestUnsignedAt !== null &&
    now.getTime() - head.oldestUnsignedAt.getTime() >= policy.intervalMs;
  if (!dueByCount && !dueByTime) return { kind: 'not_due', size: head.size };

  let fromHash: Buffer = Buffer.alloc(32);
  if (last) {
    try {
      const signed = openCheckpoint(last.note, [key.verifier]);
      if (
        signed.origin !== origin ||
        signed.size !== last.size ||
        !signed.rootHash.equals(last.headHash)
      ) {
        throw new Error('the row does not match its note');
      }
    } catch (err) {
      return {
        kind: 'refused',
        size: head.size,
        seq: last.size,
        reason: `the last checkpoint (size ${String(last.size)}) does not verify: ${(err as Error).message}`,
      };
    }
    fromHash = last.headHash;
  }
  const broken = await firstBreakSince(tx, signedSize, fromHash, head.size);
  if (broken) {
    return {
      kind: 'refused',
      size: head.size,
      seq: broken.seq,
      reason: `entry ${String(broken.seq)} does not extend the last checkpoint (${broken.kind})`,
    };
  }

  const note = signNote(formatCheckpoint({ origin, size: head.size, rootHash: head.hash }), key);
  const inserted = await tx
    .insert(operationLogCheckpoints)
    .values({
      tenantId: tx.scope.tenantId,
      size: head.size,
      headHash: head.hash,
      keyName: key.name,
      note,
    })
    .onConflictDoNothing()
    .returning({ size: operationLogCheckpoints.size });
  if (inserted.length === 0) return { kind: 'exists', size: head.size };
  // Before commit: a note in the file whose row then fails to commit is still
  // a true statement about committed entries; a committed row is never missing
  // from the file.
  if (file) await appendCheckpointNote(file, note);
  return { kind: 'created', size: head.size, headHash: head.hash, note };
}
