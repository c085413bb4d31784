import { sql } from 'drizzle-orm';
import type { TenantTx } from '../db/database.js';
import { payloadDigest, type JsonValue } from './canonical.js';

export type ChainProblemKind =
  | 'gap' // a seq is missing or repeated (deleted or inserted row)
  | 'fields' // the row's columns no longer match the bytes that were hashed
  | 'link' // prev_hash is not the previous entry's hash (reordered, forged)
  | 'hash' // hash ≠ SHA-256(prev_hash ‖ canonical)
  | 'payload' // the payload no longer matches its chained digest
  | 'head'; // the head says the chain is longer (truncated tail)

export interface ChainProblem {
  readonly seq: number;
  readonly kind: ChainProblemKind;
  readonly message: string;
}

export interface ChainVerification {
  /** Number of entries. */
  readonly size: number;
  /** The last entry's hash (the chain head), or null for an empty chain. */
  readonly headHash: Buffer | null;
  /** The first problem found (in seq order), or null when the chain verifies. */
  readonly problem: ChainProblem | null;
}

const MESSAGES: Record<ChainProblemKind, string> = {
  gap: 'entry missing or duplicated before this sequence number',
  fields: 'the entry was edited: its fields no longer match the hashed bytes',
  link: 'the entry does not link to the previous entry (reordered or forged)',
  hash: 'the entry hash does not match its contents',
  payload: 'the payload no longer matches its chained digest',
  head: 'the chain is shorter than its recorded head (entries removed at the end)',
};

function problem(seq: number, kind: ChainProblemKind): ChainProblem {
  return { seq, kind, message: MESSAGES[kind] };
}

/** The order in which kinds are reported when one entry fails several checks. */
const PRIORITY = ['gap', 'fields', 'link', 'hash'] as const;

/**
 * Recomputes the tenant's chain inside PostgreSQL (sha256(), lag()), so it
 * depends on the stored bytes only, never on how a driver parses timestamps or
 * bigints. Then checks the head row and every payload that has not been erased.
 *
 * One statement, one snapshot, two passes (docs/performance.md, "verify"):
 * - per entry, with no window so PostgreSQL can use parallel workers: `fields`
 *   (mamori_log_fields_match, migration 0012) and `hash`;
 * - in seq order, over the narrow columns only: `gap` and `link` (lag()).
 * Each pass yields the smallest seq failing each check; the first problem is the
 * smallest of those, and on one entry the kinds rank gap, fields, link, hash —
 * what a single pass in seq order reports (std-7.1.4.2).
 */
export async function verifyChain(
  tx: TenantTx,
  options: { checkPayloads?: boolean } = {},
): Promise<ChainVerification> {
  // The explicit tenant condition (RLS applies it too) lets PostgreSQL evaluate
  // the policy's current_setting() once instead of once per row.
  const tenant = tx.scope.tenantId;
  const r = await tx.execute<{
    size: string;
    last_seq: string | null;
    gap: string | null;
    fields: string | null;
    link: string | null;
    hash: string | null;
    head_seq: string | null;
    last_hash: Buffer | null;
  }>(sql`
    WITH per_entry AS (
      SELECT count(*) AS size, max(seq) AS last_seq,
             min(seq) FILTER (WHERE mamori_log_fields_match(canonical, tenant_id, seq, logged_at,
               actor_type, actor_id, action, subject_type, subject_id, payload_digest) IS NOT TRUE) AS fields,
             min(seq) FILTER (WHERE hash IS DISTINCT FROM sha256(prev_hash || canonical)) AS hash
        FROM operation_log
       WHERE tenant_id = ${tenant}::uuid
    ), in_order AS (
      SELECT seq,
             seq <> coalesce(lag(seq) OVER w, 0) + 1 AS gap,
             prev_hash IS DISTINCT FROM coalesce(lag(hash) OVER w,
               '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea) AS link
        FROM operation_log
       WHERE tenant_id = ${tenant}::uuid
      WINDOW w AS (ORDER BY seq)
    ), links AS (
      SELECT min(seq) FILTER (WHERE gap) AS gap, min(seq) FILTER (WHERE link) AS link FROM in_order
    )
    SELECT p.size::text AS size, p.last_seq::text AS last_seq, l.gap::text AS gap,
           p.fields::text AS fields, l.link::text AS link, p.hash::text AS hash,
           (SELECT seq FROM operation_log_heads)::text AS head_seq,
           (SELECT hash FROM operation_log WHERE tenant_id = ${tenant}::uuid
             ORDER BY seq DESC LIMIT 1) AS last_hash
      FROM per_entry p, links l`);
  const row = r.rows[0];
  const size = Number(row?.size ?? 0);
  const lastSeq = row?.last_seq ? Number(row.last_seq) : 0;
  let found: ChainProblem | null = null;
  for (const kind of PRIORITY) {
    const at = row?.[kind];
    if (at && (!found || Number(at) < found.seq)) found = problem(Number(at), kind);
  }

  if (!found && row?.head_seq && Number(row.head_seq) > lastSeq)
    found = problem(lastSeq + 1, 'head');

  if (!found && (options.checkPayloads ?? true)) found = await firstPayloadProblem(tx);

  return { size, headHash: row?.last_hash ?? null, problem: found };
}

const BATCH = 5000;

/** Re-digests every payload not yet erased, in seq order; the first mismatch. */
async function firstPayloadProblem(tx: TenantTx): Promise<ChainProblem | null> {
  let after = 0;
  for (;;) {
    const rows = await tx.execute<{
      seq: string;
      payload_digest: string;
      payload: JsonValue;
      has_row: boolean;
      erased: boolean;
    }>(sql`
      SELECT l.seq::text AS seq, l.payload_digest, p.payload, p.seq IS NOT NULL AS has_row,
             p.erased_at IS NOT NULL AS erased
        FROM operation_log l
        LEFT JOIN operation_log_payloads p ON p.tenant_id = l.tenant_id AND p.seq = l.seq
       WHERE l.seq > ${after} ORDER BY l.seq LIMIT ${BATCH}`);
    for (const r of rows.rows) {
      if (r.erased) continue;
      if (!r.has_row || payloadDigest(r.payload) !== r.payload_digest) {
        return problem(Number(r.seq), 'payload');
      }
    }
    const lastRow = rows.rows.at(-1);
    if (rows.rows.length < BATCH || !lastRow) return null;
    after = Number(lastRow.seq);
  }
}
