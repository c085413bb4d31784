import type { Permission, SessionInfo } from '@mamori/contracts';

/** Client routes of the login flow, one per session state that is not yet `active`. */
export const loginRoutes = {
  login: '/login',
  changePassword: '/login/change-password',
  mfaEnrolment: '/login/mfa-enrolment',
  mfa: '/login/mfa',
} as const;

/** Client routes of the identity module inside the app. */
export const identityRoutes = {
  security: '/settings/security',
  accounts: '/settings/accounts',
} as const;

/**
 * Where a session must go next: no session → login; a temporary password → change it
 * (std-7.2.4.2); no second factor yet → enrol one (std-5.4.2); one to present → present it;
 * active → the app (null).
 */
export function loginStepPath(session: SessionInfo | null): string | null {
  if (session === null) return loginRoutes.login;
  switch (session.state) {
    case 'password_change_required':
      return loginRoutes.changePassword;
    case 'mfa_enrolment_required':
      return loginRoutes.mfaEnrolment;
    case 'mfa_required':
      return loginRoutes.mfa;
    case 'active':
      return null;
  }
}

/**
 * Whether the session may use `permission`: the server computes the session's permissions with its
 * own first-layer check over every role held (platform and policy roles, deputy roles included), so
 * the UI offers only what the server would allow and never decides from role names. Per-object
 * actions come from the abilities the server sends with each object.
 */
export function sessionHasPermission(session: SessionInfo | null, permission: Permission): boolean {
  if (session?.state !== 'active') return false;
  return session.permissions.includes(permission);
}

/** A path inside the app to return to after login; anything else (another site, a login step) is home. */
export function safeReturnPath(path: unknown): string {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) return '/';
  return path.startsWith(loginRoutes.login) ? '/' : path;
}
