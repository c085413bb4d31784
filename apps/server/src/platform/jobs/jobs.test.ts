import { sql } from 'drizzle-orm';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { expectPgError } from '../../../test/expect-pg.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { sleep, waitFor } from '../../../test/wait-for.js';
import { inTenant, tenantScope } from '../db/database.js';
import { PG } from '../db/pg-error.js';
import { appRoleProblems } from '../db/role-check.js';
import { allJobs } from './job-registry.js';
import { defineJob, JOB_TIME_ZONE, JobRunner, JobSchemaError } from './job-runner.js';
import { installJobSchema } from './job-schema.js';

const logger = pino({ level: 'silent' });

const tenantWork = defineJob({
  name: 'test.tenant-work',
  data: z.object({ tenantId: z.uuid(), label: z.string() }),
});
const flaky = defineJob({
  name: 'test.flaky',
  data: z.object({ label: z.string() }),
  queue: { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: false },
});
const slow = defineJob({ name: 'test.slow', data: z.object({ label: z.string() }) });
const queuedOnly = defineJob({ name: 'test.queued-only', data: z.object({ n: z.number() }) });
const nightly = defineJob({ name: 'test.nightly', data: z.object({}) });
const notInstalled = defineJob({ name: 'test.not-installed', data: z.object({}) });
const testJobs = [tenantWork, flaky, slow, queuedOnly, nightly];

let db: TestDatabase;
let owner: pg.Client;
let tenant: TestTenant;
const runners: JobRunner[] = [];

function newRunner(): JobRunner {
  const runner = new JobRunner({ db: db.app, logger, pollingIntervalSeconds: 0.5 });
  runners.push(runner);
  return runner;
}

async function jobRows(name: string) {
  const r = await owner.query<{ state: string; singleton_key: string | null; retry_count: number }>(
    'SELECT state, singleton_key, retry_count FROM pgboss.job WHERE name = $1 ORDER BY created_on',
    [name],
  );
  return r.rows;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await installJobSchema(db.ownerUrl, { jobs: [...allJobs, ...testJobs] });
  owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  tenant = await createTenant(db.ownerUrl, { name: 'ジョブ試験市' });
});
afterAll(async () => {
  for (const runner of runners) await runner.stop({ timeoutMs: 1000 });
  await owner.end();
  await db.drop();
});

describe('job schema (installed by the owner role)', () => {
  it('is owned by the owner role: the app role still owns nothing and cannot bypass RLS', async () => {
    const owners = await owner.query<{ owner: string; n: number }>(
      `SELECT pg_get_userbyid(c.relowner) AS owner, count(*)::int AS n
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'pgboss' GROUP BY 1`,
    );
    expect(owners.rows.map((r) => r.owner)).toEqual(['mamori_owner']);
    const schema = await owner.query<{ owner: string }>(
      `SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'pgboss'`,
    );
    expect(schema.rows[0]?.owner).toBe('mamori_owner');
    expect(await appRoleProblems(db.app.pool)).toEqual([]);
  });

  it('creates one queue per registered job, with the queue options of its definition', async () => {
    const r = await owner.query<{ name: string; policy: string; retry_limit: number }>(
      'SELECT name, policy, retry_limit FROM pgboss.queue ORDER BY name',
    );
    const names = r.rows.map((q) => q.name);
    for (const job of [...allJobs, ...testJobs]) expect(names).toContain(job.name);
    expect(names).toContain('__pgboss__send-it');
    expect(r.rows.find((q) => q.name === flaky.name)).toMatchObject({
      policy: 'short',
      retry_limit: 2,
    });
  });

  it('is idempotent: a second install (another server starting) changes nothing', async () => {
    await Promise.all([
      installJobSchema(db.ownerUrl, { jobs: [...allJobs, ...testJobs] }),
      installJobSchema(db.ownerUrl, { jobs: [...allJobs, ...testJobs] }),
    ]);
    expect(await appRoleProblems(db.app.pool)).toEqual([]);
  });

  it('gives the app role DML only: it cannot create, alter or truncate job tables', async () => {
    await expectPgError(
      db.app.pool.query('CREATE TABLE pgboss.intruder (id int)'),
      PG.insufficientPrivilege,
    );
    await expectPgError(db.app.pool.query('TRUNCATE pgboss.job'), PG.insufficientPrivilege);
    await expectPgError(
      db.app.pool.query(`SELECT pgboss.create_queue('test.new-queue', '{}'::json)`),
      PG.insufficientPrivilege,
    );
  });
});

