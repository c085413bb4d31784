import { sql } from 'drizzle-orm';
import {
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from './accounts.tables.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * Login sessions, stored server-side. The cookie holds an opaque random id;
 * only its SHA-256 (`token_hash`) is stored, so a database reader cannot take
 * over a session. A session rotates (new row, old one revoked) at login and at
 * step-up.
 */
export const sessions = pgTable(
  'sessions',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    tokenHash: text('token_hash').notNull(),
    accountId: uuid('account_id').notNull(),
    // password_change_required | mfa_enrolment_required | mfa_required | active
    state: text('state').notNull(),
    // Synchronizer token for CSRF protection (sent back in the x-csrf-token header).
    csrfToken: text('csrf_token').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    lastSeenAt: instant('last_seen_at').notNull().defaultNow(),
    absoluteExpiresAt: instant('absolute_expires_at').notNull(),
    mfaVerifiedAt: instant('mfa_verified_at'),
    // std-7.2.5: privileged operations need a recent step-up; elevated until then.
    elevatedUntil: instant('elevated_until'),
    // A pending WebAuthn challenge (single use): { kind, challenge, expiresAt }.
    pendingChallenge: jsonb('pending_challenge'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    revokedAt: instant('revoked_at'),
    // logout | timeout | rotated | disabled | revoked_by_user | revoked_by_admin | password_changed
    revokedReason: text('revoked_reason'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('sessions_token_hash').on(t.tenantId, t.tokenHash),
    index('sessions_account').on(t.tenantId, t.accountId),
    foreignKey({
      columns: [t.tenantId, t.accountId],
      foreignColumns: [accounts.tenantId, accounts.id],
    }),
  ],
);

/**
 * Every login attempt (std-7.2.3), successful or not, including unknown login
 * names. Append-only for the app role. Feeds the previous-login display and
 * the lockout counter's history.
 */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    attemptedAt: instant('attempted_at').notNull().defaultNow(),
    loginName: text('login_name').notNull(),
    // Null when the login name matches no account.
    accountId: uuid('account_id'),
    // password | totp | webauthn | recovery_code | step_up
    factor: text('factor').notNull(),
    // succeeded | failed | locked | disabled | throttled
    outcome: text('outcome').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('login_attempts_account').on(t.tenantId, t.accountId, t.attemptedAt),
    foreignKey({
      columns: [t.tenantId, t.accountId],
      foreignColumns: [accounts.tenantId, accounts.id],
    }),
  ],
);
