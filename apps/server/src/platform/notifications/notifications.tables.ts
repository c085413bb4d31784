import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from '../auth/accounts.tables.js';
import { tenants } from '../tenancy/tenancy.tables.js';

export const emailStatuses = ['pending', 'sent', 'failed'] as const;
export type EmailStatus = (typeof emailStatuses)[number];

/**
 * Why an email is not (yet) sent, for the tenant_admin's outbox view.
 * - smtp_not_configured: no SMTP_URL; the mail waits and goes out once SMTP is configured
 * - smtp_deferred: the server answered 4xx or could not be reached; retried with backoff
 * - smtp_rejected: the server answered 5xx (permanent); failed
 * - no_email_address: the recipient account has no address; failed
 * - retries_exhausted: still deferred after the last attempt; failed
 */
export const emailReasons = [
  'smtp_not_configured',
  'smtp_deferred',
  'smtp_rejected',
  'no_email_address',
  'retries_exhausted',
] as const;
export type EmailReason = (typeof emailReasons)[number];

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * The notification outbox: one row per notification, written in the
 * transaction of the change it reports. In-app notifications are read from
 * here; email is delivered from here by a job (`email_status` pending → sent |
 * failed). Subject and body are the rendered (Japanese) text; `message_key`
 * and `message_params` let the UI re-render it in the user's language.
 */
export const notifications = pgTable(
  'notifications',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    /** Idempotency key chosen by the caller: the same key twice is one notification. */
    dedupeKey: text('dedupe_key').notNull(),
    recipientAccountId: uuid('recipient_account_id'),
    /** Where the email goes: the account's address when notified, or an outsider's. */
    recipientEmail: text('recipient_email'),
    inApp: boolean('in_app').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    messageKey: text('message_key'),
    messageParams: jsonb('message_params').$type<Record<string, string | number>>(),
    sourceModule: text('source_module').notNull(),
    sourceType: text('source_type'),
    sourceId: text('source_id'),
    readAt: at('read_at'),
    /** null: no email channel. */
    emailStatus: text('email_status', { enum: emailStatuses }),
    emailReason: text('email_reason', { enum: emailReasons }),
    emailAttempts: integer('email_attempts').notNull().default(0),
    emailLastError: text('email_last_error'),
    emailLastAttemptAt: at('email_last_attempt_at'),
    /** A pending email is not attempted before this time (backoff). */
    emailNextAttemptAt: at('email_next_attempt_at'),
    emailSentAt: at('email_sent_at'),
    emailMessageId: text('email_message_id'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('notifications_dedupe_key').on(t.tenantId, t.dedupeKey),
    foreignKey({
      name: 'notifications_recipient_account_fk',
      columns: [t.tenantId, t.recipientAccountId],
      foreignColumns: [accounts.tenantId, accounts.id],
    }),
    index('notifications_inbox')
      .on(t.tenantId, t.recipientAccountId, t.createdAt, t.id)
      .where(sql`in_app`),
    index('notifications_email_undelivered')
      .on(t.tenantId, t.createdAt)
      .where(sql`email_status IN ('pending', 'failed')`),
    check(
      'notifications_recipient',
      sql`recipient_account_id IS NOT NULL OR recipient_email IS NOT NULL`,
    ),
    check('notifications_channel', sql`in_app OR email_status IS NOT NULL`),
    check('notifications_in_app_account', sql`NOT in_app OR recipient_account_id IS NOT NULL`),
    check(
      'notifications_email_status',
      sql`email_status IS NULL OR email_status IN ('pending', 'sent', 'failed')`,
    ),
    check(
      'notifications_email_reason',
      sql`email_reason IS NULL OR email_reason IN ('smtp_not_configured', 'smtp_deferred', 'smtp_rejected', 'no_email_address', 'retries_exhausted')`,
    ),
    check(
      'notifications_email_sent',
      sql`email_status IS DISTINCT FROM 'sent' OR email_sent_at IS NOT NULL`,
    ),
  ],
);
