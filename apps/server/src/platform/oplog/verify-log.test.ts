import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { tamper } from '../../../test/tamper.js';
import { inTenant, tenantScope } from '../db/database.js';
import { payloadDigest } from './canonical.js';
import { checkpointOrigin, createCheckpointIfDue } from './checkpoints.js';
import { recordOperation } from './oplog.service.js';
import { ed25519Signer, formatCheckpoint, signNote } from './signed-note.js';
import { ensureSigningKey, loadSigningKey, type SigningKey } from './signing-key.js';
import { verifyChain } from './verify-chain.js';
import { verifyOperationLog, type LogVerificationReport } from './verify-log.js';

let db: TestDatabase;
let key: SigningKey;
let tmp: string;

beforeAll(async () => {
  db = await createTestDatabase();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'mamori-verify-'));
  await ensureSigningKey(path.join(tmp, 'keys'), { keyName: 'mamori-test-oplog' });
  key = await loadSigningKey(path.join(tmp, 'keys'));
});
afterAll(async () => {
  await db.drop();
  await rm(tmp, { recursive: true, force: true });
});

const ENTRIES = 12;

/**
 * A tenant with 12 entries and signed checkpoints at 5 and 10, stored in the
 * database and in its own checkpoint file (the copy kept elsewhere).
 */
async function loggedTenant(): Promise<{ t: TestTenant; file: string }> {
  const t = await createTenant(db.ownerUrl);
  const file = path.join(tmp, `checkpoints-${t.code}.txt`);
  for (let i = 1; i <= ENTRIES; i++) {
    await inTenant(db.app, tenantScope(t.id), async (tx) => {
      await recordOperation(
        tx,
        { type: 'account', id: 'a1' },
        { action: 'test.recorded', subject: { type: 'test', id: String(i) }, payload: { i } },
      );
    });
    if (i % 5 === 0) {
      const outcome = await inTenant(db.app, tenantScope(t.id), (tx) =>
        createCheckpointIfDue(tx, t, { everyEntries: 5, intervalMs: 3_600_000 }, key, file),
      );
      expect(outcome.kind).toBe('created');
    }
  }
  return { t, file };
}

async function verify(t: TestTenant, file?: string): Promise<LogVerificationReport> {
  return verifyOperationLog(db.app, {
    tenantId: t.id,
    verifierKey: key.verifier,
    ...(file ? { checkpointsText: await readFile(file, 'utf8') } : {}),
  });
}

/**
 * What an attacker with owner access but without the key can do: recompute
 * every hash from `fromSeq` with the database's own canonical function and
 * sha256(), and move the head along, so the chain is internally consistent.
 */
function recomputeChain(fromSeq: number): string {
  return `DO $$
    DECLARE r record; prev bytea; c bytea;
    BEGIN
      prev := coalesce((SELECT hash FROM operation_log WHERE seq = ${String(fromSeq - 1)}),
                       decode(repeat('00', 32), 'hex'));
      FOR r IN SELECT * FROM operation_log WHERE seq >= ${String(fromSeq)} ORDER BY seq LOOP
        c := convert_to(mamori_log_canonical(r.tenant_id, r.seq, r.logged_at, r.actor_type,
               r.actor_id, r.action, r.subject_type, r.subject_id, r.payload_digest), 'UTF8');
        UPDATE operation_log SET prev_hash = prev, canonical = c, hash = sha256(prev || c)
         WHERE tenant_id = r.tenant_id AND seq = r.seq;
        prev := sha256(prev || c);
      END LOOP;
      UPDATE operation_log_heads SET seq = (SELECT max(seq) FROM operation_log), hash = prev;
    END $$`;
}

/** Inserts a forged entry at `seq`, shifting the later entries up by one. */
function insertForgedRow(t: TestTenant, seq: number): string[] {
  const digest = payloadDigest({ forged: true });
  const cols =
    'tenant_id, logged_at, actor_type, actor_id, action, subject_type, subject_id, payload_digest, prev_hash, hash, canonical';
  return [
    `CREATE TEMP TABLE moved_log ON COMMIT DROP AS SELECT * FROM operation_log WHERE seq >= ${String(seq)}`,
    `CREATE TEMP TABLE moved_payloads ON COMMIT DROP AS SELECT * FROM operation_log_payloads WHERE seq >= ${String(seq)}`,
    `DELETE FROM operation_log_payloads WHERE seq >= ${String(seq)}`,
    `DELETE FROM operation_log WHERE seq >= ${String(seq)}`,
    `INSERT INTO operation_log (seq, ${cols}) SELECT seq + 1, ${cols} FROM moved_log`,
    `INSERT INTO operation_log_payloads (tenant_id, seq, payload, erased_at, erased_reason)
       SELECT tenant_id, seq + 1, payload, erased_at, erased_reason FROM moved_payloads`,
    `INSERT INTO operation_log (seq, ${cols})
       SELECT ${String(seq)}, tenant_id, logged_at, 'account', 'attacker', 'test.recorded', 'test',
              'forged', '${digest}', prev_hash, hash, canonical FROM moved_log WHERE seq = ${String(seq)}`,
    `INSERT INTO operation_log_payloads (tenant_id, seq, payload)
       VALUES ('${t.id}', ${String(seq)}, '{"forged": true}')`,
    recomputeChain(seq),
  ];
}

