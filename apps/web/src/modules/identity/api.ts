import {
  accountListSchema,
  accountResponseSchema,
  identityPaths,
  loginInfoSchema,
  mfaEnrolledResponseSchema,
  mfaFactorsSchema,
  ownSessionListSchema,
  recoveryCodesResponseSchema,
  sessionInfoSchema,
  temporaryPasswordResponseSchema,
  totpEnrolmentSchema,
  webauthnOptionsSchema,
  type ChangePasswordInput,
  type CreateAccountInput,
  type LoginInput,
  type SessionInfo,
  type StepUpInput,
} from '@mamori/contracts';
import {
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { ApiError, apiGet, apiPath, apiSend, sessionBridge } from '../../api/client.js';

/** Query keys of the identity module. */
export const identityKeys = {
  session: ['identity', 'session'] as const,
  loginInfo: ['identity', 'login-info'] as const,
  sessions: ['identity', 'sessions'] as const,
  mfaFactors: ['identity', 'mfa-factors'] as const,
  accounts: ['identity', 'accounts'] as const,
};

/**
 * The caller's session (`GET /api/auth/session`), or null when there is none (401). Every
 * session the app learns of also hands its CSRF token to the API client.
 */
export async function fetchSession(signal?: AbortSignal): Promise<SessionInfo | null> {
  try {
    const session = await apiGet(identityPaths.session, sessionInfoSchema, { signal });
    sessionBridge.csrfToken = session.csrfToken;
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      sessionBridge.csrfToken = null;
      return null;
    }
    throw error;
  }
}

export function useSession() {
  return useQuery({
    queryKey: identityKeys.session,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: 60_000,
    // Not on focus: the enrolment page keeps an already active session off the query until its
    // recovery codes are acknowledged. A session that ended shows on the next call (401).
    refetchOnWindowFocus: false,
    retry: false,
  });
}

let hasLoggedOut = false;
let hasExpired = false;

/** Whether the last session ended by its timeout (told once, on the login page). */
export function takeSessionExpired(): boolean {
  const expired = hasExpired;
  hasExpired = false;
  return expired;
}

/**
 * Whether the session ended by the user's own logout (not by a timeout or revocation): the login
 * page then starts afresh instead of returning to the page the previous user was on.
 */
export function endedByLogout(): boolean {
  return hasLoggedOut;
}

/** Makes `session` the app's session: its CSRF token for the next writes, its state for routing. */
export function applySession(queryClient: QueryClient, session: SessionInfo | null): void {
  if (session !== null) hasLoggedOut = false;
  sessionBridge.csrfToken = session?.csrfToken ?? null;
  queryClient.setQueryData(identityKeys.session, session);
}

/** Queries of public information, kept when a session ends. */
const PUBLIC_QUERY_KEYS: readonly (readonly unknown[])[] = [
  identityKeys.session,
  identityKeys.loginInfo,
  ['tenant'],
  ['health'],
];

function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}

/** After logout or a lost session: nothing of the previous user stays in the cache. */
export function forgetSession(
  queryClient: QueryClient,
  reason: 'logout' | 'expired' | 'lost' = 'lost',
): void {
  hasLoggedOut = reason === 'logout';
  hasExpired = reason === 'expired';
  // The session query itself stays (its observers route to the login page once it reads null),
  // and so does what anyone may see before logging in (the municipality, the login banner,
  // the system status): removing those while they load would leave the login page without them.
  queryClient.removeQueries({
    predicate: (query) => !PUBLIC_QUERY_KEYS.some((key) => sameKey(query.queryKey, key)),
  });
  applySession(queryClient, null);
}

