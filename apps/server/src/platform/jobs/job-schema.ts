import PgBoss from 'pg-boss';
import pg from 'pg';
import { APP_ROLE } from '../db/embedded.js';
import { allJobs } from './job-registry.js';
import { CRON_QUEUE, JOB_SCHEMA, JobSchemaError, type AnyJobDefinition } from './job-runner.js';

/** Any constant key: concurrent migrate steps install the job schema one at a time. */
const JOB_SCHEMA_LOCK_KEY = 0x6a6f6273; // 'jobs'

/**
 * What the app role may do in the job schema: read and write jobs, queues and
 * schedules (DML only), and call `create_queue` (pg-boss's timekeeper calls it
 * for its own, already installed, queue at start; for a new queue it would
 * fail, as the app role may not create tables). No TRUNCATE, no DDL, and
 * nothing is owned by the app role, so `appRoleProblems` stays empty.
 */
function grantStatements(appRole: string, ownerRole: string): string[] {
  const s = JOB_SCHEMA;
  return [
    `REVOKE ALL ON SCHEMA ${s} FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA ${s} TO ${appRole}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${appRole}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${appRole}`,
    `REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${s} FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION ${s}.create_queue(text, json) TO ${appRole}`,
    // Queue partitions created by a later install get the same table grants.
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${ownerRole} IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${appRole}`,
  ];
}

export interface InstallJobSchemaOptions {
  /** The job types to create queues for (default: every job in the registry). */
  readonly jobs?: readonly AnyJobDefinition[];
  /** The role the app connects as (default `mamori_app`). */
  readonly appRole?: string;
}

/**
 * Creates or migrates pg-boss's schema with the owner role, creates (or
 * updates the options of) one queue per job type, and grants the app role what
 * the runtime needs. Run in the migrate step, after `runMigrations(ownerUrl)`;
 * idempotent and safe to run from several processes at once.
 *
 * The owner role creates everything because each pg-boss queue is a table
 * (a partition of `pgboss.job`): were the app role to create them, it would
 * own tables and could switch off row-level security on its own objects.
 */
export async function installJobSchema(
  ownerUrl: string,
  options: InstallJobSchemaOptions = {},
): Promise<void> {
  const appRole = options.appRole ?? APP_ROLE;
  const jobs = options.jobs ?? allJobs;
  const client = new pg.Client({
    connectionString: ownerUrl,
    application_name: 'mamori-migrate-jobs',
  });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [JOB_SCHEMA_LOCK_KEY]);
    const role = await client.query<{ owner: string; exists: boolean }>(
      `SELECT current_user AS owner, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists`,
      [appRole],
    );
    const row = role.rows[0];
    if (!row?.exists) {
      throw new JobSchemaError(`role "${appRole}" does not exist: create it before migrating`);
    }
    const boss = new PgBoss({
      db: { executeSql: (text: string, values?: unknown[]) => client.query(text, values) },
      schema: JOB_SCHEMA,
      migrate: true,
      supervise: false,
      schedule: false,
    });
    boss.on('error', () => undefined);
    // start() with migrate: true creates the schema, or migrates it to this
    // pg-boss's version; it starts no workers (schedule and supervise are off).
    await boss.start();
    try {
      await boss.createQueue(CRON_QUEUE);
      for (const job of jobs) {
        const queue: PgBoss.Queue = {
          name: job.name,
          policy: job.queue.policy,
          retryLimit: job.queue.retryLimit,
          retryDelay: job.queue.retryDelaySeconds,
          retryBackoff: job.queue.retryBackoff,
          expireInSeconds: job.queue.expireInSeconds,
        };
        const existing = await boss.getQueue(job.name);
        if (existing) await boss.updateQueue(job.name, queue);
        else await boss.createQueue(job.name, queue);
      }
    } finally {
      await boss.stop({ graceful: false, close: false });
    }
    const escape = (name: string) => client.escapeIdentifier(name);
    for (const statement of grantStatements(escape(appRole), escape(row.owner))) {
      await client.query(statement);
    }
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1)', [JOB_SCHEMA_LOCK_KEY])
      .catch(() => undefined);
    await client.end();
  }
}
