import { and, asc, count, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/database.js';
import { accountRoles, accounts } from '../../platform/auth/accounts.tables.js';
import {
  recoveryCodes,
  totpCredentials,
  webauthnCredentials,
} from '../../platform/auth/mfa.tables.js';
import { loginAttempts, sessions } from '../../platform/auth/sessions.tables.js';
import type { SessionState } from '@mamori/contracts';

/** The identity module's SQL (house style: the only file of the module that builds SQL). */

export type AccountRow = typeof accounts.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type TotpRow = typeof totpCredentials.$inferSelect;
export type WebauthnRow = typeof webauthnCredentials.$inferSelect;

// ── Accounts ────────────────────────────────────────────────────────────────

export async function findAccountByLoginName(
  tx: TenantTx,
  loginName: string,
): Promise<AccountRow | null> {
  const rows = await tx.select().from(accounts).where(eq(accounts.loginName, loginName)).limit(1);
  return rows[0] ?? null;
}

/** The account, row-locked for the rest of the transaction (counters, state changes). */
export async function findAccountById(
  tx: TenantTx,
  accountId: string,
  options: { forUpdate?: boolean } = {},
): Promise<AccountRow | null> {
  const query = tx.select().from(accounts).where(eq(accounts.id, accountId)).limit(1);
  const rows = options.forUpdate ? await query.for('update') : await query;
  return rows[0] ?? null;
}

export async function listAllAccounts(tx: TenantTx): Promise<AccountRow[]> {
  return tx.select().from(accounts).orderBy(asc(accounts.loginName));
}

export async function updateAccount(
  tx: TenantTx,
  accountId: string,
  changes: Partial<Omit<AccountRow, 'tenantId' | 'id' | 'createdAt'>>,
): Promise<AccountRow> {
  const [row] = await tx
    .update(accounts)
    .set(changes)
    .where(eq(accounts.id, accountId))
    .returning();
  if (!row) throw new Error('account update matched no row');
  return row;
}

/** std-7.2.3: one more consecutive failure (across IPs); returns the new count. */
export async function incrementFailedLogins(tx: TenantTx, accountId: string): Promise<number> {
  const [row] = await tx
    .update(accounts)
    .set({ failedLoginCount: sql`${accounts.failedLoginCount} + 1` })
    .where(eq(accounts.id, accountId))
    .returning({ count: accounts.failedLoginCount });
  return row?.count ?? 0;
}

/**
 * Every account holding the platform role `tenant_admin` (enabled or not),
 * row-locked in id order: changes that could leave the tenant without an
 * administrator serialize on these rows, in one order (no deadlock).
 */
export async function lockTenantAdminAccounts(
  tx: TenantTx,
): Promise<{ id: string; disabledAt: Date | null }[]> {
  return tx
    .select({ id: accounts.id, disabledAt: accounts.disabledAt })
    .from(accounts)
    .innerJoin(
      accountRoles,
      and(eq(accountRoles.tenantId, accounts.tenantId), eq(accountRoles.accountId, accounts.id)),
    )
    .where(eq(accountRoles.role, 'tenant_admin'))
    .orderBy(asc(accounts.id))
    .for('update', { of: accounts });
}

/** Ids of the enabled tenant_admin accounts, without locking (for abilities; std-7.2.1.3f). */
export async function enabledTenantAdminIds(tx: TenantTx): Promise<Set<string>> {
  const rows = await tx
    .select({ id: accounts.id })
    .from(accounts)
    .innerJoin(
      accountRoles,
      and(eq(accountRoles.tenantId, accounts.tenantId), eq(accountRoles.accountId, accounts.id)),
    )
    .where(and(eq(accountRoles.role, 'tenant_admin'), isNull(accounts.disabledAt)));
  return new Set(rows.map((r) => r.id));
}

/** Platform roles per account (`tenant_admin`). */
export async function platformRolesOf(
  tx: TenantTx,
  accountIds: readonly string[],
): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (accountIds.length === 0) return map;
  const rows = await tx
    .select({ accountId: accountRoles.accountId, role: accountRoles.role })
    .from(accountRoles)
    .where(inArray(accountRoles.accountId, [...accountIds]))
    .orderBy(asc(accountRoles.role));
  for (const r of rows) map.set(r.accountId, [...(map.get(r.accountId) ?? []), r.role]);
  return map;
}

// ── Sessions ────────────────────────────────────────────────────────────────

export async function insertSession(
  tx: TenantTx,
  input: {
    tokenHash: string;
    accountId: string;
    state: SessionState;
    csrfToken: string;
    createdAt: Date;
    absoluteExpiresAt: Date;
    mfaVerifiedAt: Date | null;
    elevatedUntil: Date | null;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<SessionRow> {
  const [row] = await tx
    .insert(sessions)
    .values({ tenantId: tx.scope.tenantId, lastSeenAt: input.createdAt, ...input })
    .returning();
  if (!row) throw new Error('session insert returned no row');
  return row;
}

/** A session that has not been revoked, by the SHA-256 of its cookie value. */
export async function findLiveSessionByTokenHash(
  tx: TenantTx,
  tokenHash: string,
): Promise<SessionRow | null> {
  const rows = await tx
    .select()
    .from(sessions)
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)))
    .limit(1);
  return rows[0] ?? null;
}

