import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Tenants (municipalities). Tenant-less: reached only through the system scope.
 * `code` is the 全国地方公共団体コード (6 digits with check digit).
 */
export const tenants = pgTable('tenants', {
  id: uuid('id')
    .primaryKey()
    .default(sql`gen_random_uuid()`),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  prefecture: text('prefecture').notNull(),
  policyPackId: text('policy_pack_id').notNull(),
  policyPackVersion: text('policy_pack_version').notNull(),
  policyPackHash: text('policy_pack_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});
