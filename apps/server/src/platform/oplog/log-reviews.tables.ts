import {
  bigint,
  date,
  foreignKey,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from '../auth/accounts.tables.js';
import { operationLog } from './oplog.tables.js';

/**
 * Periodic reviews of the operation log (std-7.1.6.3: logs are reviewed
 * regularly; default monthly, setting `log.review.interval`): who reviewed
 * which range, when, and what they found. Anchored in the log itself.
 */
export const logReviews = pgTable(
  'log_reviews',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    reviewedBy: uuid('reviewed_by').notNull(),
    periodFrom: date('period_from').notNull(),
    periodTo: date('period_to').notNull(),
    fromSeq: bigint('from_seq', { mode: 'number' }).notNull(),
    toSeq: bigint('to_seq', { mode: 'number' }).notNull(),
    result: text('result').notNull(),
    findings: text('findings').notNull(),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true, precision: 3 })
      .notNull()
      .defaultNow(),
    logSeq: bigint('log_seq', { mode: 'number' }).notNull(),
    logDigest: text('log_digest').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.reviewedBy],
      foreignColumns: [accounts.tenantId, accounts.id],
    }),
    foreignKey({
      columns: [t.tenantId, t.logSeq],
      foreignColumns: [operationLog.tenantId, operationLog.seq],
    }),
  ],
);
