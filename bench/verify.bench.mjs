#!/usr/bin/env node
// Operation-log chain verification over 1,000,000 entries (issue 3, "Bench: verify").
// Subject: verifyChain(tx, { checkPayloads: false }) in a tenant-scoped
// transaction as the app role: one statement with two passes — per entry, with
// parallel workers, the canonical bytes checked against the columns
// (mamori_log_fields_match) and sha256(prev_hash || canonical); in seq order,
// serial, gap and link (window lag() over seq, prev_hash, hash) — plus the head
// and last-entry lookups.
// Baseline: a bare SQL pass by the superuser hashing the same stored bytes:
//   SELECT count(*) FROM operation_log WHERE tenant_id = $1 AND sha256(prev_hash || canonical) = hash
// Targets: subject / baseline ≤ 1.5 and subject < 5 s.
// Also printed (no target): the full verify with payloads re-digested in Node.
//
// The 1M synthetic entries are generated inside PostgreSQL (mamori_log_append
// called from generate_series, 1,000 per statement) and the cluster is kept in
// .test-data/bench-verify between runs; it is regenerated when the migrations
// that define the log change (bench-cache.json holds their digest). Delete the
// folder to force it.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import {
  createTenants,
  freshDatabase,
  inTenant,
  median,
  openDatabase,
  report,
  root,
  runMigrations,
  startEmbeddedCluster,
  tenantScope,
  time,
} from './lib.mjs';

const { verifyChain } = await import(
  path.join(root, 'apps/server/dist/platform/oplog/verify-chain.js')
);
const { payloadDigest } = await import(
  path.join(root, 'apps/server/dist/platform/oplog/canonical.js')
);

const RATIO_TARGET = 1.5;
const ABSOLUTE_TARGET_MS = 5000;
const ENTRIES = 1_000_000;
const BATCH = 1_000; // per statement (own transaction): the head row gets two new versions per append
const ROUNDS = 3;
const DATABASE = 'mamori_bench_verify';
const dataDir = path.join(root, '.test-data/bench-verify');
const cacheFile = path.join(dataDir, 'bench-cache.json');

/**
 * The cached entries stay valid while the migrations that define the log
 * (those mentioning operation_log or mamori_log) are unchanged; other
 * migrations are applied to the cached database as usual.
 */
function logMigrationsDigest() {
  const dir = path.join(root, 'apps/server/migrations');
  const h = createHash('sha256');
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.sql'))
    .sort()) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    if (/operation_log|mamori_log/.test(text)) h.update(f).update(text);
  }
  return h.digest('hex');
}

// The synthetic payload of entry g, and its digest computed in SQL exactly as
// payloadDigest() computes it in Node (RFC 8785 text: sorted keys, no spaces).
const NOTE = '設定を変更しました';
const payloadText = (g) => `'{"n":' || ${g} || ',"note":"${NOTE}"}'`;

