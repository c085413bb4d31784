import { sql } from 'drizzle-orm';
import {
  bigint,
  foreignKey,
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
import { operationLog } from '../oplog/oplog.tables.js';

/**
 * Per-tenant overrides of the policy pack's settings. Versioned: a change
 * inserts a new version; the effective value is the newest version of each key
 * (value null = back to the pack default). Rows are never updated.
 */
export const settingVersions = pgTable(
  'setting_versions',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    key: text('key').notNull(),
    version: integer('version').notNull(),
    value: jsonb('value'),
    reason: text('reason').notNull(),
    changedBy: uuid('changed_by').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    // Anchored in the operation log (std-7.1.4.2): the seq and payload digest of
    // the entry that recorded this version; verify-log recomputes the digest.
    logSeq: bigint('log_seq', { mode: 'number' }),
    logDigest: text('log_digest'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('setting_versions_key_version').on(t.tenantId, t.key, t.version),
    foreignKey({
      columns: [t.tenantId, t.changedBy],
      foreignColumns: [accounts.tenantId, accounts.id],
    }),
    foreignKey({
      columns: [t.tenantId, t.logSeq],
      foreignColumns: [operationLog.tenantId, operationLog.seq],
    }),
  ],
);
