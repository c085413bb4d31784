#!/usr/bin/env node
// Operation-log append throughput (issue 3, "Bench: append").
// Subject: 50 concurrent writers over 8 tenants, each entry in its own
// transaction through the real path as the app role: inTenant (BEGIN,
// set_config, RLS) + recordOperation (mamori_log_append: head row lock,
// canonical bytes, sha256, log row, payload row, head update) + COMMIT.
// Baseline: the same rows (log row + payload row, bytes computed in Node, no
// chain, no head lock) INSERTed by the superuser into scratch tables of the same
// shape, also one transaction per entry (BEGIN, INSERT, INSERT, COMMIT: the same
// four round trips), same writers, same pool size.
// Also measured: the same 50 writers on 1 tenant (every append waits for the
// previous one's commit). Targets: 8 tenants / baseline ≥ 0.40, and 8 tenants
// faster than 1 tenant.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import {
  concurrently,
  createTenants,
  freshDatabase,
  inTenant,
  median,
  openDatabase,
  report,
  root,
  startEmbeddedCluster,
  tenantScope,
} from './lib.mjs';

const { recordOperation } = await import(
  path.join(root, 'apps/server/dist/platform/oplog/oplog.service.js')
);
const { payloadDigest, entryCanonicalBytes, chainHash, GENESIS_HASH, normalizeStrings } =
  await import(path.join(root, 'apps/server/dist/platform/oplog/canonical.js'));

const TARGET = 0.4;
const WRITERS = 50;
const POOL = 50; // one connection per writer, for both paths
const TENANTS = 8;
const ENTRIES = 5000; // per measurement
const WARMUP = 1000;
const ROUNDS = 3; // median of three, paths interleaved
const DATABASE = 'mamori_bench_append';

