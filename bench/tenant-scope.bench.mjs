#!/usr/bin/env node
// The cost of tenant isolation: a read inside a tenant-scoped transaction
// (BEGIN, set_config('app.tenant_id', …, true), query under RLS, COMMIT)
// against the same read as a bare query by a superuser (RLS bypassed), on the same
// embedded PostgreSQL, in the same run.
// Target: tenant-scoped / baseline ≤ 4.0 (a transaction costs three extra round trips).
// Reported as wall time per read (8 clients): lower is better, ratio = scoped / baseline.
import path from 'node:path';
import pg from 'pg';
import {
  createTenants,
  freshDatabase,
  inTenant,
  openDatabase,
  report,
  root,
  startEmbeddedCluster,
  tenantScope,
} from './lib.mjs';

const { sql } = await import('drizzle-orm');

const TARGET = 4.0;
const ITERATIONS = 3000;
const CONCURRENCY = 8;

const DATABASE = 'mamori_bench';

const cluster = await startEmbeddedCluster({
  dataDir: path.join(root, '.test-data/bench'),
  database: DATABASE,
});
try {
  // A fresh database each run (the operation log's TRUNCATE guard also blocks
  // TRUNCATE tenants … CASCADE).
  await freshDatabase(cluster, DATABASE);
  const owner = new pg.Pool({
    connectionString: cluster.superuserUrl(DATABASE),
    max: CONCURRENCY,
  });
  // Synthetic data: 5 tenants × 2,000 accounts.
  const tenants = await createTenants(owner, 5);
  await owner.query(
    `INSERT INTO accounts (tenant_id, login_name, display_name, password_hash)
     SELECT t.id, 'user' || g, '試験 ' || g, 'x' FROM unnest($1::uuid[]) AS t(id), generate_series(1, 2000) g`,
    [tenants],
  );
  await owner.query('ANALYZE accounts');

  const app = openDatabase(cluster.appUrl(DATABASE), { max: CONCURRENCY });
  const query = (i) => `user${(i % 2000) + 1}`;

  async function measure(run) {
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ITERATIONS) await run(next++);
      }),
    );
    return Number(process.hrtime.bigint() - started) / 1e6;
  }

  // Both paths must find the row, or the comparison is meaningless.
  const probe = await owner.query(
    'SELECT count(*)::int AS n FROM accounts WHERE tenant_id = $1 AND login_name = $2',
    [tenants[0], 'user1'],
  );
  const probeScoped = await inTenant(app, tenantScope(tenants[0]), (tx) =>
    tx.execute(sql`SELECT count(*)::int AS n FROM accounts WHERE login_name = ${'user1'}`),
  );
  if (probe.rows[0].n !== 1 || probeScoped.rows[0].n !== 1)
    throw new Error('benchmark data not visible');
  const baseline = () =>
    measure((i) =>
      owner.query('SELECT id FROM accounts WHERE tenant_id = $1 AND login_name = $2', [
        tenants[i % 5],
        query(i),
      ]),
    );
  const scoped = () =>
    measure((i) =>
      inTenant(app, tenantScope(tenants[i % 5]), (tx) =>
        tx.execute(sql`SELECT id FROM accounts WHERE login_name = ${query(i)}`),
      ),
    );
  await baseline(); // warm up both paths
  await scoped();
  const base = await baseline();
  const rls = await scoped();
  const perRead = (ms) => (ms * 1000) / ITERATIONS;
  console.log(`baseline (bare query, no RLS): ${(ITERATIONS / (base / 1000)).toFixed(0)} ops/s`);
  console.log(`tenant-scoped transaction:     ${(ITERATIONS / (rls / 1000)).toFixed(0)} ops/s`);
  report({
    name: 'tenant-scope',
    value: perRead(rls),
    baseline: perRead(base),
    unit: 'us/read',
    target: `ratio ≤ ${TARGET}`,
    ok: rls / base <= TARGET,
  });
  await app.close();
  await owner.end();
} finally {
  await cluster.stop();
}