describe('JobRunner (runs as the app role, migrate: false)', () => {
  it('refuses to start on a database without the job schema instead of creating it', async () => {
    const bare = await createTestDatabase();
    // Whatever the test template holds: this database has no job schema.
    const bareOwner = new pg.Client({ connectionString: bare.ownerUrl });
    await bareOwner.connect();
    await bareOwner.query('DROP SCHEMA IF EXISTS pgboss CASCADE');
    await bareOwner.end();
    const runner = new JobRunner({ db: bare.app, logger });
    try {
      await expect(runner.start()).rejects.toThrow(JobSchemaError);
      await expect(runner.start()).rejects.toThrow(/migrate/);
      const schema = await bare.app.pool.query(
        `SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss'`,
      );
      expect(schema.rowCount).toBe(0);
    } finally {
      await runner.stop();
      await bare.drop();
    }
  });

  it('refuses a job whose queue the migrate step did not install', async () => {
    const runner = newRunner();
    await runner.register(notInstalled, () => Promise.resolve());
    await expect(runner.start()).rejects.toThrow(/"test.not-installed" are not installed/);
    await expect(runner.send(notInstalled, {}, { dedupeKey: 'x' })).rejects.toThrow(JobSchemaError);
  });

  it('runs a handler as the app role, doing tenant work under RLS', async () => {
    const runner = newRunner();
    const seen: { user: string; tenant: string }[] = [];
    await runner.register(tenantWork, async (job) => {
      const r = await inTenant(db.app, tenantScope(job.data.tenantId), (tx) =>
        tx.execute<{ user: string; tenant: string }>(
          sql`SELECT current_user AS user, current_setting('app.tenant_id') AS tenant`,
        ),
      );
      if (r.rows[0]) seen.push(r.rows[0]);
    });
    await runner.start();
    const id = await runner.send(
      tenantWork,
      { tenantId: tenant.id, label: 'a' },
      { dedupeKey: 'work-a' },
    );
    expect(id).toEqual(expect.any(String));
    await waitFor('the job to run', () => seen.length > 0);
    expect(seen).toEqual([{ user: 'mamori_app', tenant: tenant.id }]);
    await waitFor('the job to complete', async () =>
      (await jobRows(tenantWork.name)).every((j) => j.state === 'completed'),
    );
    expect(await appRoleProblems(db.app.pool)).toEqual([]);
    await runner.stop();
  });

  it('deduplicates sends with the same key while the first is queued', async () => {
    const runner = newRunner(); // not started: nothing consumes the queue
    const first = await runner.send(queuedOnly, { n: 1 }, { dedupeKey: 'same' });
    const second = await runner.send(queuedOnly, { n: 2 }, { dedupeKey: 'same' });
    const other = await runner.send(queuedOnly, { n: 3 }, { dedupeKey: 'other' });
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();
    expect(other).toEqual(expect.any(String));
    expect((await jobRows(queuedOnly.name)).map((j) => j.singleton_key).sort()).toEqual([
      'other',
      'same',
    ]);
  });

  it('validates job data on send', async () => {
    const runner = newRunner();
    await expect(
      runner.send(queuedOnly, { n: 'one' } as unknown as { n: number }, { dedupeKey: 'bad' }),
    ).rejects.toThrow();
    await expect(runner.send(queuedOnly, { n: 1 }, { dedupeKey: '' })).rejects.toThrow(
      /dedupe key/,
    );
  });

  it('queues a job in a transaction: it exists only if the transaction commits', async () => {
    const runner = newRunner();
    await expect(
      inTenant(db.app, tenantScope(tenant.id), async (tx) => {
        await runner.sendInTransaction(tx, queuedOnly, { n: 10 }, { dedupeKey: 'tx-rolled-back' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await inTenant(db.app, tenantScope(tenant.id), (tx) =>
      runner.sendInTransaction(tx, queuedOnly, { n: 11 }, { dedupeKey: 'tx-committed' }),
    );
    const keys = (await jobRows(queuedOnly.name)).map((j) => j.singleton_key);
    expect(keys).toContain('tx-committed');
    expect(keys).not.toContain('tx-rolled-back');
  });

  it('retries a failing handler per its queue options (delivery is at-least-once)', async () => {
    const runner = newRunner();
    let runs = 0;
    await runner.register(flaky, () => {
      runs++;
      return runs === 1 ? Promise.reject(new Error('transient')) : Promise.resolve();
    });
    await runner.start();
    await runner.send(flaky, { label: 'x' }, { dedupeKey: 'flaky-1' });
    await waitFor('the retried job to complete', async () =>
      (await jobRows(flaky.name)).some((j) => j.state === 'completed'),
    );
    expect(runs).toBe(2);
    expect((await jobRows(flaky.name))[0]?.retry_count).toBe(1);
    await runner.stop();
  });

  it('registers schedules in Asia/Tokyo', async () => {
    const runner = newRunner();
    await runner.schedule(nightly, '30 2 * * *', {});
    expect(JOB_TIME_ZONE).toBe('Asia/Tokyo');
    expect(await runner.schedules()).toContainEqual({
      name: nightly.name,
      cron: '30 2 * * *',
      timezone: 'Asia/Tokyo',
    });
    const stored = await owner.query<{ timezone: string }>(
      'SELECT timezone FROM pgboss.schedule WHERE name = $1',
      [nightly.name],
    );
    expect(stored.rows).toEqual([{ timezone: 'Asia/Tokyo' }]);
  });

  it('stops gracefully: a running handler finishes before stop() resolves', async () => {
    const runner = newRunner();
    let started = false;
    let finished = false;
    await runner.register(slow, async () => {
      started = true;
      await sleep(1500);
      finished = true;
    });
    await runner.start();
    await runner.send(slow, { label: 'drain' }, { dedupeKey: 'slow-1' });
    await waitFor('the slow job to start', () => started);
    await runner.stop({ timeoutMs: 10_000 });
    expect(finished).toBe(true);
    expect((await jobRows(slow.name)).map((j) => j.state)).toEqual(['completed']);
  });
});
