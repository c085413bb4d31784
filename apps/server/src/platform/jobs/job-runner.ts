import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Database, SystemTx, TenantTx } from '../db/database.js';

/** The PostgreSQL schema pg-boss keeps its queues, jobs and schedules in. */
export const JOB_SCHEMA = 'pgboss';

/** Every schedule runs in Japan time (architecture: scheduled jobs run in Asia/Tokyo). */
export const JOB_TIME_ZONE = 'Asia/Tokyo';

/** pg-boss's own queue for cron: the timekeeper moves due schedules through it. */
export const CRON_QUEUE = '__pgboss__send-it';

/**
 * How a queue stores and retries its jobs. Set on the queue when the owner role
 * installs the job schema (`installJobSchema`), not at runtime.
 *
 * `policy` decides what a dedupe key means (pg-boss 10 ignores a singleton key
 * on a `standard` queue):
 * - `short` (default): at most one *queued* job per dedupe key; a job that is
 *   already running does not block a new one.
 * - `stately`: at most one job per key in each of queued, retry and active.
 * - `singleton`: at most one *active* job per key.
 */
export interface QueueOptions {
  readonly policy?: 'standard' | 'short' | 'singleton' | 'stately';
  /** Retries after a handler throws (default 3). */
  readonly retryLimit?: number;
  /** First retry delay in seconds (default 30); doubled per retry with backoff. */
  readonly retryDelaySeconds?: number;
  /** Exponential backoff with jitter (default true). */
  readonly retryBackoff?: boolean;
  /** A handler running longer than this fails and is retried (default 15 minutes). */
  readonly expireInSeconds?: number;
}

/** A job type: its queue name, the schema of its data and its queue options. */
export interface JobDefinition<T> {
  readonly name: string;
  readonly data: z.ZodType<T>;
  readonly queue: Required<QueueOptions>;
}

/** Any job definition, whatever its data (for registries and installers). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any>;

const QUEUE_NAME = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/;

/**
 * Declares a job type. Data is validated against `data` when sent and when
 * received. Delivery is at-least-once: a handler may run again for the same
 * job (retry, crash, timeout), so handlers must be idempotent.
 */
export function defineJob<T>(definition: {
  name: string;
  data: z.ZodType<T>;
  queue?: QueueOptions;
}): JobDefinition<T> {
  if (!QUEUE_NAME.test(definition.name)) {
    throw new Error(`job name "${definition.name}" must be lower-case words joined by . or -`);
  }
  return {
    name: definition.name,
    data: definition.data,
    queue: {
      policy: definition.queue?.policy ?? 'short',
      retryLimit: definition.queue?.retryLimit ?? 3,
      retryDelaySeconds: definition.queue?.retryDelaySeconds ?? 30,
      retryBackoff: definition.queue?.retryBackoff ?? true,
      expireInSeconds: definition.queue?.expireInSeconds ?? 15 * 60,
    },
  };
}

/** What a handler receives for one job. */
export interface JobContext<T> {
  readonly id: string;
  readonly name: string;
  readonly data: T;
}

export type JobHandler<T> = (job: JobContext<T>) => Promise<void>;

export interface SendOptions {
  /**
   * The idempotency key: with the queue's policy, a second send with the same
   * key while the first is still queued creates no job. Use the id of what the
   * job works on (e.g. the notification id).
   */
  readonly dedupeKey: string;
  /** Delay in seconds, or a time. */
  readonly startAfter?: number | Date;
}

export interface RegisterOptions {
  /** Concurrent workers polling this queue in this process (default 1). */
  readonly workers?: number;
  /** Overrides the runner's polling interval for this queue. */
  readonly pollingIntervalSeconds?: number;
}

export interface JobRunnerOptions {
  /** The app role's database: pg-boss runs on its pool, never as the owner. */
  readonly db: Database;
  readonly logger: Logger;
  /** How often idle workers look for jobs (default 2 s; pg-boss minimum 0.5 s). */
  readonly pollingIntervalSeconds?: number;
  /** How often this process checks whether a schedule is due (default 30 s). */
  readonly cronMonitorIntervalSeconds?: number;
  /** Run pg-boss maintenance (expire, archive) from this process (default true). */
  readonly maintenance?: boolean;
  /** Run schedules from this process (default true). */
  readonly schedules?: boolean;
}

export interface ScheduledJob {
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
}

/** The job schema is missing or older than this pg-boss: the migrate step has not run. */
export class JobSchemaError extends Error {
  override readonly name = 'JobSchemaError';
}

interface Registration {
  readonly job: AnyJobDefinition;
  readonly handler: JobHandler<unknown>;
  readonly options: RegisterOptions;
}

