import { sql, type SQL } from 'drizzle-orm';
import type { TenantTx } from '../db/database.js';
import { normalizeStrings, payloadDigest, type JsonValue } from './canonical.js';

/** Who did it: a person's account, a job or the operator's CLI. */
export type Actor =
  | { readonly type: 'account'; readonly id: string }
  | { readonly type: 'system'; readonly id: string }
  | { readonly type: 'operator'; readonly id: string };

/** One operation-log event: modules declare theirs as a discriminated union on `action`. */
export interface OperationEvent {
  /** `<module>.<verb>`, e.g. `settings.changed`. */
  readonly action: string;
  readonly subject: { readonly type: string; readonly id: string };
  /** What changed; chained only through its digest (erasable at the end of retention). */
  readonly payload: JsonValue;
}

export interface LoggedEntry {
  readonly seq: number;
  readonly hash: Buffer;
  readonly payloadDigest: string;
  readonly loggedAt: Date;
}

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/**
 * The append of one event as a SQL fragment returning `(seq, hash, logged_at)`,
 * and the payload digest. For records anchored in the log: the repository
 * inserts the record in the same statement (`WITH log AS (…) INSERT … SELECT
 * log.seq …`), so the append stays the transaction's last statement.
 */
export function operationAppendSql(
  tx: TenantTx,
  actor: Actor,
  event: OperationEvent,
): { fragment: SQL; payloadDigest: string } {
  if (!ACTION.test(event.action)) throw new Error(`not an action name: ${event.action}`);
  if (!actor.id) throw new Error('an operation needs an actor');
  const payload = normalizeStrings(event.payload);
  const digest = payloadDigest(payload);
  return {
    payloadDigest: digest,
    fragment: sql`SELECT seq, hash, logged_at FROM mamori_log_append(
      ${tx.scope.tenantId}::uuid, ${actor.type}, ${actor.id}, ${event.action},
      ${event.subject.type}, ${event.subject.id}, ${digest}, ${JSON.stringify(payload)}::jsonb)`,
  };
}

/**
 * Appends an event to the tenant's operation log in the caller's transaction
 * (std-7.1.4, std-7.1.6). Call it as the transaction's last statement: it
 * takes the tenant's head lock, which is held until commit. Nothing is logged
 * that did not commit, and no change commits without its entry.
 */
export async function recordOperation(
  tx: TenantTx,
  actor: Actor,
  event: OperationEvent,
): Promise<LoggedEntry> {
  const { fragment, payloadDigest: digest } = operationAppendSql(tx, actor, event);
  const result = await tx.execute<{ seq: string; hash: Buffer; logged_at: string }>(fragment);
  const row = result.rows[0];
  if (!row) throw new Error('operation log append returned no row');
  // execute() returns timestamptz as text: convert here.
  return {
    seq: Number(row.seq),
    hash: row.hash,
    payloadDigest: digest,
    loggedAt: new Date(row.logged_at),
  };
}
