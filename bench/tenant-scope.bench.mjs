#!/usr/bin/env node
// The cost of tenant isolation: a read inside a tenant-scoped transaction
// (BEGIN, set_config('app.tenant_id', …, true), query under RLS, COMMIT)
// against the same read as a bare query by a superuser (RLS bypassed), on the same
// embedded PostgreSQL, in the same run.
// Target: tenant-scoped / baseline ≤ 4.0 (a transaction costs three extra round trips).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { startEmbeddedCluster } = await import(
  path.join(root, 'apps/server/dist/platform/db/embedded.js')
);
const { runMigrations } = await import(path.join(root, 'apps/server/dist/platform/db/migrate.js'));
const { openDatabase, inTenant, tenantScope } = await import(
  path.join(root, 'apps/server/dist/platform/db/database.js')
);
const { sql } = await import('drizzle-orm');

const TARGET = 4.0;
const ITERATIONS = 3000;
const CONCURRENCY = 8;

const cluster = await startEmbeddedCluster({
  dataDir: path.join(root, '.test-data/bench'),
  database: 'mamori_bench',
});
try {
  await runMigrations(cluster.ownerUrl('mamori_bench'));
  const owner = new pg.Pool({
    connectionString: cluster.superuserUrl('mamori_bench'),
    max: CONCURRENCY,
  });
  // Synthetic data: 5 tenants × 2,000 accounts.
  await owner.query('BEGIN');
  await owner.query('TRUNCATE tenants, accounts, account_roles, setting_versions CASCADE');
  const tenants = [];
  for (let t = 0; t < 5; t++) {
    const r = await owner.query(
      `INSERT INTO tenants (code, name, prefecture, policy_pack_id, policy_pack_version, policy_pack_hash)
       VALUES ($1, $2, '架空県', 'hokuto', 'bench', 'bench') RETURNING id`,
      [`99${String(t).padStart(3, '0')}${t}`, `架空市${t}`],
    );
    tenants.push(r.rows[0].id);
  }
  await owner.query(
    `INSERT INTO accounts (tenant_id, login_name, display_name, password_hash)
     SELECT t.id, 'user' || g, '試験 ' || g, 'x' FROM unnest($1::uuid[]) AS t(id), generate_series(1, 2000) g`,
    [tenants],
  );
  await owner.query('COMMIT');
  await owner.query('ANALYZE accounts');

  const app = openDatabase(cluster.appUrl('mamori_bench'), { max: CONCURRENCY });
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
  const ratio = rls / base;
  console.log(`baseline (bare query, no RLS): ${(ITERATIONS / (base / 1000)).toFixed(0)} ops/s`);
  console.log(`tenant-scoped transaction:     ${(ITERATIONS / (rls / 1000)).toFixed(0)} ops/s`);
  console.log(`ratio scoped/baseline: ${ratio.toFixed(2)} (target ≤ ${TARGET})`);
  await app.close();
  await owner.end();
  if (ratio > TARGET) process.exitCode = 1;
} finally {
  await cluster.stop();
}
