import { sql } from 'drizzle-orm';
import {
  bigint,
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

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * Mamori's own login accounts (not the user accounts of managed systems,
 * which are `user_account`). A person of the organization links to at most
 * one account (`people.account_id`).
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
    passwordExpiresAt: instant('password_expires_at'),
    passwordChangedAt: instant('password_changed_at'),
    // std-7.2.3: consecutive failures across IPs; reset by a successful login or an unlock.
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    lockedUntil: instant('locked_until'),
    lockedAt: instant('locked_at'),
    lastLoginAt: instant('last_login_at'),
    lastLoginIp: text('last_login_ip'),
    // std-5.4.2: MFA is mandatory; set when the first factor is confirmed, cleared to force re-enrolment.
    mfaEnrolledAt: instant('mfa_enrolled_at'),
    // Replay protection: the last TOTP time step accepted (a code is accepted only once).
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    disabledAt: instant('disabled_at'),
    disabledReason: text('disabled_reason'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('accounts_login_name').on(t.tenantId, t.loginName),
  ],
);

/**
 * Platform roles held by an account: `tenant_admin` (Mamori's operator). The
 * policy's roles are held by people and units (organization `role_assignments`).
 */
export const accountRoles = pgTable(
  'account_roles',
  {
    tenantId: uuid('tenant_id').notNull(),
    accountId: uuid('account_id').notNull(),
    role: text('role').notNull(),
    grantedAt: instant('granted_at').notNull().defaultNow(),
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
