import type { Logger } from 'pino';
import { z } from 'zod';
import { inSystem, inTenant, tenantScope, type Database } from '../db/database.js';
import { defineJob, type JobRunner } from '../jobs/job-runner.js';
import { listTenants } from '../tenancy/tenancy.repository.js';
import { classifySmtpError, messageIdDomain, type Mailer } from './mailer.js';
import {
  listDueEmailIds,
  lockPendingEmail,
  recordEmailFailure,
  recordEmailSent,
  recordEmailWaiting,
} from './notifications.repository.js';

/**
 * Sends one notification's email. Queued in the transaction that created the
 * notification (dedupe key = notification id), again by itself after a
 * transient failure (with backoff), and by the sweep.
 */
export const deliverEmailJob = defineJob({
  name: 'notifications.deliver-email',
  data: z.object({ tenantId: z.uuid(), notificationId: z.uuid() }),
  // SMTP failures are retried by the handler (recorded on the notification);
  // these retries cover crashes and database errors.
  queue: {
    policy: 'short',
    retryLimit: 5,
    retryDelaySeconds: 30,
    retryBackoff: true,
    expireInSeconds: 300,
  },
});

/** Re-queues pending email that is due, for every tenant (scheduled, Asia/Tokyo). */
export const sweepEmailJob = defineJob({
  name: 'notifications.sweep-email',
  data: z.object({}),
  queue: {
    policy: 'short',
    retryLimit: 2,
    retryDelaySeconds: 60,
    retryBackoff: true,
    expireInSeconds: 600,
  },
});

export const notificationJobs = [deliverEmailJob, sweepEmailJob] as const;

/** Every 10 minutes, Japan time. */
export const DEFAULT_SWEEP_CRON = '*/10 * * * *';

export interface EmailRetryPolicy {
  /** Delay after the first transient failure; doubled per further failure. */
  readonly baseDelaySeconds: number;
  readonly maxDelaySeconds: number;
  /** Attempts before a still-deferred email is failed (`retries_exhausted`). */
  readonly maxAttempts: number;
}

/** 1, 2, 4 … 60 minutes: twelve attempts span about six hours. */
export const defaultEmailRetry: EmailRetryPolicy = {
  baseDelaySeconds: 60,
  maxDelaySeconds: 3600,
  maxAttempts: 12,
};

/** Backoff before attempt `failures + 1`, with up to 20 % jitter so a backlog spreads out. */
export function emailBackoffSeconds(failures: number, policy: EmailRetryPolicy): number {
  const exponential = policy.baseDelaySeconds * 2 ** Math.max(0, failures - 1);
  const capped = Math.min(exponential, policy.maxDelaySeconds);
  return Math.max(1, Math.round(capped * (1 + Math.random() * 0.2)));
}

export interface NotificationJobDeps {
  /** The app role's database. */
  readonly db: Database;
  readonly jobs: JobRunner;
  /** null: SMTP is not configured; email waits as `smtp_not_configured`. */
  readonly mailer: Mailer | null;
  readonly logger: Logger;
  readonly retry?: Partial<EmailRetryPolicy>;
  readonly sweepCron?: string;
  /** Pending emails re-queued per tenant and sweep (default 500). */
  readonly sweepBatchSize?: number;
}

type DeliveryOutcome =
  { kind: 'sent' | 'failed' | 'skipped' } | { kind: 'deferred'; retryInSeconds: number };

/**
 * Delivers one email. Idempotent: the notification row is locked for the
 * attempt and only a pending, due email is sent, so a duplicate or re-run job
 * finds nothing to do. A crash after the SMTP server accepted the message but
 * before the commit sends it again (at-least-once); the Message-ID is the same.
 */
