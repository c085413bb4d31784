import { and, asc, desc, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { TenantTx } from '../db/database.js';
import { operationLog } from './oplog.tables.js';

export interface OperationLogFilter {
  /** Inclusive, Asia/Tokyo calendar dates (YYYY-MM-DD). */
  readonly fromDate?: string;
  readonly toDate?: string;
  readonly actorId?: string;
  readonly action?: string;
  readonly subjectType?: string;
  readonly subjectId?: string;
}

/** Per entry, as the viewer shows it (std-7.1.6.3: logs reviewed). */
export type EntryVerification = 'verified' | 'broken';

export interface OperationLogEntry {
  readonly seq: number;
  readonly loggedAt: Date;
  readonly actorType: string;
  readonly actorId: string;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly payloadDigest: string;
  readonly hashHex: string;
  /** The entry's own hash, fields and link to the previous entry check out. */
  readonly verification: EntryVerification;
  /** Covered by a signed checkpoint (a later edit would contradict a signature). */
  readonly checkpointed: boolean;
  readonly payloadErased: boolean;
}

export interface OperationLogPage {
  readonly entries: readonly OperationLogEntry[];
  /** Pass as `beforeSeq` for the next (older) page; null at the start of the log. */
  readonly nextBeforeSeq: number | null;
}

function conditions(filter: OperationLogFilter): SQL[] {
  const c: SQL[] = [];
  // Calendar dates are Asia/Tokyo days (architecture.md "Tenants, time").
  if (filter.fromDate)
    c.push(
      gte(
        operationLog.loggedAt,
        sql`(${filter.fromDate}::date)::timestamp AT TIME ZONE 'Asia/Tokyo'`,
      ),
    );
  if (filter.toDate)
    c.push(
      lt(
        operationLog.loggedAt,
        sql`((${filter.toDate}::date) + 1)::timestamp AT TIME ZONE 'Asia/Tokyo'`,
      ),
    );
  if (filter.actorId) c.push(eq(operationLog.actorId, filter.actorId));
  if (filter.action) c.push(eq(operationLog.action, filter.action));
  if (filter.subjectType) c.push(eq(operationLog.subjectType, filter.subjectType));
  if (filter.subjectId) c.push(eq(operationLog.subjectId, filter.subjectId));
  return c;
}

/**
 * Lists the tenant's operation log, newest first, filtered and paged by seq
 * (keyset), each entry with its verification state: its hash recomputed in
 * PostgreSQL over the stored bytes, its fields against those bytes, and its
 * link to the previous entry.
 */
export async function listOperationLog(
  tx: TenantTx,
  filter: OperationLogFilter,
  page: { limit: number; beforeSeq?: number },
): Promise<OperationLogPage> {
  const where = conditions(filter);
  if (page.beforeSeq !== undefined) where.push(lt(operationLog.seq, page.beforeSeq));
  const rows = await selectEntries(tx, where, 'desc', page.limit + 1);
  const entries = rows.slice(0, page.limit);
  return {
    entries,
    nextBeforeSeq: rows.length > page.limit ? (entries.at(-1)?.seq ?? null) : null,
  };
}

async function selectEntries(
  tx: TenantTx,
  where: SQL[],
  order: 'asc' | 'desc',
  limit: number,
): Promise<OperationLogEntry[]> {
  const rows = await tx
    .select({
      seq: operationLog.seq,
      loggedAt: operationLog.loggedAt,
      actorType: operationLog.actorType,
      actorId: operationLog.actorId,
      action: operationLog.action,
      subjectType: operationLog.subjectType,
      subjectId: operationLog.subjectId,
      payloadDigest: operationLog.payloadDigest,
      hashHex: sql<string>`encode(${operationLog.hash}, 'hex')`,
      isVerified: sql<boolean>`(
        ${operationLog.hash} = sha256(${operationLog.prevHash} || ${operationLog.canonical})
        AND mamori_log_fields_match(${operationLog.canonical}, ${operationLog.tenantId},
              ${operationLog.seq}, ${operationLog.loggedAt}, ${operationLog.actorType}, ${operationLog.actorId},
              ${operationLog.action}, ${operationLog.subjectType}, ${operationLog.subjectId},
              ${operationLog.payloadDigest})
        AND ${operationLog.prevHash} = coalesce(
              (SELECT p.hash FROM operation_log p WHERE p.seq = operation_log.seq - 1),
              CASE WHEN ${operationLog.seq} = 1 THEN '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea END))`,
      isCheckpointed: sql<boolean>`${operationLog.seq} <= coalesce((SELECT max(size) FROM operation_log_checkpoints), 0)`,
      isPayloadErased: sql<boolean>`EXISTS (SELECT 1 FROM operation_log_payloads p
        WHERE p.seq = operation_log.seq AND p.erased_at IS NOT NULL)`,
    })
    .from(operationLog)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(order === 'desc' ? desc(operationLog.seq) : asc(operationLog.seq))
    .limit(limit);
  return rows.map((r) => ({
    seq: r.seq,
    loggedAt: r.loggedAt,
    actorType: r.actorType,
    actorId: r.actorId,
    action: r.action,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    payloadDigest: r.payloadDigest,
    hashHex: r.hashHex,
    verification: r.isVerified ? 'verified' : 'broken',
    checkpointed: r.isCheckpointed,
    payloadErased: r.isPayloadErased,
  }));
}

/** All entries matching the filter, oldest first, in batches (for exports). */
export async function* iterateOperationLog(
  tx: TenantTx,
  filter: OperationLogFilter,
  batch = 2000,
): AsyncGenerator<OperationLogEntry> {
  let afterSeq = 0;
  for (;;) {
    const rows = await selectEntries(
      tx,
      [...conditions(filter), gt(operationLog.seq, afterSeq)],
      'asc',
      batch,
    );
    yield* rows;
    const last = rows.at(-1);
    if (rows.length < batch || !last) return;
    afterSeq = last.seq;
  }
}