export function useLoginInfo() {
  return useQuery({
    queryKey: identityKeys.loginInfo,
    queryFn: ({ signal }) => apiGet(identityPaths.loginInfo, loginInfoSchema, { signal }),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export const login = (input: LoginInput) =>
  apiSend('POST', identityPaths.login, input, sessionInfoSchema);

export const logout = () => apiSend('POST', identityPaths.logout, undefined, z.unknown());

export const changePassword = (input: ChangePasswordInput) =>
  apiSend('POST', identityPaths.password, input, sessionInfoSchema);

// ── Second factors ──────────────────────────────────────────────────────────

export const startTotpEnrolment = () =>
  apiSend('POST', identityPaths.totpEnrolment, undefined, totpEnrolmentSchema);

export const confirmTotp = (code: string) =>
  apiSend('POST', identityPaths.totpEnrolmentConfirm, { code }, mfaEnrolledResponseSchema);

/** Registers a security key or passkey: options from the server, the browser's ceremony, the result back. */
export async function registerWebauthn(name: string) {
  const options = await apiSend(
    'POST',
    identityPaths.webauthnRegistrationOptions,
    undefined,
    webauthnOptionsSchema,
  );
  const response = await startRegistration({
    optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
  });
  return apiSend(
    'POST',
    identityPaths.webauthnRegistration,
    { response, name },
    mfaEnrolledResponseSchema,
  );
}

/** A WebAuthn assertion for the login step or a step-up. */
export async function authenticateWebauthn(purpose: 'login' | 'step_up') {
  const options = await apiSend(
    'POST',
    purpose === 'login' ? identityPaths.webauthnLoginOptions : identityPaths.stepUpWebauthnOptions,
    undefined,
    webauthnOptionsSchema,
  );
  const assertion = await startAuthentication({
    optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON,
  });
  // Plain object copies: the contract's schema types are open records.
  return {
    ...assertion,
    response: { ...assertion.response },
    clientExtensionResults: { ...assertion.clientExtensionResults },
  };
}

export const verifyTotp = (code: string) =>
  apiSend('POST', identityPaths.totp, { code }, sessionInfoSchema);

export async function verifyWebauthn() {
  const response = await authenticateWebauthn('login');
  return apiSend('POST', identityPaths.webauthnVerify, { response }, sessionInfoSchema);
}

export const verifyRecoveryCode = (code: string) =>
  apiSend('POST', identityPaths.recoveryCodeVerify, { code }, sessionInfoSchema);

export const stepUp = (input: StepUpInput) =>
  apiSend('POST', identityPaths.stepUp, input, sessionInfoSchema);

export function useMfaFactors() {
  return useQuery({
    queryKey: identityKeys.mfaFactors,
    queryFn: ({ signal }) => apiGet(identityPaths.mfaFactors, mfaFactorsSchema, { signal }),
  });
}

export const removeWebauthnCredential = (credentialId: string) =>
  apiSend(
    'DELETE',
    apiPath(identityPaths.webauthnCredential, { credentialId }),
    undefined,
    z.unknown(),
  );

export const regenerateRecoveryCodes = () =>
  apiSend('POST', identityPaths.recoveryCodes, undefined, recoveryCodesResponseSchema);

// ── Own sessions ────────────────────────────────────────────────────────────

export function useOwnSessions() {
  return useQuery({
    queryKey: identityKeys.sessions,
    queryFn: ({ signal }) => apiGet(identityPaths.sessions, ownSessionListSchema, { signal }),
  });
}

export const revokeOwnSession = (sessionId: string) =>
  apiSend('DELETE', apiPath(identityPaths.ownSession, { sessionId }), undefined, z.unknown());

// ── Account administration ──────────────────────────────────────────────────

export function useAccounts(enabled: boolean) {
  return useQuery({
    queryKey: identityKeys.accounts,
    queryFn: ({ signal }) => apiGet(identityPaths.accounts, accountListSchema, { signal }),
    enabled,
  });
}

export const createAccount = (input: CreateAccountInput) =>
  apiSend('POST', identityPaths.accounts, input, temporaryPasswordResponseSchema);

export const issueTemporaryPassword = (accountId: string) =>
  apiSend(
    'POST',
    apiPath(identityPaths.accountResetPassword, { accountId }),
    undefined,
    temporaryPasswordResponseSchema,
  );

export const unlockAccount = (accountId: string) =>
  apiSend(
    'POST',
    apiPath(identityPaths.accountUnlock, { accountId }),
    undefined,
    accountResponseSchema,
  );

export const enableAccount = (accountId: string) =>
  apiSend(
    'POST',
    apiPath(identityPaths.accountEnable, { accountId }),
    undefined,
    accountResponseSchema,
  );

export const disableAccount = (accountId: string, reason: string) =>
  apiSend(
    'POST',
    apiPath(identityPaths.accountDisable, { accountId }),
    { reason },
    accountResponseSchema,
  );

export const resetAccountMfa = (accountId: string) =>
  apiSend(
    'POST',
    apiPath(identityPaths.accountResetMfa, { accountId }),
    undefined,
    accountResponseSchema,
  );
