import { z } from 'zod';
import { permissionSchema } from './permissions.js';
import { loginNameSchema } from './tenancy.js';
import { requiredText } from './text.js';

/**
 * Login, MFA, sessions and account administration (module `identity`).
 *
 * Conventions the client follows:
 * - The session lives in an HttpOnly cookie ({@link SESSION_COOKIE_SECURE} over
 *   HTTPS, {@link SESSION_COOKIE_PLAIN} on local plain-HTTP development); the
 *   client never reads it.
 * - Every state-changing request (POST/PUT/PATCH/DELETE) made with a session
 *   sends the session's `csrfToken` in the {@link CSRF_HEADER} header; without
 *   it the server answers 403 `csrf_rejected`. The token changes whenever the
 *   session id rotates (login, MFA, password change, step-up): take it from
 *   the newest {@link SessionInfo}.
 * - Requests made before a session exists (login) send
 *   {@link LOGIN_REQUEST_HEADER}: `1` instead; the server also checks Origin.
 * - Errors are `{ error: { code, message, details } }` (errors.ts); the UI
 *   localizes from `code` (`errors.<code>`), and password rejections from
 *   `details.reasons` (`passwordRejection.<reason>`).
 */

/** Header carrying the session's synchronizer CSRF token on state-changing requests. */
export const CSRF_HEADER = 'x-csrf-token';
/** Header (value `1`) required on the login request and other pre-session POSTs. */
export const LOGIN_REQUEST_HEADER = 'x-mamori-request';
/** The session cookie over HTTPS (std-7.2.3): `__Host-` pins it to the host, Secure, Path=/. */
export const SESSION_COOKIE_SECURE = '__Host-mamori-session';
/** The session cookie on local plain-HTTP development only. */
export const SESSION_COOKIE_PLAIN = 'mamori-session';

// ── Sessions ────────────────────────────────────────────────────────────────

/**
 * Where a session stands. Only `active` reaches the application; the others
 * allow just the next step of login (every other endpoint answers 403 with the
 * state's code, e.g. `password_change_required`, std-7.2.4.2).
 */
export const sessionStates = [
  'password_change_required',
  'mfa_enrolment_required',
  'mfa_required',
  'active',
] as const;
export const sessionStateSchema = z.enum(sessionStates);
export type SessionState = z.infer<typeof sessionStateSchema>;

/** Second factors (std-5.4.2). WebAuthn with user verification counts as 所持 + 存在. */
export const mfaMethods = ['totp', 'webauthn', 'recovery_code'] as const;
export const mfaMethodSchema = z.enum(mfaMethods);
export type MfaMethod = z.infer<typeof mfaMethodSchema>;

/** The previous successful login, shown after login (std-7.2.3). */
export const previousLoginSchema = z.object({
  at: z.iso.datetime(),
  ip: z.string().nullable(),
});
export type PreviousLogin = z.infer<typeof previousLoginSchema>;

