import { sql } from 'drizzle-orm';
import type { Database, TenantTx } from '../db/database.js';
import { inSystem, inTenant, tenantScope } from '../db/database.js';
import { findTenantById, listTenants, type TenantRow } from '../tenancy/tenancy.repository.js';
import { verifyAnchoredRecords } from './anchors.js';
import { GENESIS_HASH } from './canonical.js';
import { checkpointOrigin, listCheckpoints } from './checkpoints.js';
import {
  openCheckpoint,
  SignedNoteError,
  splitNotes,
  type Checkpoint,
  type NoteVerifier,
} from './signed-note.js';
import { verifyChain, type ChainProblemKind } from './verify-chain.js';

/**
 * What verify-log reports (docs/operation-log.md explains each kind):
 * - the chain's own kinds (verify-chain.ts): gap, fields, link, hash, payload, head;
 * - `checkpoint_format`: a checkpoint note that does not parse, names another
 *   tenant, or whose database row does not match its note;
 * - `checkpoint_unknown_key`: not signed by the log's public key (a forged checkpoint);
 * - `checkpoint_bad_signature`: signed by the key name but the text was altered;
 * - `checkpoint_truncated`: the chain is shorter than a signed checkpoint;
 * - `checkpoint_mismatch`: the entry at the checkpoint's size does not hash to
 *   the signed root (the chain was rewritten before that point);
 * - `record`: an anchored record no longer matches its logged digest.
 */
export type LogProblemKind =
  | ChainProblemKind
  | 'checkpoint_format'
  | 'checkpoint_unknown_key'
  | 'checkpoint_bad_signature'
  | 'checkpoint_truncated'
  | 'checkpoint_mismatch'
  | 'record';

export interface LogProblem {
  readonly kind: LogProblemKind;
  /** The entry where the log stops matching (for a checkpoint: its size). */
  readonly seq: number;
  /** The checkpoint concerned: stored in the database, or from the external file. */
  readonly checkpoint?: { readonly source: 'database' | 'file'; readonly size: number };
  /** The anchored record concerned. */
  readonly record?: { readonly type: string; readonly id: string };
  readonly message: string;
}

export interface TenantLogReport {
  readonly tenantId: string;
  readonly tenantCode: string;
  readonly tenantName: string;
  /** Entries in the chain. */
  readonly size: number;
  /** The chain head (hash of the last entry), hex; null for an empty chain. */
  readonly headHash: string | null;
  /** Checkpoints stored in the database that were checked. */
  readonly checkpointsChecked: number;
  /** Notes of the external checkpoint file for this tenant that were checked. */
  readonly fileCheckpointsChecked: number;
  /** Anchored records whose digest was recomputed. */
  readonly recordsChecked: number;
  /**
   * At most one problem per source (chain, database checkpoints, file
   * checkpoints, anchored records), first (lowest seq) first.
   */
  readonly problems: readonly LogProblem[];
}

export interface LogVerificationReport {
  /** True when every tenant and the checkpoint file verify. */
  readonly ok: boolean;
  readonly tenants: readonly TenantLogReport[];
  /** Problems of the checkpoint file that belong to no tenant (malformed, unknown origin). */
  readonly fileProblems: readonly string[];
}

export interface VerifyOperationLogOptions {
  /** One tenant; all tenants when absent. */
  readonly tenantId?: string;
  /** The contents of a checkpoint file kept outside the database. */
  readonly checkpointsText?: string;
  /** The log's public key (`log-signing.pub`). */
  readonly verifierKey: NoteVerifier;
}

interface NoteSource {
  readonly source: 'database' | 'file';
  readonly note: string;
  /** For database rows: the columns, which must match the signed note. */
  readonly row?: { readonly size: number; readonly headHash: Buffer; readonly keyName: string };
}

/** The first line of a note: its origin (read before verifying, to route it to a tenant). */
function noteOrigin(note: string): string {
  return note.slice(0, note.indexOf('\n'));
}

/** The hash of each entry `seq` in `seqs` (present entries only). */
async function hashesAt(tx: TenantTx, seqs: readonly number[]): Promise<Map<number, Buffer>> {
  const wanted = [...new Set(seqs.filter((s) => s > 0))];
  const out = new Map<number, Buffer>();
  if (wanted.length === 0) return out;
  const r = await tx.execute<{ seq: string; hash: Buffer }>(
    sql`SELECT seq::text AS seq, hash FROM operation_log
         WHERE seq = ANY(${`{${wanted.join(',')}}`}::bigint[])`,
  );
  for (const row of r.rows) out.set(Number(row.seq), row.hash);
  return out;
}

/**
 * Checks signed checkpoints against the chain (std-7.1.4.2): the signature
 * with the public key, the origin, that the chain is at least as long, and
 * that the entry at the checkpoint's size hashes to the signed root. Returns
 * the first problem (lowest size) and how many were checked.
 */