const cluster = await startEmbeddedCluster({ dataDir, database: DATABASE });
try {
  const owner = new pg.Pool({ connectionString: cluster.superuserUrl(DATABASE), max: 2 });
  owner.on('error', () => undefined);
  const digest = logMigrationsDigest();
  let tenant = null;
  try {
    const cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    if (cache.migrations === digest && cache.entries === ENTRIES) {
      const r = await owner.query(
        'SELECT seq::int AS seq FROM operation_log_heads WHERE tenant_id = $1',
        [cache.tenant],
      );
      if (r.rows[0]?.seq === ENTRIES) tenant = cache.tenant;
    }
  } catch {
    tenant = null;
  }

  if (tenant) {
    console.log(`reusing the cached ${ENTRIES.toLocaleString('en')} entries in ${dataDir}`);
    await runMigrations(cluster.ownerUrl(DATABASE));
  } else {
    fs.rmSync(cacheFile, { force: true });
    await owner.end();
    await freshDatabase(cluster, DATABASE);
    const setup = new pg.Pool({ connectionString: cluster.superuserUrl(DATABASE), max: 1 });
    [tenant] = await createTenants(setup, 1, '97');
    const actor = randomUUID();
    const sample = payloadDigest({ n: 1, note: NOTE });
    const check = await setup.query(
      `SELECT encode(sha256(convert_to(${payloadText(1)}, 'UTF8')), 'hex') AS d`,
    );
    if (check.rows[0].d !== sample) throw new Error('SQL payload digest differs from Node');
    const generated = await time(async () => {
      for (let from = 1; from <= ENTRIES; from += BATCH) {
        const to = Math.min(from + BATCH - 1, ENTRIES);
        await setup.query(
          `SELECT count(*) FROM generate_series($2::int, $3::int) g,
             LATERAL mamori_log_append($1::uuid, 'account', $4, 'bench.record_changed', 'document',
               md5(g::text)::uuid::text,
               encode(sha256(convert_to(${payloadText('g')}, 'UTF8')), 'hex'),
               (${payloadText('g')})::jsonb)`,
          [tenant, from, to, actor],
        );
        process.stdout.write(`\rgenerated ${to.toLocaleString('en')} entries`);
      }
    });
    console.log(` in ${(generated / 1000).toFixed(0)} s`);
    await setup.query(
      'VACUUM (ANALYZE) operation_log, operation_log_payloads, operation_log_heads',
    );
    await setup.query('CHECKPOINT');
    await setup.end();
    fs.writeFileSync(
      cacheFile,
      JSON.stringify({ migrations: digest, entries: ENTRIES, tenant }, null, 2) + '\n',
    );
  }
  const base = new pg.Pool({ connectionString: cluster.superuserUrl(DATABASE), max: 1 });
  base.on('error', () => undefined);
  const app = openDatabase(cluster.appUrl(DATABASE), {
    max: 1,
    applicationName: 'bench',
    onError: () => undefined,
  });
  const scope = tenantScope(tenant);

  const BASELINE_SQL = `SELECT count(*)::int AS n FROM operation_log
    WHERE tenant_id = $1 AND sha256(prev_hash || canonical) = hash`;
  const baseline = async () => {
    let n = 0;
    const ms = await time(async () => {
      n = (await base.query(BASELINE_SQL, [tenant])).rows[0].n;
    });
    if (n !== ENTRIES) throw new Error(`baseline matched ${n} entries, not ${ENTRIES}`);
    return ms;
  };
  const subject = async (checkPayloads) => {
    let v = null;
    const ms = await time(async () => {
      v = await inTenant(app, scope, (tx) => verifyChain(tx, { checkPayloads }));
    });
    if (v.size !== ENTRIES || v.problem) {
      throw new Error(`verify found ${v.size} entries, problem ${JSON.stringify(v.problem)}`);
    }
    return ms;
  };

  await baseline(); // warm up: the table into the page cache
  await subject(false);
  const bases = [];
  const chains = [];
  for (let r = 0; r < ROUNDS; r++) {
    bases.push(await baseline());
    chains.push(await subject(false));
    console.log(
      `round ${r + 1}: baseline ${(bases[r] / 1000).toFixed(2)} s, verify ${(chains[r] / 1000).toFixed(2)} s`,
    );
  }
  // Extra, no target: the same baseline without parallel workers (verify's
  // in-order pass is serial), and the full verify that re-digests every payload in Node.
  await base.query('SET max_parallel_workers_per_gather = 0');
  const serial = await baseline();
  await base.query('RESET max_parallel_workers_per_gather');
  const full = await subject(true);

  const b = median(bases);
  const v = median(chains);
  console.log(`entries: ${ENTRIES.toLocaleString('en')} in one tenant`);
  console.log(`baseline, serial (no parallel workers): ${(serial / 1000).toFixed(2)} s`);
  console.log(`full verify with payloads (checkPayloads: true): ${(full / 1000).toFixed(2)} s`);
  report({
    name: 'verify',
    value: v / 1000,
    baseline: b / 1000,
    unit: 's',
    target: `ratio ≤ ${RATIO_TARGET} and < ${ABSOLUTE_TARGET_MS / 1000} s`,
    ok: v / b <= RATIO_TARGET && v < ABSOLUTE_TARGET_MS,
  });
  await app.close();
  await base.end();
  await owner.end().catch(() => undefined);
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await cluster.stop();
}
