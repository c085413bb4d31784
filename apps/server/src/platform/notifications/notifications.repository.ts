import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { accounts } from '../auth/accounts.tables.js';
import type { TenantTx } from '../db/database.js';
import { notifications, type EmailReason } from './notifications.tables.js';

export type NotificationRow = typeof notifications.$inferSelect;
export type NewNotificationRow = Omit<typeof notifications.$inferInsert, 'tenantId'>;

/** The recipient's address (null: the account has none), or null when no such account. */
export async function findAccountEmail(
  tx: TenantTx,
  accountId: string,
): Promise<{ email: string | null } | null> {
  const rows = await tx
    .select({ email: accounts.email })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .limit(1);
  return rows[0] ?? null;
}

/** Inserts unless the tenant already has this dedupe key: then returns null. */
export async function insertNotification(
  tx: TenantTx,
  row: NewNotificationRow,
): Promise<NotificationRow | null> {
  const [created] = await tx
    .insert(notifications)
    .values({ ...row, tenantId: tx.scope.tenantId })
    .onConflictDoNothing({ target: [notifications.tenantId, notifications.dedupeKey] })
    .returning();
  return created ?? null;
}

export async function findNotificationByDedupeKey(
  tx: TenantTx,
  dedupeKey: string,
): Promise<NotificationRow | null> {
  const rows = await tx
    .select()
    .from(notifications)
    .where(eq(notifications.dedupeKey, dedupeKey))
    .limit(1);
  return rows[0] ?? null;
}

/** An account's in-app notifications, newest first, after a (created_at, id) cursor. */
export async function listInbox(
  tx: TenantTx,
  accountId: string,
  options: { unreadOnly: boolean; limit: number; before?: { createdAt: Date; id: string } },
): Promise<NotificationRow[]> {
  const { before } = options;
  return tx
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.recipientAccountId, accountId),
        eq(notifications.inApp, true),
        options.unreadOnly ? isNull(notifications.readAt) : undefined,
        before
          ? sql`(${notifications.createdAt}, ${notifications.id}) < (${before.createdAt.toISOString()}::timestamptz, ${before.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(options.limit);
}

export async function countUnread(tx: TenantTx, accountId: string): Promise<number> {
  const rows = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(
      and(
        eq(notifications.recipientAccountId, accountId),
        eq(notifications.inApp, true),
        isNull(notifications.readAt),
      ),
    );
  return rows[0]?.n ?? 0;
}

/** Sets read_at once (a second call keeps the first time). Null: not this account's. */
export async function markInAppRead(
  tx: TenantTx,
  accountId: string,
  notificationId: string,
): Promise<NotificationRow | null> {
  const where = and(
    eq(notifications.id, notificationId),
    eq(notifications.recipientAccountId, accountId),
    eq(notifications.inApp, true),
  );
  const [updated] = await tx
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(where, isNull(notifications.readAt)))
    .returning();
  if (updated) return updated;
  const rows = await tx.select().from(notifications).where(where).limit(1);
  return rows[0] ?? null;
}

/** Email not delivered (pending or failed), oldest first. */
export async function listUndeliveredEmail(
  tx: TenantTx,
  limit: number,
): Promise<NotificationRow[]> {
  return tx
    .select()
    .from(notifications)
    .where(inArray(notifications.emailStatus, ['pending', 'failed']))
    .orderBy(asc(notifications.createdAt), asc(notifications.id))
    .limit(limit);
}

/** Pending email due for an attempt (for the sweep). */
export async function listDueEmailIds(tx: TenantTx, limit: number): Promise<string[]> {
  const rows = await tx
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.emailStatus, 'pending'),
        or(
          isNull(notifications.emailNextAttemptAt),
          sql`${notifications.emailNextAttemptAt} <= now()`,
        ),
      ),
    )
    .orderBy(asc(notifications.createdAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Locks a pending email for one attempt (FOR UPDATE: a concurrent run of the
 * same delivery waits, then finds it no longer pending). `due` says whether its
 * backoff has passed.
 */
export async function lockPendingEmail(
  tx: TenantTx,
  notificationId: string,
): Promise<{ row: NotificationRow; due: boolean } | null> {
  const rows = await tx
    .select({
      row: notifications,
      due: sql<boolean>`(${notifications.emailNextAttemptAt} IS NULL OR ${notifications.emailNextAttemptAt} <= now())`,
    })
    .from(notifications)
    .where(and(eq(notifications.id, notificationId), eq(notifications.emailStatus, 'pending')))
    .for('update');
  return rows[0] ?? null;
}

export async function recordEmailSent(
  tx: TenantTx,
  notificationId: string,
  messageId: string,
): Promise<void> {
  await tx
    .update(notifications)
    .set({
      emailStatus: 'sent',
      emailReason: null,
      emailAttempts: sql`${notifications.emailAttempts} + 1`,
      emailLastAttemptAt: sql`clock_timestamp()`,
      emailSentAt: sql`clock_timestamp()`,
      emailNextAttemptAt: null,
      emailMessageId: messageId,
    })
    .where(eq(notifications.id, notificationId));
}

/**
 * Records a failed attempt: `retryInSeconds` keeps it pending until then;
 * without it the email is failed for good.
 */
export async function recordEmailFailure(
  tx: TenantTx,
  notificationId: string,
  failure: { reason: EmailReason; error: string; retryInSeconds?: number },
): Promise<void> {
  const retry = failure.retryInSeconds;
  await tx
    .update(notifications)
    .set({
      emailStatus: retry === undefined ? 'failed' : 'pending',
      emailReason: failure.reason,
      emailLastError: failure.error,
      emailAttempts: sql`${notifications.emailAttempts} + 1`,
      emailLastAttemptAt: sql`clock_timestamp()`,
      emailNextAttemptAt:
        retry === undefined ? null : sql`clock_timestamp() + make_interval(secs => ${retry})`,
    })
    .where(eq(notifications.id, notificationId));
}

/** Notes why a pending email waits without counting an attempt. */
export async function recordEmailWaiting(
  tx: TenantTx,
  notificationId: string,
  reason: EmailReason,
): Promise<void> {
  await tx
    .update(notifications)
    .set({ emailReason: reason })
    .where(and(eq(notifications.id, notificationId), eq(notifications.emailStatus, 'pending')));
}
