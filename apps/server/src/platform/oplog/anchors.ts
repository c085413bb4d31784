import { sql, type SQL } from 'drizzle-orm';
import type { TenantTx } from '../db/database.js';
import { anchoredRecordTypes } from '../anchored-records.js';
import { payloadDigest, type JsonValue } from './canonical.js';

/**
 * A kind of record anchored in the operation log (approval decisions,
 * disposal records, entry logs, work records, audit evidence, setting
 * versions …): each row carries the seq and payload digest of the log entry
 * that recorded it, and its anchored fields must still digest to that value.
 */
export interface AnchoredRecordType {
  /** The log entry's subject type for these records. */
  readonly recordType: string;
  /**
   * SELECT returning, in a stable order, one row per record:
   * `id` (text), `log_seq` (bigint or null), `log_digest` (text or null),
   * `fields` (json: exactly the payload that was logged).
   */
  readonly selectSql: SQL;
}

export interface AnchorProblem {
  readonly recordType: string;
  readonly recordId: string;
  readonly seq: number;
  readonly message: string;
}

/**
 * Recomputes every anchored record's digest and compares it with its log
 * entry (std-7.1.4.2, std-10.1.6): a record edited directly in SQL no longer
 * matches the digest the chain carries. Returns the first mismatch.
 */
export async function verifyAnchoredRecords(
  tx: TenantTx,
  types: readonly AnchoredRecordType[] = anchoredRecordTypes,
): Promise<{ problem: AnchorProblem | null; checked: number }> {
  let checked = 0;
  for (const type of types) {
    const rows = await tx.execute<{
      id: string;
      log_seq: string | null;
      log_digest: string | null;
      fields: JsonValue;
      entry_digest: string | null;
      entry_subject_type: string | null;
      entry_subject_id: string | null;
    }>(sql`
      SELECT r.id, r.log_seq::text AS log_seq, r.log_digest, r.fields,
             l.payload_digest AS entry_digest, l.subject_type AS entry_subject_type,
             l.subject_id AS entry_subject_id
        FROM (${type.selectSql}) r
        LEFT JOIN operation_log l ON l.seq = r.log_seq`);
    for (const r of rows.rows) {
      checked++;
      const seq = r.log_seq === null ? 0 : Number(r.log_seq);
      const fail = (message: string) => ({
        problem: { recordType: type.recordType, recordId: r.id, seq, message },
        checked,
      });
      if (r.log_seq === null || r.log_digest === null)
        return fail('the record is not anchored in the operation log');
      if (r.entry_digest === null) return fail('the log entry the record points to does not exist');
      if (r.entry_subject_type !== type.recordType || r.entry_subject_id !== r.id) {
        return fail('the log entry the record points to is about another record');
      }
      if (r.log_digest !== r.entry_digest)
        return fail('the record carries a digest its log entry does not');
      if (payloadDigest(r.fields) !== r.entry_digest) {
        return fail(
          'the record was changed after it was logged: its fields no longer match the logged digest',
        );
      }
    }
  }
  return { problem: null, checked };
}
