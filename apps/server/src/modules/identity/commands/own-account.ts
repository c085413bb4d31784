import type { MfaFactors, OwnSession, SessionInfo, SessionState } from '@mamori/contracts';
import type { Caller } from '../../../platform/authz/index.js';
import type { AppContext } from '../../../platform/context.js';
import { AppError } from '../../../platform/errors.js';
import { checkPassword } from '../../../platform/auth/password-policy.js';
import { hashPassword, verifyPassword } from '../../../platform/auth/passwords.js';
import { generateRecoveryCodes, hashRecoveryCode } from '../../../platform/auth/recovery-codes.js';
import type { ResolvedTenant } from '../../../platform/tenancy/resolve-tenant.js';
import {
  countUnusedRecoveryCodes,
  deleteTotp,
  deleteWebauthn,
  findAccountById,
  findSessionById,
  findTotp,
  listLiveSessions,
  listWebauthn,
  replaceRecoveryCodes,
  revokeAccountSessions,
  revokeSession,
  updateAccount,
} from '../identity.repository.js';
import { recordIdentityEvent } from '../identity.events.js';
import { readIdentitySettings } from '../identity.settings.js';
import {
  describeSession,
  holdsPrivilegedRole,
  inTenantOf,
  lockAccount,
  packOf,
  recordFailure,
  rolesOfAccount,
  rotateSession,
  sessionLimits,
  type IdentityOptions,
  type RequestMeta,
} from '../identity.service.js';
import type { RotatedSession } from './second-factor.js';

/** The caller's session described for the client. */
export async function currentSessionInfo(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  now: Date,
  options: IdentityOptions = {},
): Promise<SessionInfo> {
  return inTenantOf(ctx, tenant, async (tx) => {
    const session = await findSessionById(tx, caller.sessionId);
    const account = await findAccountById(tx, caller.accountId);
    if (!session || !account) throw new AppError('unauthenticated', 'The session has ended.');
    const pack = await packOf(ctx, tenant);
    const settings = await readIdentitySettings(tx, pack);
    const held = await rolesOfAccount(tx, account.id, now, options);
    const { idleMs } = sessionLimits(settings, holdsPrivilegedRole(pack, held.roles));
    return describeSession(tx, session, account, held, idleMs, now);
  });
}

/** The municipality's names a password must not contain (tenant name, pack's kanji and romaji). */
export function municipalityNames(
  tenant: ResolvedTenant,
  pack: { manifest: { municipality: { name_ja: string; name_en: string } } },
): string[] {
  return [
    tenant.tenant.name,
    pack.manifest.municipality.name_ja,
    pack.manifest.municipality.name_en,
  ];
}

/**
 * Changes the caller's password (the one write allowed while a temporary
 * password is held, std-7.2.4.2). Other sessions end; this one rotates and
 * moves on to MFA (enrolment, the first time).
 */
export async function changePassword(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
  now: Date,
  options: IdentityOptions = {},
): Promise<RotatedSession | null> {
  return inTenantOf(ctx, tenant, async (tx) => {
    const session = await findSessionById(tx, caller.sessionId);
    const account = await lockAccount(tx, caller.accountId);
    if (!session || session.revokedAt || !account) {
      throw new AppError('unauthenticated', 'The session has ended.');
    }
    const pack = await packOf(ctx, tenant);
    const settings = await readIdentitySettings(tx, pack);
    if (!(await verifyPassword(account.passwordHash, input.currentPassword))) {
      await recordFailure(tx, account, 'password', settings, meta, now);
      return null;
    }
    const check = checkPassword(input.newPassword, settings.password, {
      loginName: account.loginName,
      municipalityNames: municipalityNames(tenant, pack),
    });
    const reasons = check.ok ? [] : [...check.reasons];
    if (await verifyPassword(account.passwordHash, input.newPassword))
      reasons.push('same_as_current');
    if (reasons.length > 0) {
      throw new AppError('password_rejected', 'The new password is not accepted.', { reasons });
    }
    const wasTemporary = account.mustChangePassword;
    const updated = await updateAccount(tx, account.id, {
      passwordHash: await hashPassword(input.newPassword),
      mustChangePassword: false,
      passwordExpiresAt: null,
      passwordChangedAt: now,
    });
    const ended = await revokeAccountSessions(tx, account.id, 'password_changed', now, session.id);
    const state: SessionState =
      session.state === 'password_change_required'
        ? updated.mfaEnrolledAt
          ? 'mfa_required'
          : 'mfa_enrolment_required'
        : (session.state as SessionState);
    const rotated = await rotateSession(tx, session, { state, now, meta });
    const held = await rolesOfAccount(tx, account.id, now, options);
    const { idleMs } = sessionLimits(settings, holdsPrivilegedRole(pack, held.roles));
    const info = await describeSession(tx, rotated.row, updated, held, idleMs, now);
    await recordIdentityEvent(
      tx,
      { type: 'account', id: account.id },
      {
        action: 'identity.password_changed',
        subject: { type: 'account', id: account.id },
        payload: { wasTemporary, otherSessionsEnded: ended },
      },
    );
    return { token: rotated.token, session: info };
  });
}

