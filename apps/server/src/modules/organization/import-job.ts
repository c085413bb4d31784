import { randomUUID } from 'node:crypto';
import type { OrgImportStatus } from '@mamori/contracts';
import type { IsoDate } from '@mamori/policy';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  inSystem,
  inTenant,
  tenantScope,
  type Database,
  type TenantScope,
} from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { defineJob, type JobRunner } from '../../platform/jobs/job-runner.js';
import type { PolicyPackRegistry } from '../../platform/policy-pack-registry.js';
import { findTenantById, listTenants } from '../../platform/tenancy/tenancy.repository.js';
import {
  assertApplicable,
  loadOrgImport,
  presentOrgImportStatus,
  runOrgImportApply,
  type OrgImportApplyOutcome,
} from './import-plan.js';
import {
  expireOrgImports,
  failStalledOrgImports,
  markOrgImportApplying,
} from './import-records.repository.js';

/*
 * The HR import's apply as a job (pg-boss): any app server may take it, and
 * it survives a restart of the server that accepted the request. A sweep
 * expires uploads not applied within 24 h and fails applies whose job gave up.
 */

/** Applies one stored import (`applying`) for the account that confirmed it. */
export const orgImportApplyJob = defineJob({
  name: 'organization.import-apply',
  data: z.object({
    tenantId: z.uuid(),
    importId: z.uuid(),
    accountId: z.uuid(),
    today: z.iso.date(),
  }),
  queue: {
    policy: 'short',
    retryLimit: 2,
    retryDelaySeconds: 30,
    retryBackoff: true,
    // A 10 MB file of many thousand rows, possibly after another import of the tenant.
    expireInSeconds: 3600,
  },
});

/** Hourly: expires old uploads and fails stalled applies, in every tenant. */
export const orgImportSweepJob = defineJob({
  name: 'organization.import-sweep',
  data: z.object({}),
  queue: {
    policy: 'short',
    retryLimit: 2,
    retryDelaySeconds: 60,
    retryBackoff: false,
    expireInSeconds: 300,
  },
});

export type OrgImportApplyData = z.infer<typeof orgImportApplyJob.data>;

export const orgImportJobs = [orgImportApplyJob, orgImportSweepJob] as const;

/** Every hour at :17 (Asia/Tokyo); reads expire the import exactly at 24 h anyway. */
export const ORG_IMPORT_SWEEP_CRON = '17 * * * *';

/**
 * Accepts the apply of a stored import: checks it under a row lock
 * (`assertApplicable`), marks it `applying` and queues the job in the same
 * transaction, so the job exists exactly when the state says so.
 */
export async function requestOrgImportApply(
  db: Database,
  jobs: Pick<JobRunner, 'sendInTransaction'>,
  scope: TenantScope,
  input: { id: string; accountId: string; planDigest: string; today: IsoDate },
): Promise<OrgImportStatus> {
  return inTenant(db, scope, async (tx) => {
    const row = await loadOrgImport(tx, input.id, { lock: true });
    assertApplicable(row, input.planDigest);
    const applying = await markOrgImportApplying(tx, row.id);
    // Cannot happen under the row lock after assertApplicable; kept as a guard.
    if (!applying) throw new AppError('conflict', `The import is ${row.state}.`);
    // A fresh key per request: a second delivery of this job is a no-op by the
    // import's state, and a retry after a failure is a new job.
    await jobs.sendInTransaction(
      tx,
      orgImportApplyJob,
      {
        tenantId: scope.tenantId,
        importId: row.id,
        accountId: input.accountId,
        today: input.today,
      },
      { dedupeKey: `${row.id}:${randomUUID()}` },
    );
    return presentOrgImportStatus(applying);
  });
}

export interface OrgImportJobDeps {
  readonly db: Database;
  readonly packs: Pick<PolicyPackRegistry, 'get'>;
  readonly logger: Logger;
  /** Rows between progress reports (default PROGRESS_EVERY). */
  readonly progressEvery?: number;
}

/** One delivery of the apply job (idempotent: see runOrgImportApply). */
export async function handleOrgImportApply(
  deps: OrgImportJobDeps,
  data: OrgImportApplyData,
): Promise<OrgImportApplyOutcome> {
  const tenant = await inSystem(deps.db, (tx) => findTenantById(tx, data.tenantId));
  if (!tenant) return 'skipped';
  const pack = await deps.packs.get(tenant.policyPackId);
  const outcome = await runOrgImportApply(deps.db, tenantScope(tenant.id), pack, {
    id: data.importId,
    actor: { type: 'account', id: data.accountId },
    today: data.today,
    ...(deps.progressEvery ? { progressEvery: deps.progressEvery } : {}),
  });
  deps.logger.info(
    { tenant: tenant.code, importId: data.importId, outcome },
    'organization import',
  );
  return outcome;
}

/** Expires old uploads and fails stalled applies in every tenant; returns how many changed. */
export async function sweepOrgImports(deps: Pick<OrgImportJobDeps, 'db'>): Promise<number> {
  const tenants = await inSystem(deps.db, (tx) => listTenants(tx));
  let changed = 0;
  for (const tenant of tenants) {
    changed += await inTenant(deps.db, tenantScope(tenant.id), async (tx) => {
      const expired = await expireOrgImports(tx);
      const stalled = await failStalledOrgImports(tx, {
        code: 'internal',
        message: 'The import was interrupted; nothing was written. Apply it again.',
      });
      return expired + stalled;
    });
  }
  return changed;
}

/** Registers the apply worker and the hourly sweep (Asia/Tokyo). Call before `jobs.start()`. */
export async function registerOrgImportJobs(
  deps: OrgImportJobDeps & { readonly jobs: JobRunner },
): Promise<void> {
  const withLogger = { ...deps, logger: deps.logger.child({ component: 'org-import' }) };
  await deps.jobs.register(orgImportApplyJob, async (job) => {
    await handleOrgImportApply(withLogger, job.data);
  });
  await deps.jobs.register(orgImportSweepJob, async () => {
    await sweepOrgImports(withLogger);
  });
  await deps.jobs.schedule(orgImportSweepJob, ORG_IMPORT_SWEEP_CRON, {});
}
