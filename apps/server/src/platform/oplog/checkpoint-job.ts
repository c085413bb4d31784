import type { Logger } from 'pino';
import { z } from 'zod';
import { inSystem, inTenant, tenantScope, type Database } from '../db/database.js';
import { defineJob, type JobRunner } from '../jobs/job-runner.js';
import type { PolicyPackRegistry } from '../policy-pack-registry.js';
import { getEffectiveSettings } from '../settings/settings.service.js';
import { findTenantById, listTenants } from '../tenancy/tenancy.repository.js';
import {
  createCheckpointIfDue,
  readCheckpointPolicy,
  type CheckpointOutcome,
} from './checkpoints.js';
import type { SigningKey } from './signing-key.js';

/**
 * Signs one tenant's chain head when a checkpoint is due (std-7.1.6.2).
 * Dedupe key: tenant + minute; the work itself is idempotent (a checkpoint is
 * keyed by its size), so a duplicate run stores nothing twice.
 */
export const checkpointJob = defineJob({
  name: 'oplog.checkpoint',
  data: z.object({ tenantId: z.uuid() }),
  queue: {
    policy: 'short',
    retryLimit: 2,
    retryDelaySeconds: 30,
    retryBackoff: true,
    expireInSeconds: 300,
  },
});

/** Every minute (Asia/Tokyo): queues a checkpoint job for every tenant. */
export const checkpointSweepJob = defineJob({
  name: 'oplog.checkpoint-sweep',
  data: z.object({}),
  queue: {
    policy: 'short',
    retryLimit: 1,
    retryDelaySeconds: 30,
    retryBackoff: false,
    expireInSeconds: 120,
  },
});

export const checkpointJobs = [checkpointJob, checkpointSweepJob] as const;

/** Every minute, Japan time: due-ness is decided per tenant from its settings. */
export const CHECKPOINT_SWEEP_CRON = '* * * * *';

export interface CheckpointJobDeps {
  /** The app role's database. */
  readonly db: Database;
  readonly jobs: Pick<JobRunner, 'send'>;
  readonly packs: Pick<PolicyPackRegistry, 'get'>;
  /** The loaded signing key; its checkpoint file gets every new note. */
  readonly key: SigningKey;
  readonly logger: Logger;
  /** Overrides the clock (tests). */
  readonly now?: () => Date;
}

/**
 * Runs `createCheckpointIfDue` for one tenant with its effective settings. A
 * refused checkpoint (the chain does not extend the last signed one) is
 * logged as an error for the operator: run verify-log.
 */
export async function checkpointTenant(
  deps: CheckpointJobDeps,
  tenantId: string,
): Promise<CheckpointOutcome | null> {
  const tenant = await inSystem(deps.db, (tx) => findTenantById(tx, tenantId));
  if (!tenant) return null;
  const pack = await deps.packs.get(tenant.policyPackId);
  const now = deps.now?.();
  const outcome = await inTenant(deps.db, tenantScope(tenant.id), async (tx) => {
    const policy = readCheckpointPolicy(await getEffectiveSettings(tx, pack));
    return createCheckpointIfDue(
      tx,
      tenant,
      policy,
      deps.key,
      deps.key.paths.checkpoints,
      now ? { now } : {},
    );
  });
  const log = deps.logger.child({ tenant: tenant.code });
  if (outcome.kind === 'created')
    log.info({ size: outcome.size }, 'operation log checkpoint signed');
  if (outcome.kind === 'refused') {
    log.error(
      { size: outcome.size, seq: outcome.seq, reason: outcome.reason },
      'operation log checkpoint refused: the chain does not extend the last checkpoint; run verify-log',
    );
  }
  return outcome;
}

/** Tokyo minute `YYYY-MM-DDTHH:MM`: one checkpoint job per tenant and minute. */
function tokyoMinute(at: Date): string {
  return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 16);
}

/** Queues one checkpoint job per tenant (dedupe key: tenant + minute). */
export async function sweepCheckpoints(deps: CheckpointJobDeps): Promise<number> {
  const tenants = await inSystem(deps.db, (tx) => listTenants(tx));
  const minute = tokyoMinute(deps.now?.() ?? new Date());
  let queued = 0;
  for (const tenant of tenants) {
    const id = await deps.jobs.send(
      checkpointJob,
      { tenantId: tenant.id },
      { dedupeKey: `${tenant.id}:${minute}` },
    );
    if (id) queued++;
  }
  return queued;
}

/**
 * Registers the checkpoint handlers and schedules the sweep every minute
 * (Asia/Tokyo). Call before `jobs.start()`.
 */
export async function registerCheckpointJobs(
  deps: Omit<CheckpointJobDeps, 'jobs'> & { readonly jobs: JobRunner },
): Promise<void> {
  const withLogger = { ...deps, logger: deps.logger.child({ component: 'oplog-checkpoints' }) };
  await deps.jobs.register(checkpointJob, async (job) => {
    await checkpointTenant(withLogger, job.data.tenantId);
  });
  await deps.jobs.register(checkpointSweepJob, async () => {
    await sweepCheckpoints(withLogger);
  });
  await deps.jobs.schedule(checkpointSweepJob, CHECKPOINT_SWEEP_CRON, {});
}