/** Ends the caller's session. */
export async function logout(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  now: Date,
): Promise<void> {
  await inTenantOf(ctx, tenant, async (tx) => {
    await revokeSession(tx, caller.sessionId, 'logout', now);
    await recordIdentityEvent(
      tx,
      { type: 'account', id: caller.accountId },
      {
        action: 'identity.logged_out',
        subject: { type: 'session', id: caller.sessionId },
        payload: { accountId: caller.accountId },
      },
    );
  });
}

/** The caller's live sessions. */
export async function listOwnSessions(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
): Promise<OwnSession[]> {
  return inTenantOf(ctx, tenant, async (tx) =>
    (await listLiveSessions(tx, caller.accountId)).map((s) => ({
      id: s.id,
      current: s.id === caller.sessionId,
      state: s.state as SessionState,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      ip: s.ip,
      userAgent: s.userAgent,
    })),
  );
}

/** Ends one of the caller's own sessions (another one's is 404: never revealed). */
export async function revokeOwnSession(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  sessionId: string,
  now: Date,
): Promise<void> {
  await inTenantOf(ctx, tenant, async (tx) => {
    const session = await findSessionById(tx, sessionId);
    if (!session || session.accountId !== caller.accountId || session.revokedAt) {
      throw new AppError('not_found', 'No such session.');
    }
    await revokeSession(tx, sessionId, 'revoked_by_user', now);
    await recordIdentityEvent(
      tx,
      { type: 'account', id: caller.accountId },
      {
        action: 'identity.session_revoked',
        subject: { type: 'session', id: sessionId },
        payload: { accountId: caller.accountId },
      },
    );
  });
}

/** The caller's factors (never a secret). */
export async function listOwnFactors(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
): Promise<MfaFactors> {
  return inTenantOf(ctx, tenant, async (tx) => {
    const totp = await findTotp(tx, caller.accountId);
    const keys = await listWebauthn(tx, caller.accountId);
    return {
      totp: totp?.confirmedAt
        ? {
            confirmedAt: totp.confirmedAt.toISOString(),
            lastUsedAt: totp.lastUsedAt?.toISOString() ?? null,
          }
        : null,
      webauthn: keys.map((k) => ({
        id: k.id,
        name: k.name,
        createdAt: k.createdAt.toISOString(),
        lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
        backedUp: k.backedUp,
      })),
      recoveryCodesRemaining: await countUnusedRecoveryCodes(tx, caller.accountId),
    };
  });
}

/**
 * Removes one of the caller's factors (a privileged route: needs a step-up).
 * The last factor cannot be removed (std-5.4.2: MFA is mandatory).
 */
export async function removeOwnFactor(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  factor: { method: 'totp' } | { method: 'webauthn'; id: string },
): Promise<void> {
  await inTenantOf(ctx, tenant, async (tx) => {
    await lockAccount(tx, caller.accountId);
    const totp = await findTotp(tx, caller.accountId);
    const keys = await listWebauthn(tx, caller.accountId);
    const total = (totp?.confirmedAt ? 1 : 0) + keys.length;
    const exists =
      factor.method === 'totp' ? Boolean(totp?.confirmedAt) : keys.some((k) => k.id === factor.id);
    if (!exists) throw new AppError('not_found', 'No such factor.');
    if (total <= 1) {
      throw new AppError('conflict', 'This is your only second factor: add another first.');
    }
    if (factor.method === 'totp') await deleteTotp(tx, caller.accountId);
    else await deleteWebauthn(tx, caller.accountId, factor.id);
    await recordIdentityEvent(
      tx,
      { type: 'account', id: caller.accountId },
      {
        action: 'identity.mfa_removed',
        subject: { type: 'account', id: caller.accountId },
        payload:
          factor.method === 'totp'
            ? { method: 'totp' }
            : { method: 'webauthn', credentialId: factor.id },
      },
    );
  });
}

/** New recovery codes (the old ones stop working); shown once. */
export async function regenerateRecoveryCodes(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  now: Date,
): Promise<string[]> {
  return inTenantOf(ctx, tenant, async (tx) => {
    const account = await lockAccount(tx, caller.accountId);
    if (!account?.mfaEnrolledAt) throw new AppError('conflict', 'Enrol a second factor first.');
    const codes = generateRecoveryCodes();
    await replaceRecoveryCodes(tx, caller.accountId, codes.map(hashRecoveryCode), now);
    await recordIdentityEvent(
      tx,
      { type: 'account', id: caller.accountId },
      {
        action: 'identity.recovery_codes_issued',
        subject: { type: 'account', id: caller.accountId },
        payload: { count: codes.length },
      },
    );
    return codes;
  });
}