/** The caller's session, returned by login, each login step and GET /api/auth/session. */
export const sessionInfoSchema = z.object({
  state: sessionStateSchema,
  /** Send in the `x-csrf-token` header on every state-changing request. */
  csrfToken: z.string(),
  account: z.object({
    id: z.uuid(),
    loginName: z.string(),
    displayName: z.string(),
    /** Platform roles (`tenant_admin`), for display only: the UI decides from `permissions`. */
    roles: z.array(z.string()),
  }),
  /**
   * The catalogue permissions the caller holds now, computed by the server's own check over every
   * role held (platform and policy roles, deputy roles included). Empty until the session is
   * `active`. The UI shows or hides menus and actions from this, never from role names.
   */
  permissions: z.array(permissionSchema),
  /** Factors the account can use for the `mfa_required` step and for step-up. */
  availableFactors: z.array(mfaMethodSchema),
  /** Previous successful login before this one (null on the first login). std-7.2.3 */
  previousLogin: previousLoginSchema.nullable(),
  /** Failed login attempts since the previous successful login. std-7.2.3 */
  failedAttemptsSincePreviousLogin: z.int().min(0),
  createdAt: z.iso.datetime(),
  /** The session ends at the earlier of these (idle: extended by each request). */
  idleExpiresAt: z.iso.datetime(),
  absoluteExpiresAt: z.iso.datetime(),
  /** std-7.2.5: privileged operations are allowed until then (null: step up first). */
  elevatedUntil: z.iso.datetime().nullable(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

/** Public information shown on the login page. */
export const loginInfoSchema = z.object({
  /** The tenant's login banner (setting `auth.login.banner`); empty for none. */
  banner: z.string(),
  password: z.object({ minLength: z.int(), maxLength: z.int() }),
});
export type LoginInfo = z.infer<typeof loginInfoSchema>;

/** Login name as typed; the server normalizes (NFKC, lower case) and answers alike for unknown names. */
export const loginInputSchema = z.object({
  loginName: z
    .string()
    .max(256)
    .transform((s) => s.normalize('NFKC').trim().toLowerCase())
    .pipe(z.string().min(1)),
  password: z.string().min(1).max(1024),
});
export type LoginInput = z.input<typeof loginInputSchema>;

/** One of the caller's own sessions (GET /api/auth/sessions). */
export const ownSessionSchema = z.object({
  id: z.uuid(),
  current: z.boolean(),
  state: sessionStateSchema,
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type OwnSession = z.infer<typeof ownSessionSchema>;
export const ownSessionListSchema = z.object({ sessions: z.array(ownSessionSchema) });

export const sessionIdParamsSchema = z.object({ sessionId: z.uuid() });

// ── Passwords ───────────────────────────────────────────────────────────────

/**
 * Why a new password was refused (NIST SP 800-63B-4; std-6.4.3.3). Returned as
 * `details.reasons` of a `password_rejected` error; the UI localizes each.
 */
export const passwordRejectionReasons = [
  'too_short',
  'too_long',
  'common_password',
  'contains_login_name',
  'contains_municipality_name',
  'same_as_current',
] as const;
export const passwordRejectionReasonSchema = z.enum(passwordRejectionReasons);
export type PasswordRejectionReason = z.infer<typeof passwordRejectionReasonSchema>;

/** POST /api/auth/password: the only write allowed while a temporary password is held. */
export const changePasswordInputSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
});
export type ChangePasswordInput = z.infer<typeof changePasswordInputSchema>;

// ── Second factors ──────────────────────────────────────────────────────────

/** A 6-digit TOTP code (spaces tolerated, full-width digits normalized). */
export const totpCodeSchema = z
  .string()
  .transform((s) => s.normalize('NFKC').replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'must be 6 digits'));

export const totpVerifyInputSchema = z.object({ code: totpCodeSchema });

/** A recovery code as printed (`xxxxx-xxxxx`); case and hyphens are ignored. */
export const recoveryCodeInputSchema = z.object({
  code: z
    .string()
    .max(64)
    .transform((s) =>
      s
        .normalize('NFKC')
        .replace(/[\s-]+/g, '')
        .toLowerCase(),
    )
    .pipe(z.string().min(1)),
});

/**
 * WebAuthn option/response JSON as @simplewebauthn/browser produces and
 * consumes them (PublicKeyCredential{Creation,Request}OptionsJSON,
 * RegistrationResponseJSON, AuthenticationResponseJSON). The server validates
 * them fully; the contract only bounds their shape.
 */
export const webauthnOptionsSchema = z.record(z.string(), z.unknown());
export type WebauthnOptions = z.infer<typeof webauthnOptionsSchema>;

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'base64url');

export const webauthnRegistrationResponseSchema = z.looseObject({
  id: base64url.min(1).max(1024),
  rawId: base64url.min(1).max(1024),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: base64url.max(16384),
    attestationObject: base64url.max(65536),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

export const webauthnAuthenticationResponseSchema = z.looseObject({
  id: base64url.min(1).max(1024),
  rawId: base64url.min(1).max(1024),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: base64url.max(16384),
    authenticatorData: base64url.max(16384),
    signature: base64url.max(4096),
    userHandle: base64url.max(1024).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

export const webauthnVerifyInputSchema = z.object({
  response: webauthnAuthenticationResponseSchema,
});

export const webauthnRegisterInputSchema = z.object({
  response: webauthnRegistrationResponseSchema,
  /** A name the owner recognizes the key by (e.g. 「青いセキュリティキー」). */
  name: requiredText(60),
});

/** TOTP enrolment: the secret to scan (shown once) until confirmed with a code. */
export const totpEnrolmentSchema = z.object({
  /** Base32 secret, for manual entry. */
  secret: z.string(),
  /** otpauth:// URI for the QR code. */
  uri: z.string(),
});
export type TotpEnrolment = z.infer<typeof totpEnrolmentSchema>;

/** After the first factor is confirmed: the recovery codes, shown once. */
export const mfaEnrolledResponseSchema = z.object({
  session: sessionInfoSchema,
  /** Present when new codes were issued (the first enrolment): show once, ask to store them. */
  recoveryCodes: z.array(z.string()).nullable(),
});
export type MfaEnrolledResponse = z.infer<typeof mfaEnrolledResponseSchema>;

/** The caller's own factors (GET /api/auth/mfa). */
export const mfaFactorsSchema = z.object({
  totp: z
    .object({ confirmedAt: z.iso.datetime(), lastUsedAt: z.iso.datetime().nullable() })
    .nullable(),
  webauthn: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      createdAt: z.iso.datetime(),
      lastUsedAt: z.iso.datetime().nullable(),
      backedUp: z.boolean(),
    }),
  ),
  recoveryCodesRemaining: z.int().min(0),
});
export type MfaFactors = z.infer<typeof mfaFactorsSchema>;

export const recoveryCodesResponseSchema = z.object({ recoveryCodes: z.array(z.string()) });

export const webauthnCredentialParamsSchema = z.object({ credentialId: z.uuid() });

/**
 * POST /api/auth/step-up (std-7.2.5): re-verify a factor; the session id
 * rotates and the session is elevated for `auth.elevation.duration`.
 */
export const stepUpInputSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('totp'), code: totpCodeSchema }),
  z.object({ method: z.literal('webauthn'), response: webauthnAuthenticationResponseSchema }),
  z.object({
    method: z.literal('recovery_code'),
    code: recoveryCodeInputSchema.shape.code,
  }),
]);
export type StepUpInput = z.input<typeof stepUpInputSchema>;

