import type {
  MfaEnrolledResponse,
  SessionInfo,
  SessionState,
  TotpEnrolment,
} from '@mamori/contracts';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Caller } from '../../../platform/authz/index.js';
import type { AppContext } from '../../../platform/context.js';
import type { TenantTx } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/errors.js';
import { generateRecoveryCodes, hashRecoveryCode } from '../../../platform/auth/recovery-codes.js';
import { secretBoxFor } from '../../../platform/auth/secret-box.js';
import { generateTotpSecret, totpUri, verifyTotp } from '../../../platform/auth/totp.js';
import {
  WEBAUTHN_TIMEOUT_MS,
  verifyWebauthnAuthentication,
  verifyWebauthnRegistration,
  webauthnAuthenticationOptions,
  webauthnRegistrationOptions,
  type RelyingParty,
} from '../../../platform/auth/webauthn.js';
import type { ResolvedTenant } from '../../../platform/tenancy/resolve-tenant.js';
import {
  findSessionById,
  findTotp,
  insertLoginAttempt,
  insertWebauthn,
  listWebauthn,
  replaceRecoveryCodes,
  replaceTotpSecret,
  takePendingChallenge,
  updateAccount,
  updateSession,
  updateTotp,
  updateWebauthnUse,
  upsertPendingTotp,
  useRecoveryCode,
  type AccountRow,
  type SessionRow,
} from '../identity.repository.js';
import { recordIdentityEvent } from '../identity.events.js';
import { readIdentitySettings, type IdentitySettings } from '../identity.settings.js';
import {
  describeSession,
  holdsPrivilegedRole,
  inTenantOf,
  isLocked,
  lockAccount,
  packOf,
  recordFailure,
  rolesOfAccount,
  rotateSession,
  sessionLimits,
  type IdentityOptions,
  type RequestMeta,
} from '../identity.service.js';

/** A second factor as the client sends it. */
export type FactorInput =
  | { readonly method: 'totp'; readonly code: string }
  | { readonly method: 'recovery_code'; readonly code: string }
  | { readonly method: 'webauthn'; readonly response: AuthenticationResponseJSON };

/** A session that has just rotated, with its new cookie value. */
export interface RotatedSession {
  readonly token: string;
  readonly session: SessionInfo;
}

type PendingChallenge = {
  kind: 'registration' | 'authentication';
  challenge: string;
  expiresAt: string;
};

/**
 * A replacement authenticator-app secret waiting for its first code. The
 * account's one TOTP row keeps the confirmed secret (still valid) until the
 * new one is confirmed, so the new secret waits on the session, sealed and
 * bound to that session (a rotation or another enrolment drops it).
 */
type PendingTotpReplacement = {
  kind: 'totp_replacement';
  /** The new secret, sealed with the secret box (base64). */
  secretSealed: string;
  expiresAt: string;
};

/** How long a replacement secret waits for its confirmation code (time to scan and type). */
const TOTP_REPLACEMENT_TIMEOUT_MS = 10 * 60 * 1000;

function secretContext(tenantId: string, accountId: string): string {
  return `totp:${tenantId}:${accountId}`;
}

function pendingSecretContext(tenantId: string, accountId: string, sessionId: string): string {
  return `totp-pending:${tenantId}:${accountId}:${sessionId}`;
}

function isPendingTotpReplacement(value: unknown): value is PendingTotpReplacement {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'totp_replacement' &&
    typeof (value as { secretSealed?: unknown }).secretSealed === 'string' &&
    typeof (value as { expiresAt?: unknown }).expiresAt === 'string'
  );
}

/** The session and its account, locked, checked to belong to the caller. */
async function loadOwn(
  tx: TenantTx,
  caller: Caller,
): Promise<{ session: SessionRow; account: AccountRow }> {
  const session = await findSessionById(tx, caller.sessionId);
  const account = await lockAccount(tx, caller.accountId);
  if (!session || session.revokedAt || !account) {
    throw new AppError('unauthenticated', 'The session has ended.');
  }
  return { session, account };
}

/**
 * Checks one factor (std-5.4.2). TOTP: ±1 step and never a step at or before
 * the last accepted one (replay). Recovery code: single use. WebAuthn: the
 * session's pending challenge (taken, so it is used once), origin, RP ID and
 * user verification.
 */
