// Shared by the benchmarks: the compiled server modules, an embedded cluster with
// a fresh database per benchmark, synthetic tenants, and the one result line
// every benchmark prints (issue 3):
//   bench <name>: <value> <unit>; baseline <value> <unit>; ratio <r>
// where ratio = value / baseline.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const dist = (p) => import(path.join(root, 'apps/server/dist', p));
export const { startEmbeddedCluster } = await dist('platform/db/embedded.js');
export const { runMigrations } = await dist('platform/db/migrate.js');
export const { openDatabase, inTenant, tenantScope } = await dist('platform/db/database.js');

/**
 * Drops and recreates `database` (owned by the owner role) and migrates it.
 * A fresh database per run: the operation log is append-only for every role,
 * so bench data cannot be truncated away afterwards.
 */
export async function freshDatabase(cluster, database) {
  const admin = new pg.Client({ connectionString: cluster.superuserUrl('postgres') });
  await admin.connect();
  try {
    const name = admin.escapeIdentifier(database);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(
      `CREATE DATABASE ${name} OWNER mamori_owner ENCODING 'UTF8' TEMPLATE template0`,
    );
  } finally {
    await admin.end();
  }
  await runMigrations(cluster.ownerUrl(database));
}

/** Inserts `count` synthetic tenants (as the superuser); returns their ids. */
export async function createTenants(pool, count, prefix = '99') {
  const ids = [];
  for (let t = 0; t < count; t++) {
    const r = await pool.query(
      `INSERT INTO tenants (code, name, prefecture, policy_pack_id, policy_pack_version, policy_pack_hash)
       VALUES ($1, $2, '架空県', 'hokuto', 'bench', 'bench') RETURNING id`,
      [`${prefix}${String(t).padStart(6 - prefix.length, '0')}`, `架空市${t}`],
    );
    ids.push(r.rows[0].id);
  }
  return ids;
}

/** Milliseconds taken by `fn`. */
export async function time(fn) {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Runs `run(i)` for i = 0..total-1 from `workers` concurrent loops; returns ms. */
export function concurrently(workers, total, run) {
  let next = 0;
  return time(() =>
    Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        while (next < total) await run(next++, w);
      }),
    ),
  );
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/**
 * Prints the target check and the result line; sets a failing exit code when
 * `ok` is false. `ratio` defaults to value / baseline.
 */
export function report({ name, value, baseline, unit, target, ok, ratio = value / baseline }) {
  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown cpu'}`);
  console.log(`target: ${target} → ${ok ? 'met' : 'MISSED'}`);
  console.log(
    `bench ${name}: ${fmt(value)} ${unit}; baseline ${fmt(baseline)} ${unit}; ratio ${ratio.toFixed(2)}`,
  );
  if (!ok) process.exitCode = 1;
}
