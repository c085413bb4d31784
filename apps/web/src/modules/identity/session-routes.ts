import { permissionGrants, type Permission, type SessionInfo } from '@mamori/contracts';

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
 * Whether the session may use `permission`: the server's own first-layer check (contracts
 * `permissionGrants` over the roles the session carries), so the UI offers only what the server
 * would allow. Per-object actions come from the abilities the server sends with each object.
 */
export function sessionHasPermission(session: SessionInfo | null, permission: Permission): boolean {
  if (session?.state !== 'active') return false;
  const grantees = permissionGrants[permission];
  return grantees.includes('staff') || session.account.roles.some((r) => grantees.includes(r));
}

/** A path inside the app to return to after login; anything else (another site, a login step) is home. */
export function safeReturnPath(path: unknown): string {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) return '/';
  return path.startsWith(loginRoutes.login) ? '/' : path;
}