async function checkFactor(
  ctx: AppContext,
  tx: TenantTx,
  account: AccountRow,
  session: SessionRow,
  input: FactorInput,
  rp: RelyingParty,
  now: Date,
): Promise<boolean> {
  switch (input.method) {
    case 'totp': {
      const totp = await findTotp(tx, account.id);
      if (!totp?.confirmedAt) return false;
      const box = await secretBoxFor(ctx.config);
      const secret = box.open(totp.secretEncrypted, secretContext(tx.scope.tenantId, account.id));
      const step = verifyTotp(secret, input.code, now);
      if (step === null || (account.totpLastStep !== null && step <= account.totpLastStep)) {
        return false;
      }
      await updateAccount(tx, account.id, { totpLastStep: step });
      await updateTotp(tx, account.id, { lastUsedAt: now });
      return true;
    }
    case 'recovery_code':
      return useRecoveryCode(tx, account.id, hashRecoveryCode(input.code), now);
    case 'webauthn': {
      const pending = (await takePendingChallenge(tx, session.id)) as PendingChallenge | null;
      if (pending?.kind !== 'authentication' || new Date(pending.expiresAt) <= now) return false;
      const credential = (await listWebauthn(tx, account.id)).find(
        (c) => c.credentialId === input.response.id,
      );
      if (!credential) return false;
      const verified = await verifyWebauthnAuthentication(rp, input.response, pending.challenge, {
        credentialId: credential.credentialId,
        publicKey: credential.publicKey,
        signCount: credential.signCount,
        transports: (credential.transports as string[] | null) ?? null,
      });
      if (!verified) return false;
      await updateWebauthnUse(tx, credential.id, verified.newSignCount, now);
      return true;
    }
  }
}

