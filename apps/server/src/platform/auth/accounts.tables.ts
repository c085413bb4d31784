import { sql } from 'drizzle-orm';
import {
  boolean,
  foreignKey,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenants } from '../tenancy/tenancy.tables.js';

/**
 * Mamori's own login accounts (not the user accounts of managed systems,
 * which are `user_account`). The identity issue extends this table with MFA,
 * people and organization links.
 */
export const accounts = pgTable(
  'accounts',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    loginName: text('login_name').notNull(),
    displayName: text('display_name').notNull(),
    email: text('email'),
    passwordHash: text('password_hash').notNull(),
    // std-7.2.4: a temporary password must be changed at first login.
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    passwordExpiresAt: timestamp('password_expires_at', { withTimezone: true, precision: 3 }),
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, precision: 3 }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true, precision: 3 }),
    disabledAt: timestamp('disabled_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('accounts_login_name').on(t.tenantId, t.loginName),
  ],
);

/**
 * Platform roles held by an account (tenant_admin for now; the identity issue
 * adds scoped, effective-dated policy role assignments).
 */
export const accountRoles = pgTable(
  'account_roles',
  {
    tenantId: uuid('tenant_id').notNull(),
    accountId: uuid('account_id').notNull(),
    role: text('role').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    grantedBy: uuid('granted_by'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.accountId, t.role] }),
    foreignKey({
      columns: [t.tenantId, t.accountId],
      foreignColumns: [accounts.tenantId, accounts.id],
    }),
  ],
);
