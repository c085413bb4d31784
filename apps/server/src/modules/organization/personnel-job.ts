import { toTokyoDate, type IsoDate, type OrgSnapshot } from '@mamori/policy';
import type { Logger } from 'pino';
import { z } from 'zod';
import { inSystem, inTenant, tenantScope, type Database } from '../../platform/db/database.js';
import { defineJob, type JobRunner } from '../../platform/jobs/job-runner.js';
import type { Actor } from '../../platform/oplog/oplog.service.js';
import type { PolicyPackRegistry } from '../../platform/policy-pack-registry.js';
import { findTenantById, listTenants } from '../../platform/tenancy/tenancy.repository.js';
import { lockDueEvents } from './personnel-events.repository.js';
import { applyScheduledEvent } from './personnel-events.service.js';

/** The job's actor in the operation log. */
export const PERSONNEL_JOB_ACTOR: Actor = { type: 'system', id: 'personnel-events' };

/**
 * Applies one tenant's personnel events due on or before `date` (Asia/Tokyo).
 * Dedupe key: tenant + date. Idempotent: an applied event is no longer
 * `scheduled`, so a second run applies nothing twice.
 */
export const personnelEventsJob = defineJob({
  name: 'organization.personnel-events',
  data: z.object({ tenantId: z.uuid(), date: z.iso.date() }),
  queue: {
    policy: 'short',
    retryLimit: 3,
    retryDelaySeconds: 60,
    retryBackoff: true,
    expireInSeconds: 900,
  },
});

/** Daily (Asia/Tokyo): queues the personnel-events job of every tenant. */
export const personnelEventsSweepJob = defineJob({
  name: 'organization.personnel-events-sweep',
  data: z.object({}),
  queue: {
    policy: 'short',
    retryLimit: 2,
    retryDelaySeconds: 60,
    retryBackoff: false,
    expireInSeconds: 300,
  },
});

export const personnelJobs = [personnelEventsJob, personnelEventsSweepJob] as const;

/**
 * 00:05 and again at 06:05 Japan time: events dated today take effect at the
 * start of the day; the second run catches a night the server was down.
 */
export const PERSONNEL_SWEEP_CRON = '5 0,6 * * *';

export interface PersonnelJobDeps {
  readonly db: Database;
  readonly packs: Pick<PolicyPackRegistry, 'get'>;
  readonly logger: Logger;
}

/** What one run applied for one tenant. */
export interface PersonnelRunResult {
  readonly applied: number;
  readonly failed: number;
}

/**
 * Applies every scheduled event of one tenant due on or before `date`, each in
 * its own transaction with its own operation-log entry (one failing event
 * does not hold back the others; it is retried on the next run).
 */
export async function applyDuePersonnelEvents(
  deps: PersonnelJobDeps,
  tenantId: string,
  date: IsoDate,
): Promise<PersonnelRunResult> {
  const tenant = await inSystem(deps.db, (tx) => findTenantById(tx, tenantId));
  if (!tenant) return { applied: 0, failed: 0 };
  const pack = await deps.packs.get(tenant.policyPackId);
  const scope = tenantScope(tenant.id);
  const due = await inTenant(deps.db, scope, async (tx) =>
    (await lockDueEvents(tx, date, 10_000)).map((e) => e.id),
  );
  let applied = 0;
  let failed = 0;
  // One snapshot per date for the whole run: an event reads only its own
  // person's units and roles from it, which no other event of the run changes.
  const snapshots = new Map<string, OrgSnapshot>();
  for (const eventId of due) {
    try {
      const result = await inTenant(deps.db, scope, (tx) =>
        applyScheduledEvent(tx, pack, PERSONNEL_JOB_ACTOR, eventId, { today: date, snapshots }),
      );
      if (result) applied++;
    } catch (err) {
      failed++;
      deps.logger.error(
        { tenant: tenant.code, eventId, err: err instanceof Error ? err.message : String(err) },
        'personnel event could not be applied',
      );
    }
  }
  if (applied > 0 || failed > 0)
    deps.logger.info({ tenant: tenant.code, date, applied, failed }, 'personnel events applied');
  if (failed > 0) throw new Error(`${String(failed)} personnel event(s) failed; retried later`);
  return { applied, failed };
}

/** Queues one job per tenant for today (Asia/Tokyo). */
export async function sweepPersonnelEvents(
  deps: PersonnelJobDeps & { readonly jobs: Pick<JobRunner, 'send'> },
  now = new Date(),
): Promise<number> {
  const date = toTokyoDate(now);
  const tenants = await inSystem(deps.db, (tx) => listTenants(tx));
  let queued = 0;
  for (const tenant of tenants) {
    const id = await deps.jobs.send(
      personnelEventsJob,
      { tenantId: tenant.id, date },
      { dedupeKey: `${tenant.id}:${date}` },
    );
    if (id) queued++;
  }
  return queued;
}

/** Registers the handlers and the daily schedule (Asia/Tokyo). Call before `jobs.start()`. */
export async function registerPersonnelJobs(
  deps: PersonnelJobDeps & { readonly jobs: JobRunner },
): Promise<void> {
  const withLogger = { ...deps, logger: deps.logger.child({ component: 'personnel-events' }) };
  await deps.jobs.register(personnelEventsJob, async (job) => {
    await applyDuePersonnelEvents(withLogger, job.data.tenantId, job.data.date);
  });
  await deps.jobs.register(personnelEventsSweepJob, async () => {
    await sweepPersonnelEvents(withLogger);
  });
  await deps.jobs.schedule(personnelEventsSweepJob, PERSONNEL_SWEEP_CRON, {});
}