export async function deliverEmail(
  deps: NotificationJobDeps,
  data: { tenantId: string; notificationId: string },
): Promise<void> {
  const { db, mailer } = deps;
  const retry = { ...defaultEmailRetry, ...deps.retry };
  const log = deps.logger.child({ tenantId: data.tenantId, notificationId: data.notificationId });
  const scope = tenantScope(data.tenantId);
  if (!mailer) {
    await inTenant(db, scope, (tx) =>
      recordEmailWaiting(tx, data.notificationId, 'smtp_not_configured'),
    );
    return;
  }
  const outcome = await inTenant(db, scope, async (tx): Promise<DeliveryOutcome> => {
    const locked = await lockPendingEmail(tx, data.notificationId);
    if (!locked?.due) return { kind: 'skipped' };
    const n = locked.row;
    if (!n.recipientEmail) {
      await recordEmailFailure(tx, n.id, {
        reason: 'no_email_address',
        error: 'the recipient has no email address',
      });
      return { kind: 'failed' };
    }
    try {
      const info = await mailer.send({
        to: n.recipientEmail,
        subject: n.subject,
        text: n.body,
        messageId: `<${n.id}@${messageIdDomain(mailer.from)}>`,
      });
      await recordEmailSent(tx, n.id, info.messageId);
      return { kind: 'sent' };
    } catch (err) {
      const failure = classifySmtpError(err);
      const attempts = n.emailAttempts + 1;
      if (failure.permanent) {
        await recordEmailFailure(tx, n.id, { reason: 'smtp_rejected', error: failure.message });
        return { kind: 'failed' };
      }
      if (attempts >= retry.maxAttempts) {
        await recordEmailFailure(tx, n.id, { reason: 'retries_exhausted', error: failure.message });
        return { kind: 'failed' };
      }
      const retryInSeconds = emailBackoffSeconds(attempts, retry);
      await recordEmailFailure(tx, n.id, {
        reason: 'smtp_deferred',
        error: failure.message,
        retryInSeconds,
      });
      return { kind: 'deferred', retryInSeconds };
    }
  });
  if (outcome.kind === 'deferred') {
    log.warn({ retryInSeconds: outcome.retryInSeconds }, 'email deferred');
    // After the commit: if this process dies first, the sweep re-queues it when due.
    await deps.jobs.send(deliverEmailJob, data, {
      dedupeKey: data.notificationId,
      startAfter: outcome.retryInSeconds,
    });
  } else if (outcome.kind === 'failed') {
    log.warn('email failed permanently');
  } else if (outcome.kind === 'sent') {
    log.info('email sent');
  }
}

/**
 * Re-queues due pending email of every tenant: mail that waited for SMTP to be
 * configured, mail whose job was lost, and mail past its backoff. Tenants are
 * listed in the system scope; each tenant is read in its own scope (RLS).
 */
export async function sweepEmail(deps: NotificationJobDeps): Promise<number> {
  if (!deps.mailer) return 0;
  const batch = deps.sweepBatchSize ?? 500;
  const tenants = await inSystem(deps.db, (tx) => listTenants(tx));
  let queued = 0;
  for (const tenant of tenants) {
    const ids = await inTenant(deps.db, tenantScope(tenant.id), (tx) => listDueEmailIds(tx, batch));
    for (const notificationId of ids) {
      const id = await deps.jobs.send(
        deliverEmailJob,
        { tenantId: tenant.id, notificationId },
        { dedupeKey: notificationId },
      );
      if (id) queued++;
    }
  }
  if (queued > 0) deps.logger.info({ queued }, 'pending email re-queued');
  return queued;
}

/**
 * Registers the delivery and sweep handlers, schedules the sweep (Asia/Tokyo)
 * and, when SMTP is configured, queues one sweep now so that mail waiting for
 * SMTP goes out right after a restart. Call before `jobs.start()`.
 */
export async function registerNotificationJobs(deps: NotificationJobDeps): Promise<void> {
  const logger = deps.logger.child({ component: 'notifications' });
  const withLogger = { ...deps, logger };
  await deps.jobs.register(deliverEmailJob, (job) => deliverEmail(withLogger, job.data));
  await deps.jobs.register(sweepEmailJob, async () => {
    await sweepEmail(withLogger);
  });
  await deps.jobs.schedule(sweepEmailJob, deps.sweepCron ?? DEFAULT_SWEEP_CRON, {});
  if (deps.mailer) await deps.jobs.send(sweepEmailJob, {}, { dedupeKey: 'startup' });
}