// ── Account administration (tenant_admin) ───────────────────────────────────

export const accountIdParamsSchema = z.object({ accountId: z.uuid() });

/**
 * What the caller may do with one account now (house style 3), computed by the server from the
 * caller and the account's state (apps/server identity.policy.ts). True means the server accepts
 * the action (step-up aside, std-7.2.5); false means it would refuse it. The UI shows an action
 * only when its ability is true.
 */
export const accountAbilitiesSchema = z.object({
  /** Not for the caller's own account (self-service needs their own factor). std-7.2.4.2 */
  resetPassword: z.boolean(),
  /** Only while locked, and only when the policy allows an administrator to unlock. std-7.2.3 */
  unlock: z.boolean(),
  /** Only while disabled. */
  enable: z.boolean(),
  /** Not the caller's own, not already disabled, not the last enabled tenant_admin (std-7.2.1.3f). */
  disable: z.boolean(),
  /** Not for the caller's own account. std-5.4.2 */
  resetMfa: z.boolean(),
});
export type AccountAbilities = z.infer<typeof accountAbilitiesSchema>;

/** An account as administrators see it: lock and MFA state, never secrets. */
export const accountSummarySchema = z.object({
  id: z.uuid(),
  loginName: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  roles: z.array(z.string()),
  /** A temporary password is held (std-7.2.4.2). */
  mustChangePassword: z.boolean(),
  temporaryPasswordExpiresAt: z.iso.datetime().nullable(),
  locked: z.boolean(),
  lockedUntil: z.iso.datetime().nullable(),
  failedLoginCount: z.int(),
  mfaEnrolled: z.boolean(),
  mfaMethods: z.array(z.enum(['totp', 'webauthn'])),
  disabled: z.boolean(),
  disabledAt: z.iso.datetime().nullable(),
  lastLoginAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  /** What the caller may do with this account (all false without `account:manage`). */
  abilities: accountAbilitiesSchema,
});
export type AccountSummary = z.infer<typeof accountSummarySchema>;
export const accountListSchema = z.object({ accounts: z.array(accountSummarySchema) });

export const createAccountInputSchema = z.object({
  loginName: loginNameSchema,
  displayName: requiredText(100),
  email: z.email().max(254).optional(),
  /** The person (organization module) this account belongs to, if known. */
  personId: z.uuid().optional(),
});
export type CreateAccountInput = z.input<typeof createAccountInputSchema>;

/** A temporary password, shown once (std-7.2.4.2). */
export const temporaryPasswordResponseSchema = z.object({
  account: accountSummarySchema,
  temporaryPassword: z.string(),
  expiresAt: z.iso.datetime(),
});
export type TemporaryPasswordResponse = z.infer<typeof temporaryPasswordResponseSchema>;

export const disableAccountInputSchema = z.object({
  reason: requiredText(500),
});