export async function findSessionById(tx: TenantTx, sessionId: string): Promise<SessionRow | null> {
  const rows = await tx.select().from(sessions).where(eq(sessions.id, sessionId)).limit(1);
  return rows[0] ?? null;
}

export async function updateSession(
  tx: TenantTx,
  sessionId: string,
  changes: Partial<Pick<SessionRow, 'lastSeenAt' | 'pendingChallenge' | 'elevatedUntil'>>,
): Promise<void> {
  await tx.update(sessions).set(changes).where(eq(sessions.id, sessionId));
}

/**
 * Takes the pending WebAuthn challenge off the session (single use: a second
 * verification with the same challenge finds none).
 */
export async function takePendingChallenge(tx: TenantTx, sessionId: string): Promise<unknown> {
  const rows = await tx.execute<{ challenge: unknown }>(sql`
    UPDATE sessions AS s SET pending_challenge = NULL
    FROM (SELECT tenant_id, id, pending_challenge FROM sessions
          WHERE id = ${sessionId}::uuid FOR UPDATE) AS old
    WHERE s.tenant_id = old.tenant_id AND s.id = old.id
    RETURNING old.pending_challenge AS challenge`);
  return rows.rows[0]?.challenge ?? null;
}

export async function revokeSession(
  tx: TenantTx,
  sessionId: string,
  reason: string,
  at: Date,
): Promise<void> {
  await tx
    .update(sessions)
    .set({ revokedAt: at, revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Ends every live session of an account (logout elsewhere, disable, password change). */
export async function revokeAccountSessions(
  tx: TenantTx,
  accountId: string,
  reason: string,
  at: Date,
  exceptSessionId?: string,
): Promise<number> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: at, revokedReason: reason })
    .where(
      and(
        eq(sessions.accountId, accountId),
        isNull(sessions.revokedAt),
        exceptSessionId ? sql`${sessions.id} <> ${exceptSessionId}::uuid` : undefined,
      ),
    )
    .returning({ id: sessions.id });
  return rows.length;
}

export async function listLiveSessions(tx: TenantTx, accountId: string): Promise<SessionRow[]> {
  return tx
    .select()
    .from(sessions)
    .where(and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt)))
    .orderBy(desc(sessions.lastSeenAt));
}

// ── Login attempts (std-7.2.3) ──────────────────────────────────────────────

export type LoginFactor = 'password' | 'totp' | 'webauthn' | 'recovery_code' | 'step_up';
export type LoginOutcome = 'succeeded' | 'failed' | 'locked' | 'disabled' | 'throttled';

export async function insertLoginAttempt(
  tx: TenantTx,
  input: {
    attemptedAt: Date;
    loginName: string;
    accountId: string | null;
    factor: LoginFactor;
    outcome: LoginOutcome;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await tx.insert(loginAttempts).values({ tenantId: tx.scope.tenantId, ...input });
}

const COMPLETING_FACTORS = ['totp', 'webauthn', 'recovery_code'];

/**
 * The last completed login (second factor passed) before `before`, and the
 * failed attempts after it up to `before` (std-7.2.3: shown after login).
 */
export async function previousLoginOf(
  tx: TenantTx,
  accountId: string,
  before: Date,
): Promise<{ at: Date; ip: string | null } | null> {
  const rows = await tx
    .select({ at: loginAttempts.attemptedAt, ip: loginAttempts.ip })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.accountId, accountId),
        eq(loginAttempts.outcome, 'succeeded'),
        inArray(loginAttempts.factor, COMPLETING_FACTORS),
        lt(loginAttempts.attemptedAt, before),
      ),
    )
    .orderBy(desc(loginAttempts.attemptedAt))
    .limit(1);
  return rows[0] ?? null;
}

export async function countFailedAttempts(
  tx: TenantTx,
  accountId: string,
  after: Date | null,
  upTo: Date,
): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.accountId, accountId),
        inArray(loginAttempts.outcome, ['failed', 'locked']),
        after ? gt(loginAttempts.attemptedAt, after) : undefined,
        lt(loginAttempts.attemptedAt, upTo),
      ),
    );
  return row?.n ?? 0;
}

// ── Second factors ──────────────────────────────────────────────────────────

export async function findTotp(tx: TenantTx, accountId: string): Promise<TotpRow | null> {
  const rows = await tx
    .select()
    .from(totpCredentials)
    .where(eq(totpCredentials.accountId, accountId))
    .limit(1);
  return rows[0] ?? null;
}