const cluster = await startEmbeddedCluster({
  dataDir: path.join(root, '.test-data/bench'),
  database: DATABASE,
});
try {
  await freshDatabase(cluster, DATABASE);
  // PostgreSQL allows 100 connections: each path opens its 50 only while it is
  // measured (opened and warmed before the clock starts, closed after).
  const openOwner = () => {
    const pool = new pg.Pool({ connectionString: cluster.superuserUrl(DATABASE), max: POOL });
    pool.on('error', () => undefined);
    return pool;
  };
  const openApp = () =>
    openDatabase(cluster.appUrl(DATABASE), {
      max: POOL,
      applicationName: 'bench',
      onError: () => undefined,
    });
  const warm = async (pool) => {
    const clients = await Promise.all(Array.from({ length: POOL }, () => pool.connect()));
    for (const c of clients) c.release();
  };
  let owner = openOwner();
  const tenants = await createTenants(owner, TENANTS + 1, '98');
  const many = tenants.slice(0, TENANTS);
  const single = [tenants[TENANTS]];
  await owner.query(`
    CREATE SCHEMA bench;
    CREATE TABLE bench.log (LIKE operation_log INCLUDING ALL);
    ALTER TABLE bench.log ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id);
    CREATE TABLE bench.payloads (LIKE operation_log_payloads INCLUDING ALL);
    ALTER TABLE bench.payloads ADD FOREIGN KEY (tenant_id, seq) REFERENCES bench.log (tenant_id, seq);`);

  await owner.end();
  const actors = Array.from({ length: WRITERS }, () => ({ type: 'account', id: randomUUID() }));
  const event = (i) => ({
    action: 'bench.record_changed',
    subject: { type: 'document', id: randomUUID() },
    payload: { field: 'title', from: '旧い件名', to: '新しい件名', n: i },
  });

  // The real path: one transaction per entry, writer w always on tenant w mod n.
  let app;
  const real = (ids, total) =>
    concurrently(WRITERS, total, (i, w) =>
      inTenant(app, tenantScope(ids[w % ids.length]), (tx) =>
        recordOperation(tx, actors[w], event(i)),
      ),
    );

  // The baseline: the same two rows per entry, no chain (seq from a counter in
  // Node, canonical bytes and hash computed in Node against a zero prev_hash).
  const nextSeq = new Map();
  const raw = (ids, total) =>
    concurrently(WRITERS, total, async (i, w) => {
      const tenant = ids[w % ids.length];
      const seq = (nextSeq.get(tenant) ?? 0) + 1;
      nextSeq.set(tenant, seq);
      const actor = actors[w];
      const e = event(i);
      const payload = normalizeStrings(e.payload);
      const digest = payloadDigest(payload);
      const at = new Date();
      const canonical = entryCanonicalBytes({
        tenant,
        seq: String(seq),
        logged_at: at.toISOString(),
        actor_type: actor.type,
        actor_id: actor.id,
        action: e.action,
        subject_type: e.subject.type,
        subject_id: e.subject.id,
        payload_digest: digest,
      });
      const client = await owner.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO bench.log (tenant_id, seq, logged_at, actor_type, actor_id, action,
             subject_type, subject_id, payload_digest, prev_hash, hash, canonical)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            tenant,
            seq,
            at,
            actor.type,
            actor.id,
            e.action,
            e.subject.type,
            e.subject.id,
            digest,
            GENESIS_HASH,
            chainHash(GENESIS_HASH, canonical),
            canonical,
          ],
        );
        await client.query(
          'INSERT INTO bench.payloads (tenant_id, seq, payload) VALUES ($1, $2, $3::jsonb)',
          [tenant, seq, JSON.stringify(payload)],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    });

  const rate = (ms) => ENTRIES / (ms / 1000);
  const measureRaw = async (ids, total) => {
    owner = openOwner();
    await warm(owner);
    const ms = await raw(ids, total);
    await owner.end();
    return ms;
  };
  const measureReal = async (ids, total) => {
    app = openApp();
    await warm(app.pool);
    const ms = await real(ids, total);
    await app.close();
    return ms;
  };
  await measureRaw(many, WARMUP);
  await measureReal(many, WARMUP);
  await measureReal(single, WARMUP);
  const base = [];
  const eight = [];
  const one = [];
  for (let r = 0; r < ROUNDS; r++) {
    base.push(rate(await measureRaw(many, ENTRIES)));
    eight.push(rate(await measureReal(many, ENTRIES)));
    one.push(rate(await measureReal(single, ENTRIES)));
    console.log(
      `round ${r + 1}: baseline ${base[r].toFixed(0)}, ${TENANTS} tenants ${eight[r].toFixed(0)}, ` +
        `1 tenant ${one[r].toFixed(0)} entries/s`,
    );
  }

  // The chains the bench wrote must be contiguous and verify (no gap, no fork).
  const { verifyChain } = await import(
    path.join(root, 'apps/server/dist/platform/oplog/verify-chain.js')
  );
  app = openApp();
  for (const id of tenants) {
    const v = await inTenant(app, tenantScope(id), (tx) => verifyChain(tx));
    if (v.problem) throw new Error(`chain of ${id} broken at ${v.problem.seq}: ${v.problem.kind}`);
  }
  await app.close();

  const baseline = median(base);
  const multi = median(eight);
  const solo = median(one);
  console.log(`writers: ${WRITERS}, pool: ${POOL}, entries per measurement: ${ENTRIES}`);
  console.log(`baseline (raw INSERTs, no chain):  ${baseline.toFixed(0)} entries/s`);
  console.log(`${TENANTS} tenants (real path):          ${multi.toFixed(0)} entries/s`);
  console.log(
    `1 tenant (real path):            ${solo.toFixed(0)} entries/s (ratio ${(solo / baseline).toFixed(2)})`,
  );
  const beatsOne = multi > solo;
  if (!beatsOne) console.log(`${TENANTS} tenants did NOT beat 1 tenant`);
  report({
    name: 'append',
    value: multi,
    baseline,
    unit: 'entries/s',
    target: `ratio ≥ ${TARGET} and ${TENANTS} tenants > 1 tenant`,
    ok: multi / baseline >= TARGET && beatsOne,
  });
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await cluster.stop();
}
