import {
  bigint,
  customType,
  foreignKey,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenants } from '../tenancy/tenancy.tables.js';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * The operation log (std-7.1.4, std-7.1.6): one hash chain per tenant.
 * `canonical` holds the exact bytes that were hashed (RFC 8785 JSON of the
 * entry), so verification can run inside PostgreSQL. Append-only: the app role
 * has INSERT and SELECT; UPDATE, DELETE and TRUNCATE raise (triggers).
 */
export const operationLog = pgTable(
  'operation_log',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    loggedAt: timestamp('logged_at', { withTimezone: true, precision: 3 }).notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    payloadDigest: text('payload_digest').notNull(),
    prevHash: bytea('prev_hash').notNull(),
    hash: bytea('hash').notNull(),
    canonical: bytea('canonical').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.seq] })],
);

/**
 * Payloads, kept apart from the chain: only their digest is chained, so a
 * payload holding personal data can be erased at the end of its retention
 * without breaking the chain.
 */
export const operationLogPayloads = pgTable(
  'operation_log_payloads',
  {
    tenantId: uuid('tenant_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    payload: jsonb('payload'),
    erasedAt: timestamp('erased_at', { withTimezone: true, precision: 3 }),
    erasedReason: text('erased_reason'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.seq] }),
    foreignKey({
      columns: [t.tenantId, t.seq],
      foreignColumns: [operationLog.tenantId, operationLog.seq],
    }),
  ],
);

/** The head of each tenant's chain: its row lock serializes appends per tenant. */
export const operationLogHeads = pgTable('operation_log_heads', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: bytea('hash').notNull(),
});

/** Signed checkpoints of a chain (C2SP signed-note text), also kept outside the database. */
export const operationLogCheckpoints = pgTable(
  'operation_log_checkpoints',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    size: bigint('size', { mode: 'number' }).notNull(),
    headHash: bytea('head_hash').notNull(),
    keyName: text('key_name').notNull(),
    note: text('note').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.size] })],
);
