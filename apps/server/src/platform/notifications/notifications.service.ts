import { requiredText } from '@mamori/contracts';
import { z } from 'zod';
import type { TenantTx } from '../db/database.js';
import { AppError, notFound } from '../errors.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { deliverEmailJob } from './notification-jobs.js';
import {
  countUnread,
  findAccountEmail,
  findNotificationByDedupeKey,
  insertNotification,
  listInbox,
  listUndeliveredEmail,
  markInAppRead,
  type NewNotificationRow,
  type NotificationRow,
} from './notifications.repository.js';
import type { EmailReason, EmailStatus } from './notifications.tables.js';

export const notificationChannels = ['in_app', 'email'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

const notifyInputSchema = z
  .object({
    /** An account of the tenant, or an outsider's address (email only). */
    recipient: z.union([
      z.object({ accountId: z.uuid() }).strict(),
      z.object({ email: z.email().max(320) }).strict(),
    ]),
    channels: z
      .array(z.enum(notificationChannels))
      .min(1)
      .transform((c) => [...new Set(c)]),
    /** Rendered text; one line (it becomes the Subject header). */
    subject: requiredText(200).pipe(z.string().regex(/^[^\r\n]*$/, 'must be one line')),
    body: requiredText(20_000),
    /** i18n key and parameters, so the UI can show it in the reader's language. */
    message: z
      .object({
        key: z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/),
        params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
      })
      .optional(),
    source: z.object({
      module: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
      subjectType: z.string().min(1).max(100).optional(),
      subjectId: z.string().min(1).max(200).optional(),
    }),
    /**
     * The idempotency key, unique per tenant: notifying twice with the same key
     * creates one notification (and one email). Derive it from what happened,
     * e.g. `approval:<request id>:decided`.
     */
    dedupeKey: z.string().min(1).max(300),
  })
  .refine((v) => !(v.channels.includes('in_app') && 'email' in v.recipient), {
    message: 'an in-app notification needs an account as recipient',
    path: ['channels'],
  });

export type NotifyInput = z.input<typeof notifyInputSchema>;

export interface NotifyResult {
  readonly id: string;
  /** False when the dedupe key already existed (nothing new was created or queued). */
  readonly created: boolean;
  readonly email: { readonly status: EmailStatus; readonly reason: EmailReason | null } | null;
}

export interface NotificationSource {
  readonly module: string;
  readonly subjectType: string | null;
  readonly subjectId: string | null;
}

export interface InAppNotification {
  readonly id: string;
  readonly subject: string;
  readonly body: string;
  readonly messageKey: string | null;
  readonly messageParams: Record<string, string | number> | null;
  readonly source: NotificationSource;
  readonly readAt: Date | null;
  readonly createdAt: Date;
}

export interface InAppPage {
  readonly items: InAppNotification[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface UndeliveredEmail {
  readonly id: string;
  readonly recipientAccountId: string | null;
  readonly recipientEmail: string | null;
  readonly subject: string;
  readonly status: EmailStatus;
  readonly reason: EmailReason | null;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly lastAttemptAt: Date | null;
  readonly nextAttemptAt: Date | null;
  readonly source: NotificationSource;
  readonly createdAt: Date;
}

export interface NotificationService {
  /**
   * Records a notification in the caller's transaction and, for email, queues
   * its delivery in the same transaction: a rolled-back change notifies
   * nobody, a committed one cannot lose its email. Idempotent per dedupe key.
   */
  notify(tx: TenantTx, input: NotifyInput): Promise<NotifyResult>;
  /** The account's in-app notifications, newest first. */
  listInApp(
    tx: TenantTx,
    accountId: string,
    options?: { unreadOnly?: boolean; limit?: number; cursor?: string | null },
  ): Promise<InAppPage>;
  /** Marks one of the account's in-app notifications read (idempotent); not_found otherwise. */
  markRead(tx: TenantTx, accountId: string, notificationId: string): Promise<InAppNotification>;
  countUnread(tx: TenantTx, accountId: string): Promise<number>;
  /** Email not delivered yet (pending) or never (failed), oldest first: the tenant_admin's outbox. */
  listUndelivered(tx: TenantTx, options?: { limit?: number }): Promise<UndeliveredEmail[]>;
}

export interface NotificationServiceDeps {
  /** Queues delivery jobs in the caller's transaction. */
  readonly jobs: Pick<JobRunner, 'sendInTransaction'>;
  /** Whether SMTP_URL is configured (`config.smtpUrl !== undefined`). */
  readonly smtpConfigured: boolean;
}

function validationError(error: z.ZodError): AppError {
  return new AppError('validation_failed', 'The notification is not valid.', {
    issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })),
  });
}

function sourceOf(row: NotificationRow): NotificationSource {
  return { module: row.sourceModule, subjectType: row.sourceType, subjectId: row.sourceId };
}