/** The session becomes `active`: the login is complete (std-7.2.3 counters reset). */
async function activate(
  ctx: AppContext,
  tx: TenantTx,
  tenant: ResolvedTenant,
  session: SessionRow,
  account: AccountRow,
  settings: IdentitySettings,
  factor: 'totp' | 'webauthn' | 'recovery_code',
  meta: RequestMeta,
  now: Date,
  options: IdentityOptions,
): Promise<RotatedSession> {
  const pack = await packOf(ctx, tenant);
  const held = await rolesOfAccount(tx, account.id, now, options);
  const limits = sessionLimits(settings, holdsPrivilegedRole(pack, held.roles));
  const fresh = await updateAccount(tx, account.id, {
    failedLoginCount: 0,
    lastLoginAt: now,
    lastLoginIp: meta.ip,
  });
  const rotated = await rotateSession(tx, session, {
    state: 'active',
    now,
    absoluteExpiresAt: new Date(now.getTime() + limits.absoluteMs),
    mfaVerifiedAt: now,
    elevatedUntil: null,
    meta,
  });
  await insertLoginAttempt(tx, {
    attemptedAt: now,
    loginName: account.loginName,
    accountId: account.id,
    factor,
    outcome: 'succeeded',
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
  const info = await describeSession(tx, rotated.row, fresh, held, limits.idleMs, now);
  await recordIdentityEvent(
    tx,
    { type: 'account', id: account.id },
    {
      action: 'identity.login_attempted',
      subject: { type: 'account', id: account.id },
      payload: { factor, outcome: 'succeeded', ip: meta.ip, state: 'active' },
    },
  );
  return { token: rotated.token, session: info };
}

/** The relying party's pending challenge is stored on the session (single use). */
async function storeChallenge(
  tx: TenantTx,
  sessionId: string,
  kind: PendingChallenge['kind'],
  challenge: string,
  now: Date,
): Promise<void> {
  const pending: PendingChallenge = {
    kind,
    challenge,
    expiresAt: new Date(now.getTime() + WEBAUTHN_TIMEOUT_MS).toISOString(),
  };
  await updateSession(tx, sessionId, { pendingChallenge: pending });
}

/** WebAuthn options for the second step or a step-up. */
export async function webauthnLoginOptions(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  rp: RelyingParty,
  now: Date,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return inTenantOf(ctx, tenant, async (tx) => {
    const credentials = await listWebauthn(tx, caller.accountId);
    if (credentials.length === 0) throw new AppError('conflict', 'No security key is registered.');
    const options = await webauthnAuthenticationOptions(
      rp,
      credentials.map((c) => ({
        credentialId: c.credentialId,
        publicKey: c.publicKey,
        signCount: c.signCount,
        transports: (c.transports as string[] | null) ?? null,
      })),
    );
    await storeChallenge(tx, caller.sessionId, 'authentication', options.challenge, now);
    return options;
  });
}

/**
 * Second login step (std-5.4.2), or a step-up (std-7.2.5) when `purpose` is
 * `step_up`. A failure counts toward the account's lockout like a wrong
 * password; success rotates the session id.
 */
export async function verifySecondFactor(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  input: FactorInput,
  purpose: 'login' | 'step_up',
  rp: RelyingParty,
  meta: RequestMeta,
  now: Date,
  options: IdentityOptions = {},
): Promise<RotatedSession | null> {
  return inTenantOf(ctx, tenant, async (tx) => {
    const { session, account } = await loadOwn(tx, caller);
    const settings = await readIdentitySettings(tx, await packOf(ctx, tenant));
    if (purpose === 'login' && session.state !== 'mfa_required') {
      throw new AppError('conflict', 'The second login step is already done.');
    }
    const factor = purpose === 'step_up' ? 'step_up' : input.method;
    if (isLocked(account, now) || account.disabledAt) {
      await recordFailure(tx, account, factor, settings, meta, now, 'locked');
      return null;
    }
    if (!(await checkFactor(ctx, tx, account, session, input, rp, now))) {
      await recordFailure(tx, account, factor, settings, meta, now);
      return null;
    }
    if (purpose === 'login') {
      return activate(
        ctx,
        tx,
        tenant,
        session,
        account,
        settings,
        input.method,
        meta,
        now,
        options,
      );
    }
    const pack = await packOf(ctx, tenant);
    const held = await rolesOfAccount(tx, account.id, now, options);
    const { idleMs } = sessionLimits(settings, holdsPrivilegedRole(pack, held.roles));
    const elevatedUntil = new Date(now.getTime() + settings.elevationMs);
    const rotated = await rotateSession(tx, session, {
      state: 'active',
      now,
      elevatedUntil,
      meta,
    });
    await updateAccount(tx, account.id, { failedLoginCount: 0 });
    await insertLoginAttempt(tx, {
      attemptedAt: now,
      loginName: account.loginName,
      accountId: account.id,
      factor: 'step_up',
      outcome: 'succeeded',
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    const info = await describeSession(tx, rotated.row, account, held, idleMs, now);
    await recordIdentityEvent(
      tx,
      { type: 'account', id: account.id },
      {
        action: 'identity.elevated',
        subject: { type: 'session', id: rotated.row.id },
        payload: {
          accountId: account.id,
          method: input.method,
          until: elevatedUntil.toISOString(),
        },
      },
    );
    return { token: rotated.token, session: info };
  });
}

// ── Enrolment ───────────────────────────────────────────────────────────────

/**
 * Adding a factor to an account that already has one needs a recent step-up
 * (std-7.2.5): a stolen session must not add the thief's authenticator.
 */
function assertMayEnrol(session: SessionRow, account: AccountRow, now: Date): void {
  if (session.state === 'active' && account.mfaEnrolledAt !== null) {
    if (!session.elevatedUntil || session.elevatedUntil <= now) {
      throw new AppError('step_up_required', 'Confirm your identity again to add a factor.');
    }
  }
}

/**
 * Replacing a registered authenticator app is a privileged self-operation
 * (std-7.2.5): it needs an active, recently elevated session even when the
 * generic enrolment rule would not ask for one.
 */
function assertMayReplace(session: SessionRow, now: Date): void {
  if (session.state !== 'active' || !session.elevatedUntil || session.elevatedUntil <= now) {
    throw new AppError('step_up_required', 'Confirm your identity again to replace the app.');
  }
}

/**
 * Starts TOTP enrolment: a new secret, stored encrypted and unconfirmed.
 * With an app already registered (re-enrolment, std-5.4.2), the new secret
 * waits on the session and the registered one keeps working until the new
 * one is confirmed, so an account whose only factor is the app never goes
 * without one.
 */
export async function startTotpEnrolment(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  now: Date,
): Promise<TotpEnrolment> {
  return inTenantOf(ctx, tenant, async (tx) => {
    const { session, account } = await loadOwn(tx, caller);
    assertMayEnrol(session, account, now);
    const existing = await findTotp(tx, account.id);
    const secret = generateTotpSecret();
    const box = await secretBoxFor(ctx.config);
    const replacesExisting = existing?.confirmedAt != null;
    if (replacesExisting) {
      assertMayReplace(session, now);
      const pending: PendingTotpReplacement = {
        kind: 'totp_replacement',
        secretSealed: box
          .seal(secret, pendingSecretContext(tx.scope.tenantId, account.id, session.id))
          .toString('base64'),
        expiresAt: new Date(now.getTime() + TOTP_REPLACEMENT_TIMEOUT_MS).toISOString(),
      };
      await updateSession(tx, session.id, { pendingChallenge: pending });
    } else {
      await upsertPendingTotp(
        tx,
        account.id,
        box.seal(secret, secretContext(tx.scope.tenantId, account.id)),
        now,
      );
    }
    await recordIdentityEvent(
      tx,
      { type: 'account', id: account.id },
      {
        action: 'identity.mfa_enrolment_started',
        subject: { type: 'account', id: account.id },
        payload: replacesExisting ? { method: 'totp', replacesExisting: true } : { method: 'totp' },
      },
    );
    return { secret, uri: totpUri(secret, { issuer: 'Mamori', label: account.loginName }) };
  });
}

/**
 * Records a newly confirmed factor. The first one issues recovery codes and,
 * in the enrolment state, completes the login.
 */
async function finishEnrolment(
  ctx: AppContext,
  tx: TenantTx,
  tenant: ResolvedTenant,
  session: SessionRow,
  account: AccountRow,
  method: 'totp' | 'webauthn',
  detail: { credentialId?: string; name?: string; replacedExisting?: boolean },
  meta: RequestMeta,
  now: Date,
  options: IdentityOptions,
): Promise<{ rotated: RotatedSession | null; recoveryCodes: string[] | null }> {
  const settings = await readIdentitySettings(tx, await packOf(ctx, tenant));
  let recoveryCodes: string[] | null = null;
  if (account.mfaEnrolledAt === null) {
    await updateAccount(tx, account.id, { mfaEnrolledAt: now });
    recoveryCodes = generateRecoveryCodes();
    await replaceRecoveryCodes(tx, account.id, recoveryCodes.map(hashRecoveryCode), now);
  }
  const actor = { type: 'account', id: account.id } as const;
  let rotated: RotatedSession | null = null;
  if ((session.state as SessionState) === 'mfa_enrolment_required') {
    // The login event is recorded by activate(); the enrolment events follow it.
    rotated = await activate(
      ctx,
      tx,
      tenant,
      session,
      account,
      settings,
      method,
      meta,
      now,
      options,
    );
  }
  await recordIdentityEvent(tx, actor, {
    action: 'identity.mfa_enrolled',
    subject: { type: 'account', id: account.id },
    payload: { method, ...detail },
  });
  if (recoveryCodes) {
    await recordIdentityEvent(tx, actor, {
      action: 'identity.recovery_codes_issued',
      subject: { type: 'account', id: account.id },
      payload: { count: recoveryCodes.length },
    });
  }
  return { rotated, recoveryCodes };
}

export interface EnrolmentResult {
  readonly rotated: RotatedSession | null;
  readonly recoveryCodes: string[] | null;
}

/**
 * Confirms TOTP enrolment with a code from the app. A replacement (started
 * while an app was registered) swaps the secret only now: until then the old
 * secret keeps working, and a wrong code leaves it in place.
 */
export async function confirmTotpEnrolment(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  code: string,
  meta: RequestMeta,
  now: Date,
  options: IdentityOptions = {},
): Promise<EnrolmentResult | null> {
  return inTenantOf(ctx, tenant, async (tx) => {
    const { session, account } = await loadOwn(tx, caller);
    assertMayEnrol(session, account, now);
    const totp = await findTotp(tx, account.id);
    const box = await secretBoxFor(ctx.config);
    const context = secretContext(tx.scope.tenantId, account.id);
    if (totp?.confirmedAt) {
      assertMayReplace(session, now);
      const pending = session.pendingChallenge;
      if (!isPendingTotpReplacement(pending) || new Date(pending.expiresAt) <= now) {
        throw new AppError('conflict', 'Start the authenticator app enrolment first.');
      }
      const secret = box.open(
        Buffer.from(pending.secretSealed, 'base64'),
        pendingSecretContext(tx.scope.tenantId, account.id, session.id),
      );
      const step = verifyTotp(secret, code, now);
      if (step === null) return null;
      await replaceTotpSecret(tx, account.id, box.seal(secret, context), now);
      await updateSession(tx, session.id, { pendingChallenge: null });
      await updateAccount(tx, account.id, { totpLastStep: step });
      return finishEnrolment(
        ctx,
        tx,
        tenant,
        session,
        account,
        'totp',
        { replacedExisting: true },
        meta,
        now,
        options,
      );
    }
    if (!totp) throw new AppError('conflict', 'Start the authenticator app enrolment first.');
    const secret = box.open(totp.secretEncrypted, context);
    const step = verifyTotp(secret, code, now);
    if (step === null) return null;
    await updateTotp(tx, account.id, { confirmedAt: now, lastUsedAt: now });
    await updateAccount(tx, account.id, { totpLastStep: step });
    return finishEnrolment(ctx, tx, tenant, session, account, 'totp', {}, meta, now, options);
  });
}

/** WebAuthn registration options; the challenge is kept on the session. */
export async function webauthnEnrolmentOptions(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  rp: RelyingParty,
  now: Date,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return inTenantOf(ctx, tenant, async (tx) => {
    const { session, account } = await loadOwn(tx, caller);
    assertMayEnrol(session, account, now);
    const existing = await listWebauthn(tx, account.id);
    const options = await webauthnRegistrationOptions(
      rp,
      {
        id: Buffer.from(account.id.replace(/-/g, ''), 'hex'),
        name: account.loginName,
        displayName: account.displayName,
      },
      existing.map((c) => ({
        credentialId: c.credentialId,
        publicKey: c.publicKey,
        signCount: c.signCount,
        transports: (c.transports as string[] | null) ?? null,
      })),
    );
    await storeChallenge(tx, session.id, 'registration', options.challenge, now);
    return options;
  });
}

/** Registers a security key or passkey (user verification required). */
export async function registerWebauthn(
  ctx: AppContext,
  tenant: ResolvedTenant,
  caller: Caller,
  input: { response: RegistrationResponseJSON; name: string },
  rp: RelyingParty,
  meta: RequestMeta,
  now: Date,
  options: IdentityOptions = {},
): Promise<EnrolmentResult | null> {
  return inTenantOf(ctx, tenant, async (tx) => {
    const { session, account } = await loadOwn(tx, caller);
    assertMayEnrol(session, account, now);
    const pending = (await takePendingChallenge(tx, session.id)) as PendingChallenge | null;
    if (pending?.kind !== 'registration' || new Date(pending.expiresAt) <= now) return null;
    const registered = await verifyWebauthnRegistration(rp, input.response, pending.challenge);
    if (!registered) return null;
    if (
      (await listWebauthn(tx, account.id)).some((c) => c.credentialId === registered.credentialId)
    ) {
      throw new AppError('conflict', 'This security key is already registered.');
    }
    const row = await insertWebauthn(tx, {
      accountId: account.id,
      credentialId: registered.credentialId,
      publicKey: registered.publicKey,
      signCount: registered.signCount,
      transports: registered.transports,
      deviceType: registered.deviceType,
      backedUp: registered.backedUp,
      name: input.name,
      createdAt: now,
    });
    return finishEnrolment(
      ctx,
      tx,
      tenant,
      session,
      account,
      'webauthn',
      { credentialId: row.id, name: input.name },
      meta,
      now,
      options,
    );
  });
}

/** The enrolment response shape (session info is the caller's current one when not rotated). */
export function enrolledResponse(
  result: EnrolmentResult,
  current: SessionInfo,
): MfaEnrolledResponse {
  return {
    session: result.rotated?.session ?? current,
    recoveryCodes: result.recoveryCodes,
  };
}