const unlockCheckpoints = 'ALTER TABLE operation_log_checkpoints DISABLE TRIGGER USER';
const relockCheckpoints = 'ALTER TABLE operation_log_checkpoints ENABLE TRIGGER USER';

/** The chain alone (no checkpoints) verifies: the attacker's rewrite is consistent. */
async function chainAloneVerifies(t: TestTenant): Promise<void> {
  const chain = await inTenant(db.app, tenantScope(t.id), (tx) => verifyChain(tx));
  expect(chain.problem).toBeNull();
}

describe('verify-log (std-7.1.4.2, std-7.1.6.1–3, std-10.1.6)', () => {
  it('passes a clean log and reports size, head and checkpoints checked', async () => {
    const { t, file } = await loggedTenant();
    const report = await verify(t, file);
    const head = await inTenant(db.app, tenantScope(t.id), (tx) => verifyChain(tx));
    expect(report.ok).toBe(true);
    expect(report.fileProblems).toEqual([]);
    expect(report.tenants).toEqual([
      {
        tenantId: t.id,
        tenantCode: t.code,
        tenantName: t.name,
        size: ENTRIES,
        headHash: head.headHash?.toString('hex'),
        checkpointsChecked: 2,
        fileCheckpointsChecked: 2,
        recordsChecked: 0,
        problems: [],
      },
    ]);
  });

  it('catches a forged row inserted before the last checkpoint with the chain recomputed', async () => {
    const { t, file } = await loggedTenant();
    await tamper(db.ownerUrl, t.id, insertForgedRow(t, 3));
    await chainAloneVerifies(t);
    const report = await verify(t, file);
    expect(report.ok).toBe(false);
    const problems = report.tenants[0]?.problems ?? [];
    expect(problems[0]).toMatchObject({
      kind: 'checkpoint_mismatch',
      seq: 5,
      checkpoint: { source: 'database', size: 5 },
    });
    expect(problems[0]?.message).toMatch(/does not hash to the root signed in checkpoint 5/);
    expect(problems[1]).toMatchObject({
      kind: 'checkpoint_mismatch',
      checkpoint: { source: 'file', size: 5 },
    });
  });

  it('catches a truncated tail shorter than the last checkpoint', async () => {
    const { t } = await loggedTenant();
    // The attacker also moves the head back, so the head row does not give it away.
    await tamper(db.ownerUrl, t.id, [
      'DELETE FROM operation_log_payloads WHERE seq > 8',
      'DELETE FROM operation_log WHERE seq > 8',
      'UPDATE operation_log_heads SET seq = 8, hash = (SELECT hash FROM operation_log WHERE seq = 8)',
    ]);
    await chainAloneVerifies(t);
    const report = await verify(t);
    expect(report.tenants[0]?.problems).toEqual([
      {
        kind: 'checkpoint_truncated',
        seq: 9,
        checkpoint: { source: 'database', size: 10 },
        message: 'truncated tail: the chain has 8 entries, shorter than checkpoint 10',
      },
    ]);
  });

  it('catches a recomputed chain whose database checkpoints were re-signed with another key', async () => {
    const { t } = await loggedTenant();
    const { privateKey } = generateKeyPairSync('ed25519');
    // Same key name as ours: only the key ID and the signature tell them apart.
    const forger = ed25519Signer('mamori-test-oplog', privateKey);
    await tamper(db.ownerUrl, t.id, insertForgedRow(t, 3));
    const client = new pg.Client({ connectionString: db.ownerUrl });
    await client.connect();
    let notes: { size: number; hash: Buffer; note: string }[];
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [t.id]);
      const r = await client.query<{ seq: string; hash: Buffer }>(
        'SELECT seq::text AS seq, hash FROM operation_log WHERE seq IN (5, 10) ORDER BY seq',
      );
      await client.query('COMMIT');
      notes = r.rows.map((row) => ({
        size: Number(row.seq),
        hash: row.hash,
        note: signNote(
          formatCheckpoint({
            origin: checkpointOrigin(t.code),
            size: Number(row.seq),
            rootHash: row.hash,
          }),
          forger,
        ),
      }));
    } finally {
      await client.end();
    }
    await tamper(db.ownerUrl, t.id, [
      unlockCheckpoints,
      'DELETE FROM operation_log_checkpoints',
      ...notes.map(
        (n) => `INSERT INTO operation_log_checkpoints (tenant_id, size, head_hash, key_name, note)
                VALUES ('${t.id}', ${String(n.size)}, '\\x${n.hash.toString('hex')}', 'mamori-test-oplog',
                        '${n.note}')`,
      ),
      relockCheckpoints,
    ]);
    await chainAloneVerifies(t);
    const report = await verify(t);
    expect(report.tenants[0]?.problems[0]).toMatchObject({
      kind: 'checkpoint_unknown_key',
      seq: 5,
      checkpoint: { source: 'database', size: 5 },
    });
  });

  it('catches checkpoint rows whose signed root was edited to the recomputed head (bad signature)', async () => {
    const { t } = await loggedTenant();
    await tamper(db.ownerUrl, t.id, [
      ...insertForgedRow(t, 3),
      unlockCheckpoints,
      // Rewrite the root line of each note (and the column) to the new hash, keeping the signature.
      `UPDATE operation_log_checkpoints c SET
         head_hash = l.hash,
         note = replace(c.note, encode(c.head_hash, 'base64'), encode(l.hash, 'base64'))
        FROM operation_log l WHERE l.seq = c.size`,
      relockCheckpoints,
    ]);
    const report = await verify(t);
    expect(report.tenants[0]?.problems[0]).toMatchObject({
      kind: 'checkpoint_bad_signature',
      seq: 5,
      checkpoint: { source: 'database', size: 5 },
    });
  });

  it('catches a recomputed chain with the database checkpoints deleted, given the external file', async () => {
    const { t, file } = await loggedTenant();
    await tamper(db.ownerUrl, t.id, [
      ...insertForgedRow(t, 7),
      unlockCheckpoints,
      'DELETE FROM operation_log_checkpoints',
      relockCheckpoints,
    ]);
    // Without the copy kept elsewhere nothing is left to contradict the rewrite …
    expect((await verify(t)).ok).toBe(true);
    // … with it, the head at checkpoint 10 does not match.
    const report = await verify(t, file);
    expect(report.ok).toBe(false);
    expect(report.tenants[0]).toMatchObject({ checkpointsChecked: 0, fileCheckpointsChecked: 2 });
    expect(report.tenants[0]?.problems).toEqual([
      {
        kind: 'checkpoint_mismatch',
        seq: 10,
        checkpoint: { source: 'file', size: 10 },
        message: expect.stringMatching(/entry 10 does not hash to the root/) as string,
      },
    ]);
  });

  it('names the first broken entry of the chain itself (edited payload digest)', async () => {
    const { t } = await loggedTenant();
    await tamper(db.ownerUrl, t.id, [
      `UPDATE operation_log SET payload_digest = repeat('0', 64) WHERE seq = 2`,
    ]);
    const report = await verify(t);
    expect(report.tenants[0]?.problems[0]).toMatchObject({ kind: 'fields', seq: 2 });
  });

  it('reports a malformed checkpoint file and notes of unknown origins', async () => {
    const { t, file } = await loggedTenant();
    const text = await readFile(file, 'utf8');
    const broken = await verifyOperationLog(db.app, {
      tenantId: t.id,
      verifierKey: key.verifier,
      checkpointsText: text.replace('\n\n', '\n'),
    });
    expect(broken.ok).toBe(false);
    expect(broken.fileProblems[0]).toMatch(/the checkpoint file is malformed: line 1/);

    const stray = text.replaceAll(checkpointOrigin(t.code), 'mamori/000000/oplog');
    const all = await verifyOperationLog(db.app, {
      verifierKey: key.verifier,
      checkpointsText: stray,
    });
    expect(all.fileProblems).toEqual([
      'the checkpoint file has notes of "mamori/000000/oplog", no tenant here',
    ]);
  });

  it('never stores the signing key in the database', async () => {
    await loggedTenant();
    const pem = await readFile(key.paths.privateKey, 'utf8');
    const jwk = createPrivateKey(pem).export({ format: 'jwk' });
    const seed = Buffer.from(jwk.d ?? '', 'base64url');
    expect(seed).toHaveLength(32);
    const needles = [
      seed.toString('hex'),
      seed.toString('base64'),
      seed.toString('base64url'),
      pem.split('\n')[1] ?? 'x',
    ];
    const client = new pg.Client({ connectionString: db.ownerUrl });
    await client.connect();
    try {
      const tables = await client.query<{ name: string }>(
        `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
          WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'`,
      );
      const tenants = await client.query<{ id: string }>('SELECT id FROM tenants');
      let dump = '';
      for (const tenant of tenants.rows) {
        await client.query('BEGIN');
        await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.id]);
        for (const { name } of tables.rows) {
          const r = await client.query<{ d: string | null }>(
            `SELECT string_agg(t::text, E'\\n') AS d FROM ${name} t`,
          );
          dump += r.rows[0]?.d ?? '';
        }
        await client.query('COMMIT');
      }
      expect(dump).toContain('mamori-test-oplog'); // the dump holds the checkpoints …
      for (const needle of needles) expect(dump).not.toContain(needle); // … never the key
    } finally {
      await client.end();
    }
  });
});
