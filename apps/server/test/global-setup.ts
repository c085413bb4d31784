import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { repoRoot } from '../src/platform/config.js';
import {
  APP_ROLE,
  ensureRole,
  OWNER_ROLE,
  startEmbeddedCluster,
  type EmbeddedCluster,
} from '../src/platform/db/embedded.js';
import { migrationsHash, runMigrations } from '../src/platform/db/migrate.js';
import { allJobs, installJobSchema } from '../src/platform/jobs/index.js';
import { withDatabase, type TestDbInfo } from './urls.js';

declare module 'vitest' {
  export interface ProvidedContext {
    db: TestDbInfo;
  }
}

/**
 * Integration tests run against real PostgreSQL as the app role:
 * TEST_DATABASE_URL (a superuser URL, as in CI) when set, else an embedded
 * cluster under .test-data/cluster. Migrations are applied once to a template
 * database named after a hash of the migrations; each test file clones it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedCluster | null = null;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedCluster({ dataDir: path.join(repoRoot, '.test-data/cluster') });
    adminUrl = embedded.superuserUrl('postgres');
  }
  // Role passwords are kept beside the cluster, so that two test runs sharing it
  // (a developer's watch mode and a full run) never change them under each other.
  const { ownerPassword, appPassword } = rolePasswords();
  const registration = embedded ? registerClusterUser() : null;
  // The template is named after what it contains: the migrations and the job queues.
  const jobsHash = createHash('sha256')
    .update(JSON.stringify(allJobs.map((j) => [j.name, j.queue])))
    .digest('hex')
    .slice(0, 8);
  const template = `mamori_tpl_${migrationsHash()}_${jobsHash}`;

  const admin = new pg.Client({
    connectionString: adminUrl,
    application_name: 'mamori-test-setup',
  });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(42)');
    await ensureRole(admin, OWNER_ROLE, ownerPassword, 'NOSUPERUSER NOBYPASSRLS');
    await ensureRole(
      admin,
      APP_ROLE,
      appPassword,
      'NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE',
    );
    const info: TestDbInfo = { adminUrl, template, ownerPassword, appPassword };
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      const building = `${template}_build`;
      await admin.query(`DROP DATABASE IF EXISTS ${building}`);
      await admin.query(
        `CREATE DATABASE ${building} OWNER ${OWNER_ROLE} ENCODING 'UTF8' TEMPLATE template0`,
      );
      await runMigrations(withDatabase(info, building, 'owner'));
      await installJobSchema(withDatabase(info, building, 'owner'));
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    }
    // Drop templates of older migration sets and test databases left by killed runs.
    const stale = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database
        WHERE (datname LIKE 'mamori\\_tpl\\_%' AND datname <> $1)
           OR (datname LIKE 'mamori\\_test\\_%'
               AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = pg_database.datname))`,
      [template],
    );
    for (const { datname } of stale.rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)} WITH (FORCE)`);
    }
    const version = await admin.query<{ v: string }>(
      `SELECT current_setting('server_version') AS v`,
    );
    console.log(
      `integration tests on PostgreSQL ${version.rows[0]?.v ?? '?'} (${process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : 'embedded'}), template ${template}`,
    );
    project.provide('db', info);
  } finally {
    await admin.query('SELECT pg_advisory_unlock(42)').catch(() => undefined);
    await admin.end();
  }
  return async () => {
    // Another test run may be using the same embedded cluster: stop it only when
    // nobody else is connected.
    registration?.release();
    if (!embedded?.startedHere || (registration?.othersAlive() ?? false)) return;
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    const others = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    await c.end();
    if ((others.rows[0]?.n ?? 0) === 0) await embedded.stop();
  };
}

const stateDir = path.join(repoRoot, '.test-data');

/** The test roles' passwords: made once per checkout, 0600, reused by every run. */
function rolePasswords(): { ownerPassword: string; appPassword: string } {
  const file = path.join(stateDir, 'test-role-passwords.json');
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as {
      ownerPassword?: unknown;
      appPassword?: unknown;
    };
    if (typeof saved.ownerPassword === 'string' && typeof saved.appPassword === 'string') {
      return { ownerPassword: saved.ownerPassword, appPassword: saved.appPassword };
    }
  } catch {
    // none yet (or unreadable): make new ones
  }
  const made = {
    ownerPassword: randomBytes(18).toString('base64url'),
    appPassword: randomBytes(18).toString('base64url'),
  };
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, JSON.stringify(made), { mode: 0o600 });
  return made;
}

/**
 * Marks this test run as a user of the shared embedded cluster (a file named
 * after the pid), so that the run that started the cluster stops it only when
 * no other live run still uses it.
 */
function registerClusterUser(): { release(): void; othersAlive(): boolean } {
  const dir = path.join(stateDir, 'cluster-users');
  mkdirSync(dir, { recursive: true });
  const mine = path.join(dir, String(process.pid));
  writeFileSync(mine, '');
  return {
    release: () => {
      rmSync(mine, { force: true });
    },
    othersAlive: () =>
      readdirSync(dir).some((name) => {
        const pid = Number(name);
        if (!Number.isInteger(pid) || pid === process.pid) return false;
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          rmSync(path.join(dir, name), { force: true });
          return false;
        }
      }),
  };
}