export const accountResponseSchema = z.object({ account: accountSummarySchema });

// ── Routes ──────────────────────────────────────────────────────────────────

/**
 * The identity API's paths, relative to `/api` (the server registers them under
 * `/api`; the web client's `apiGet`/`apiSend` prepend it). `:name` segments are
 * path parameters. Method, body → reply for each:
 */
export const identityPaths = {
  /** GET (public) → loginInfoSchema: banner and password length rules. */
  loginInfo: '/auth/login-info',
  /** POST (public, {@link LOGIN_REQUEST_HEADER}) loginInputSchema → sessionInfoSchema. */
  login: '/auth/login',
  /** POST (any session state) → 204; ends the session and clears the cookie. */
  logout: '/auth/logout',
  /** GET (any session state) → sessionInfoSchema; 401 without a session. */
  session: '/auth/session',
  /** POST changePasswordInputSchema → sessionInfoSchema (allowed in password_change_required). */
  password: '/auth/password',
  /** POST (mfa_required) totpVerifyInputSchema → sessionInfoSchema. DELETE (step-up) → 204: remove the authenticator app. */
  totp: '/auth/mfa/totp',
  /** POST (mfa_required) recoveryCodeInputSchema → sessionInfoSchema. */
  recoveryCodeVerify: '/auth/mfa/recovery-code',
  /** POST (mfa_required) → webauthnOptionsSchema (request options). */
  webauthnLoginOptions: '/auth/mfa/webauthn/options',
  /** POST (mfa_required) webauthnVerifyInputSchema → sessionInfoSchema. */
  webauthnVerify: '/auth/mfa/webauthn',
  /** POST → webauthnOptionsSchema (request options for a step-up). */
  stepUpWebauthnOptions: '/auth/step-up/webauthn/options',
  /** POST stepUpInputSchema → sessionInfoSchema (rotated, elevatedUntil set). std-7.2.5 */
  stepUp: '/auth/step-up',
  /** GET → mfaFactorsSchema. */
  mfaFactors: '/auth/mfa',
  /**
   * POST (mfa_enrolment_required, or active + step-up) → totpEnrolmentSchema. With an app already
   * registered this starts a replacement: the registered app keeps working until the new secret is
   * confirmed (no need to remove it first, which is refused when it is the only factor).
   */
  totpEnrolment: '/auth/mfa/totp/enrolment',
  /** POST totpVerifyInputSchema → mfaEnrolledResponseSchema (confirms the pending secret; a replacement takes effect only now). */
  totpEnrolmentConfirm: '/auth/mfa/totp/enrolment/confirm',
  /** POST (mfa_enrolment_required, or active + step-up) → webauthnOptionsSchema (creation options). */
  webauthnRegistrationOptions: '/auth/mfa/webauthn/registration/options',
  /** POST webauthnRegisterInputSchema → mfaEnrolledResponseSchema. */
  webauthnRegistration: '/auth/mfa/webauthn/registration',
  /** DELETE (step-up) → 204; 409 conflict for the last factor. */
  webauthnCredential: '/auth/mfa/webauthn/:credentialId',
  /** POST (step-up) → recoveryCodesResponseSchema: new codes, the old ones stop working. */
  recoveryCodes: '/auth/mfa/recovery-codes',
  /** GET → ownSessionListSchema. */
  sessions: '/auth/sessions',
  /** DELETE → 204: ends one of the caller's own sessions. */
  ownSession: '/auth/sessions/:sessionId',
  /** GET (account:read) → accountListSchema; POST (account:manage, step-up) createAccountInputSchema → temporaryPasswordResponseSchema. */
  accounts: '/identity/accounts',
  /** POST (account:manage, step-up) → temporaryPasswordResponseSchema; the account's sessions end. std-7.2.4.2 */
  accountResetPassword: '/identity/accounts/:accountId/reset-password',
  /** POST (account:manage, step-up) → accountResponseSchema. std-7.2.3 */
  accountUnlock: '/identity/accounts/:accountId/unlock',
  /** POST (account:manage, step-up) → accountResponseSchema. */
  accountEnable: '/identity/accounts/:accountId/enable',
  /** POST (account:manage, step-up) disableAccountInputSchema → accountResponseSchema; its sessions end. */
  accountDisable: '/identity/accounts/:accountId/disable',
  /** POST (account:manage, step-up) → accountResponseSchema; the account enrols again at next login. */
  accountResetMfa: '/identity/accounts/:accountId/reset-mfa',
} as const;