/** pg-boss's query interface on a drizzle transaction (same connection, same transaction). */
function transactionExecutor(tx: TenantTx | SystemTx): PgBoss.Db {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      const query = tx._.session.prepareQuery(
        { sql: text, params: values ?? [] },
        undefined,
        undefined,
        false,
      );
      return (await query.execute()) as { rows: unknown[] };
    },
  };
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The platform's background jobs (pg-boss 10, queues in PostgreSQL). Runs as
 * the app role on the app pool with `migrate: false`: the schema, the queues
 * and the app role's grants are installed by the owner role
 * (`installJobSchema`) in the migrate step, so the app role owns nothing.
 *
 * Lifecycle: `register` handlers, `start`, … , `stop` before the pool closes.
 */
export class JobRunner {
  readonly #boss: PgBoss;
  readonly #logger: Logger;
  readonly #pollingIntervalSeconds: number;
  readonly #registrations: Registration[] = [];
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #poolDb: PgBoss.Db;
  /** Handlers running now (a fetch in flight at stop may still start one). */
  #running = 0;
  #installed: Promise<Set<string>> | null = null;
  #state: 'new' | 'starting' | 'started' | 'stopping' | 'stopped' = 'new';

  constructor(options: JobRunnerOptions) {
    this.#logger = options.logger.child({ component: 'jobs' });
    this.#pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
    const pool = options.db.pool;
    // Track pg-boss's queries so stop() can wait for the last ones (it does not
    // await completing a job) before the server closes the pool.
    const db: PgBoss.Db = {
      executeSql: (text: string, values?: unknown[]) => {
        const query = pool.query(text, values);
        this.#inflight.add(query);
        void query.then(
          () => this.#inflight.delete(query),
          () => this.#inflight.delete(query),
        );
        return query;
      },
    };
    this.#poolDb = db;
    this.#boss = new PgBoss({
      db,
      schema: JOB_SCHEMA,
      migrate: false,
      supervise: options.maintenance ?? true,
      schedule: options.schedules ?? true,
      pollingIntervalSeconds: this.#pollingIntervalSeconds,
      ...(options.cronMonitorIntervalSeconds
        ? { cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds }
        : {}),
    });
    this.#boss.on('error', (err: Error & { queue?: string }) => {
      this.#logger.error({ err: describeError(err), queue: err.queue }, 'job runner error');
    });
  }

  /**
   * Adds the handler of a job type. Before `start` it is started with the
   * runner; after `start` it starts at once.
   */
  async register<T>(
    job: JobDefinition<T>,
    handler: JobHandler<T>,
    options: RegisterOptions = {},
  ): Promise<void> {
    if (this.#registrations.some((r) => r.job.name === job.name)) {
      throw new Error(`job "${job.name}" already has a handler`);
    }
    const registration: Registration = {
      job,
      handler: handler as JobHandler<unknown>,
      options,
    };
    this.#registrations.push(registration);
    if (this.#state === 'started') {
      await this.#assertInstalled([job.name]);
      await this.#work(registration);
    }
  }

  /**
   * Checks that the job schema is installed at pg-boss's version and that every
   * registered queue exists, then starts maintenance, schedules and workers.
   */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error(`the job runner cannot start when ${this.#state}`);
    this.#state = 'starting';
    try {
      await this.#assertInstalled([CRON_QUEUE, ...this.#registrations.map((r) => r.job.name)]);
      await this.#boss.start();
    } catch (err) {
      this.#state = 'new';
      if (
        err instanceof Error &&
        /pg-boss (is not installed|database requires migrations)/.test(err.message)
      ) {
        throw new JobSchemaError(
          `The job schema "${JOB_SCHEMA}" is not installed at this version (${err.message}): run the migrate step (npm run cli -- migrate).`,
        );
      }
      throw err;
    }
    for (const registration of this.#registrations) await this.#work(registration);
    this.#state = 'started';
    this.#logger.info({ queues: this.#registrations.map((r) => r.job.name) }, 'job runner started');
  }

  /**
   * Stops polling, lets running handlers finish for up to `timeoutMs` (jobs
   * still running then fail and are retried later), and waits for pg-boss's
   * last queries. Call before closing the pool.
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.#state !== 'started') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopping';
    const timeout = options.timeoutMs ?? 20_000;
    const deadline = Date.now() + timeout;
    await this.#boss.stop({ graceful: true, wait: true, close: false, timeout });
    // pg-boss resolves once no handler runs, but a fetch in flight may still
    // return a job (its handler then runs) and it completes jobs without
    // awaiting: wait until no query and no handler is left, then one more tick.
    for (;;) {
      if (this.#inflight.size > 0) {
        await Promise.allSettled([...this.#inflight]);
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, this.#running > 0 ? 50 : 10));
      if (this.#inflight.size === 0 && (this.#running === 0 || Date.now() > deadline)) break;
    }
    this.#state = 'stopped';
    this.#logger.info('job runner stopped');
  }

  /**
   * Queues a job. Returns its id, or null when a job with the same dedupe key
   * is already queued (see QueueOptions.policy).
   */
  async send<T>(job: JobDefinition<T>, data: T, options: SendOptions): Promise<string | null> {
    return this.#send(job, data, options, undefined);
  }

  /**
   * Queues a job inside the caller's transaction: it exists only if the
   * transaction commits, so a rolled-back change starts no work, and a
   * committed one cannot lose its job. pg-boss's tables have no row-level
   * security, so this works in a tenant or a system transaction.
   */
  async sendInTransaction<T>(
    tx: TenantTx | SystemTx,
    job: JobDefinition<T>,
    data: T,
    options: SendOptions,
  ): Promise<string | null> {
    return this.#send(job, data, options, transactionExecutor(tx));
  }

  /**
   * Runs `job` on a cron schedule in Asia/Tokyo (one schedule per job type;
   * scheduling again replaces it). Every process may call this at start.
   */
  async schedule<T>(job: JobDefinition<T>, cron: string, data: T): Promise<void> {
    const parsed = job.data.parse(data);
    await this.#assertInstalled([job.name]);
    await this.#boss.schedule(job.name, cron, parsed as object, {
      tz: JOB_TIME_ZONE,
      singletonKey: `schedule:${job.name}`,
    });
  }

  /** The registered schedules, as stored. */
  async schedules(): Promise<ScheduledJob[]> {
    const rows = (await this.#boss.getSchedules()) as unknown as {
      name: string;
      cron: string;
      timezone: string;
    }[];
    return rows.map((r) => ({ name: r.name, cron: r.cron, timezone: r.timezone }));
  }

  async #send<T>(
    job: JobDefinition<T>,
    data: T,
    options: SendOptions,
    db: PgBoss.Db | undefined,
  ): Promise<string | null> {
    if (!options.dedupeKey) throw new Error(`job "${job.name}" sent without a dedupe key`);
    const parsed = job.data.parse(data);
    // In a transaction, read the queues on its connection: no second pool
    // connection while the caller holds one (no pool starvation).
    await this.#assertInstalled([job.name], db);
    return this.#boss.send(job.name, parsed as object, {
      singletonKey: options.dedupeKey,
      ...(options.startAfter === undefined ? {} : { startAfter: options.startAfter }),
      ...(db ? { db } : {}),
    });
  }

  async #work(registration: Registration): Promise<void> {
    const { job, handler, options } = registration;
    const workers = Math.max(1, options.workers ?? 1);
    for (let i = 0; i < workers; i++) {
      await this.#boss.work<unknown>(
        job.name,
        {
          batchSize: 1,
          pollingIntervalSeconds: options.pollingIntervalSeconds ?? this.#pollingIntervalSeconds,
        },
        async (jobs) => {
          for (const received of jobs) {
            const log = this.#logger.child({ job: job.name, jobId: received.id });
            this.#running++;
            try {
              const data: unknown = job.data.parse(received.data);
              await handler({ id: received.id, name: job.name, data });
            } catch (err) {
              // Thrown back to pg-boss: the job fails and is retried per its queue.
              log.warn({ err: describeError(err) }, 'job failed');
              throw err;
            } finally {
              this.#running--;
            }
          }
        },
      );
    }
  }

  /** Queues are created by the owner role; the app role cannot create their tables. */
  async #assertInstalled(names: readonly string[], db: PgBoss.Db = this.#poolDb): Promise<void> {
    this.#installed ??= db
      .executeSql(`SELECT name FROM ${JOB_SCHEMA}.queue`, [])
      .then(({ rows }) => new Set((rows as { name: string }[]).map((q) => q.name)))
      .catch((err: unknown) => {
        this.#installed = null;
        throw new JobSchemaError(
          `The job schema "${JOB_SCHEMA}" is not readable by the app role (${describeError(err)}): run the migrate step (npm run cli -- migrate).`,
        );
      });
    const installed = await this.#installed;
    const missing = names.filter((n) => !installed.has(n));
    if (missing.length > 0) {
      throw new JobSchemaError(
        `Job queue(s) ${missing.map((n) => `"${n}"`).join(', ')} are not installed: add the job to the registry (platform/jobs/job-registry.ts) and run the migrate step.`,
      );
    }
  }
}