/** Stores a new, unconfirmed TOTP secret (replacing an unconfirmed one). */
export async function upsertPendingTotp(
  tx: TenantTx,
  accountId: string,
  secretEncrypted: Buffer,
  at: Date,
): Promise<void> {
  await tx
    .insert(totpCredentials)
    .values({ tenantId: tx.scope.tenantId, accountId, secretEncrypted, createdAt: at })
    .onConflictDoUpdate({
      target: [totpCredentials.tenantId, totpCredentials.accountId],
      set: { secretEncrypted, createdAt: at, confirmedAt: null, lastUsedAt: null },
    });
}

/**
 * Replaces the confirmed TOTP secret with a newly confirmed one (re-enrolment):
 * from now on only the new secret is accepted.
 */
export async function replaceTotpSecret(
  tx: TenantTx,
  accountId: string,
  secretEncrypted: Buffer,
  at: Date,
): Promise<void> {
  await tx
    .update(totpCredentials)
    .set({ secretEncrypted, createdAt: at, confirmedAt: at, lastUsedAt: at })
    .where(eq(totpCredentials.accountId, accountId));
}

export async function updateTotp(
  tx: TenantTx,
  accountId: string,
  changes: Partial<Pick<TotpRow, 'confirmedAt' | 'lastUsedAt'>>,
): Promise<void> {
  await tx.update(totpCredentials).set(changes).where(eq(totpCredentials.accountId, accountId));
}

export async function deleteTotp(tx: TenantTx, accountId: string): Promise<void> {
  await tx.delete(totpCredentials).where(eq(totpCredentials.accountId, accountId));
}

export async function listWebauthn(tx: TenantTx, accountId: string): Promise<WebauthnRow[]> {
  return tx
    .select()
    .from(webauthnCredentials)
    .where(eq(webauthnCredentials.accountId, accountId))
    .orderBy(asc(webauthnCredentials.createdAt));
}

export async function insertWebauthn(
  tx: TenantTx,
  input: Omit<typeof webauthnCredentials.$inferInsert, 'tenantId'>,
): Promise<WebauthnRow> {
  const [row] = await tx
    .insert(webauthnCredentials)
    .values({ tenantId: tx.scope.tenantId, ...input })
    .returning();
  if (!row) throw new Error('credential insert returned no row');
  return row;
}

export async function updateWebauthnUse(
  tx: TenantTx,
  id: string,
  signCount: number,
  at: Date,
): Promise<void> {
  await tx
    .update(webauthnCredentials)
    .set({ signCount, lastUsedAt: at })
    .where(eq(webauthnCredentials.id, id));
}

export async function deleteWebauthn(
  tx: TenantTx,
  accountId: string,
  id?: string,
): Promise<number> {
  const rows = await tx
    .delete(webauthnCredentials)
    .where(
      and(
        eq(webauthnCredentials.accountId, accountId),
        id ? eq(webauthnCredentials.id, id) : undefined,
      ),
    )
    .returning({ id: webauthnCredentials.id });
  return rows.length;
}

/** Replaces the account's recovery codes with new hashes. */
export async function replaceRecoveryCodes(
  tx: TenantTx,
  accountId: string,
  hashes: readonly string[],
  at: Date,
): Promise<void> {
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.accountId, accountId));
  if (hashes.length === 0) return;
  await tx.insert(recoveryCodes).values(
    hashes.map((codeHash) => ({
      tenantId: tx.scope.tenantId,
      accountId,
      codeHash,
      createdAt: at,
    })),
  );
}

/** Marks an unused code used; false when there is none (wrong or already used). */
export async function useRecoveryCode(
  tx: TenantTx,
  accountId: string,
  codeHash: string,
  at: Date,
): Promise<boolean> {
  const rows = await tx
    .update(recoveryCodes)
    .set({ usedAt: at })
    .where(
      and(
        eq(recoveryCodes.accountId, accountId),
        eq(recoveryCodes.codeHash, codeHash),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ codeHash: recoveryCodes.codeHash });
  return rows.length === 1;
}

export async function countUnusedRecoveryCodes(tx: TenantTx, accountId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.accountId, accountId), isNull(recoveryCodes.usedAt)));
  return row?.n ?? 0;
}

/** Which accounts have a confirmed TOTP or any WebAuthn credential. */
export async function mfaMethodsOf(
  tx: TenantTx,
  accountIds: readonly string[],
): Promise<Map<string, ('totp' | 'webauthn')[]>> {
  const map = new Map<string, ('totp' | 'webauthn')[]>();
  if (accountIds.length === 0) return map;
  const totp = await tx
    .select({ accountId: totpCredentials.accountId })
    .from(totpCredentials)
    .where(
      and(
        inArray(totpCredentials.accountId, [...accountIds]),
        sql`${totpCredentials.confirmedAt} IS NOT NULL`,
      ),
    );
  for (const r of totp) map.set(r.accountId, ['totp']);
  const keys = await tx
    .selectDistinct({ accountId: webauthnCredentials.accountId })
    .from(webauthnCredentials)
    .where(inArray(webauthnCredentials.accountId, [...accountIds]));
  for (const r of keys) map.set(r.accountId, [...(map.get(r.accountId) ?? []), 'webauthn']);
  return map;
}