async function checkCheckpoints(
  tx: TenantTx,
  notes: readonly NoteSource[],
  origin: string,
  chainSize: number,
  verifier: NoteVerifier,
): Promise<LogProblem | null> {
  const problems: LogProblem[] = [];
  const opened: { source: NoteSource; checkpoint: Checkpoint }[] = [];
  for (const source of notes) {
    const size = source.row?.size ?? 0;
    const fail = (kind: LogProblemKind, seq: number, message: string) =>
      problems.push({ kind, seq, checkpoint: { source: source.source, size: seq }, message });
    let checkpoint: Checkpoint & { keyName: string };
    try {
      checkpoint = openCheckpoint(source.note, [verifier]);
    } catch (err) {
      if (!(err instanceof SignedNoteError)) throw err;
      const kind: LogProblemKind =
        err.problem === 'unknown_key'
          ? 'checkpoint_unknown_key'
          : err.problem === 'bad_signature'
            ? 'checkpoint_bad_signature'
            : 'checkpoint_format';
      const claimed = Number(source.note.split('\n')[1]);
      fail(kind, source.row ? size : Number.isSafeInteger(claimed) ? claimed : 0, err.message);
      continue;
    }
    if (checkpoint.origin !== origin) {
      fail('checkpoint_format', checkpoint.size, `the checkpoint is of ${checkpoint.origin}`);
      continue;
    }
    if (
      source.row &&
      (source.row.size !== checkpoint.size ||
        !source.row.headHash.equals(checkpoint.rootHash) ||
        source.row.keyName !== checkpoint.keyName)
    ) {
      fail('checkpoint_format', size, "the checkpoint row's columns do not match its signed note");
      continue;
    }
    opened.push({ source, checkpoint });
  }
  const hashes = await hashesAt(
    tx,
    opened.map((o) => o.checkpoint.size),
  );
  for (const { source, checkpoint } of opened) {
    const at = { source: source.source, size: checkpoint.size };
    if (checkpoint.size > chainSize) {
      problems.push({
        kind: 'checkpoint_truncated',
        seq: chainSize + 1,
        checkpoint: at,
        message: `truncated tail: the chain has ${String(chainSize)} entries, shorter than checkpoint ${String(checkpoint.size)}`,
      });
      continue;
    }
    const actual = checkpoint.size === 0 ? GENESIS_HASH : hashes.get(checkpoint.size);
    if (!actual?.equals(checkpoint.rootHash)) {
      problems.push({
        kind: 'checkpoint_mismatch',
        seq: checkpoint.size,
        checkpoint: at,
        message: `entry ${String(checkpoint.size)} does not hash to the root signed in checkpoint ${String(checkpoint.size)}: the chain was rewritten at or before it`,
      });
    }
  }
  problems.sort((a, b) => a.seq - b.seq);
  return problems[0] ?? null;
}

async function verifyTenant(
  db: Database,
  tenant: TenantRow,
  fileNotes: readonly string[] | null,
  verifier: NoteVerifier,
): Promise<TenantLogReport> {
  const origin = checkpointOrigin(tenant.code);
  return inTenant(
    db,
    tenantScope(tenant.id),
    async (tx) => {
      const chain = await verifyChain(tx);
      const rows = await listCheckpoints(tx);
      const problems: LogProblem[] = [];
      if (chain.problem) problems.push(chain.problem);
      const dbProblem = await checkCheckpoints(
        tx,
        rows.map((r) => ({
          source: 'database',
          note: r.note,
          row: { size: r.size, headHash: r.headHash, keyName: r.keyName },
        })),
        origin,
        chain.size,
        verifier,
      );
      if (dbProblem) problems.push(dbProblem);
      const mine = (fileNotes ?? []).filter((n) => noteOrigin(n) === origin);
      const fileProblem = await checkCheckpoints(
        tx,
        mine.map((note) => ({ source: 'file', note })),
        origin,
        chain.size,
        verifier,
      );
      if (fileProblem) problems.push(fileProblem);
      const anchored = await verifyAnchoredRecords(tx);
      if (anchored.problem) {
        const p = anchored.problem;
        problems.push({
          kind: 'record',
          seq: p.seq,
          record: { type: p.recordType, id: p.recordId },
          message: p.message,
        });
      }
      // Stable: at equal seq the chain's own problem comes first.
      problems.sort((a, b) => a.seq - b.seq);
      return {
        tenantId: tenant.id,
        tenantCode: tenant.code,
        tenantName: tenant.name,
        size: chain.size,
        headHash: chain.headHash?.toString('hex') ?? null,
        checkpointsChecked: rows.length,
        fileCheckpointsChecked: mine.length,
        recordsChecked: anchored.checked,
        problems,
      };
    },
    { snapshot: true },
  );
}

/**
 * Verifies the operation log of one tenant or all (std-7.1.4.2, std-7.1.6.1–3,
 * std-10.1.6): recomputes each chain, checks every stored checkpoint and every
 * note of an external checkpoint file against the public key and the chain,
 * and recomputes anchored records. Never throws for a tampered log: the
 * report names the first entry, checkpoint or record that does not match.
 * Used by `verify-log` and by the auditors' API.
 */
export async function verifyOperationLog(
  db: Database,
  options: VerifyOperationLogOptions,
): Promise<LogVerificationReport> {
  const tenants = await inSystem(db, async (tx) => {
    if (options.tenantId === undefined) return listTenants(tx);
    const one = await findTenantById(tx, options.tenantId);
    return one ? [one] : [];
  });
  const fileProblems: string[] = [];
  let fileNotes: string[] | null = null;
  if (options.checkpointsText !== undefined) {
    try {
      fileNotes = splitNotes(options.checkpointsText);
    } catch (err) {
      if (!(err instanceof SignedNoteError)) throw err;
      fileProblems.push(`the checkpoint file is malformed: ${err.message}`);
    }
  }
  if (fileNotes && options.tenantId === undefined) {
    const origins = new Set(tenants.map((t) => checkpointOrigin(t.code)));
    const unknown = new Set(fileNotes.map(noteOrigin).filter((o) => !origins.has(o)));
    for (const o of unknown)
      fileProblems.push(`the checkpoint file has notes of "${o}", no tenant here`);
  }
  const reports: TenantLogReport[] = [];
  for (const tenant of tenants) {
    reports.push(await verifyTenant(db, tenant, fileNotes, options.verifierKey));
  }
  return {
    ok: fileProblems.length === 0 && reports.every((r) => r.problems.length === 0),
    tenants: reports,
    fileProblems,
  };
}