function toInApp(row: NotificationRow): InAppNotification {
  return {
    id: row.id,
    subject: row.subject,
    body: row.body,
    messageKey: row.messageKey,
    messageParams: row.messageParams,
    source: sourceOf(row),
    readAt: row.readAt,
    createdAt: row.createdAt,
  };
}

function toUndelivered(row: NotificationRow): UndeliveredEmail {
  return {
    id: row.id,
    recipientAccountId: row.recipientAccountId,
    recipientEmail: row.recipientEmail,
    subject: row.subject,
    status: row.emailStatus ?? 'pending',
    reason: row.emailReason,
    attempts: row.emailAttempts,
    lastError: row.emailLastError,
    lastAttemptAt: row.emailLastAttemptAt,
    nextAttemptAt: row.emailNextAttemptAt,
    source: sourceOf(row),
    createdAt: row.createdAt,
  };
}

function result(row: NotificationRow, created: boolean): NotifyResult {
  return {
    id: row.id,
    created,
    email: row.emailStatus ? { status: row.emailStatus, reason: row.emailReason } : null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertAccountId(accountId: string): void {
  if (!UUID.test(accountId)) {
    throw new AppError('validation_failed', 'The account id is not valid.', { accountId });
  }
}

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [time, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(time ?? '');
  if (!id || !UUID.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError('validation_failed', 'The cursor is not valid.', { cursor });
  }
  return { createdAt, id };
}

/** The notification service other modules call (`ctx.notifications.notify(tx, …)`). */
export function createNotificationService(deps: NotificationServiceDeps): NotificationService {
  return {
    notify: async (tx, input) => {
      const parsed = notifyInputSchema.safeParse(input);
      if (!parsed.success) throw validationError(parsed.error);
      const v = parsed.data;
      const existing = await findNotificationByDedupeKey(tx, v.dedupeKey);
      if (existing) return result(existing, false);

      const wantsEmail = v.channels.includes('email');
      let recipientAccountId: string | null = null;
      let recipientEmail: string | null = null;
      if ('accountId' in v.recipient) {
        const account = await findAccountEmail(tx, v.recipient.accountId);
        if (!account) throw notFound('recipient account');
        recipientAccountId = v.recipient.accountId;
        recipientEmail = wantsEmail ? account.email : null;
      } else {
        recipientEmail = v.recipient.email;
      }

      let email: Pick<NewNotificationRow, 'emailStatus' | 'emailReason'> = {
        emailStatus: null,
        emailReason: null,
      };
      if (wantsEmail) {
        if (!recipientEmail) email = { emailStatus: 'failed', emailReason: 'no_email_address' };
        else if (!deps.smtpConfigured) {
          email = { emailStatus: 'pending', emailReason: 'smtp_not_configured' };
        } else email = { emailStatus: 'pending', emailReason: null };
      }

      const row = await insertNotification(tx, {
        dedupeKey: v.dedupeKey,
        recipientAccountId,
        recipientEmail,
        inApp: v.channels.includes('in_app'),
        subject: v.subject,
        body: v.body,
        messageKey: v.message?.key ?? null,
        messageParams: v.message?.params ?? null,
        sourceModule: v.source.module,
        sourceType: v.source.subjectType ?? null,
        sourceId: v.source.subjectId ?? null,
        ...email,
      });
      if (!row) {
        // A concurrent transaction inserted the same key and committed first.
        const winner = await findNotificationByDedupeKey(tx, v.dedupeKey);
        if (!winner) throw new AppError('conflict', 'The notification is being created elsewhere.');
        return result(winner, false);
      }
      if (row.emailStatus === 'pending' && deps.smtpConfigured) {
        await deps.jobs.sendInTransaction(
          tx,
          deliverEmailJob,
          { tenantId: tx.scope.tenantId, notificationId: row.id },
          { dedupeKey: row.id },
        );
      }
      return result(row, true);
    },

    listInApp: async (tx, accountId, options = {}) => {
      assertAccountId(accountId);
      const limit = Math.min(Math.max(Math.trunc(options.limit ?? 20), 1), 100);
      const before = options.cursor ? decodeCursor(options.cursor) : undefined;
      const rows = await listInbox(tx, accountId, {
        unreadOnly: options.unreadOnly ?? false,
        limit: limit + 1,
        ...(before ? { before } : {}),
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map(toInApp),
        nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
      };
    },

    markRead: async (tx, accountId, notificationId) => {
      if (!UUID.test(notificationId)) throw notFound('notification');
      const row = await markInAppRead(tx, accountId, notificationId);
      if (!row) throw notFound('notification');
      return toInApp(row);
    },

    countUnread: (tx, accountId) => {
      assertAccountId(accountId);
      return countUnread(tx, accountId);
    },

    listUndelivered: async (tx, options = {}) => {
      const limit = Math.min(Math.max(Math.trunc(options.limit ?? 200), 1), 1000);
      return (await listUndeliveredEmail(tx, limit)).map(toUndelivered);
    },
  };
}
