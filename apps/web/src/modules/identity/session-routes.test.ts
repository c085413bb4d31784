import type { SessionInfo } from '@mamori/contracts';
import { describe, expect, it } from 'vitest';
import {
  loginRoutes,
  loginStepPath,
  safeReturnPath,
  sessionHasPermission,
} from './session-routes.js';

function session(overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    state: 'active',
    csrfToken: 'csrf',
    account: {
      id: '00000000-0000-4000-8000-000000000001',
      loginName: 'shiken',
      displayName: '試験 太郎',
      roles: [],
    },
    permissions: ['session:self', 'organization:read'],
    availableFactors: ['totp'],
    previousLogin: null,
    failedAttemptsSincePreviousLogin: 0,
    createdAt: '2026-11-25T01:00:00.000Z',
    idleExpiresAt: '2026-11-25T01:30:00.000Z',
    absoluteExpiresAt: '2026-11-25T13:00:00.000Z',
    elevatedUntil: null,
    ...overrides,
  };
}

describe('loginStepPath', () => {
  it('sends no session to login and each unfinished state to its step (std-7.2.4.2, std-5.4.2)', () => {
    expect(loginStepPath(null)).toBe(loginRoutes.login);
    expect(loginStepPath(session({ state: 'password_change_required' }))).toBe(
      loginRoutes.changePassword,
    );
    expect(loginStepPath(session({ state: 'mfa_enrolment_required' }))).toBe(
      loginRoutes.mfaEnrolment,
    );
    expect(loginStepPath(session({ state: 'mfa_required' }))).toBe(loginRoutes.mfa);
    expect(loginStepPath(session())).toBeNull();
  });
});

describe('sessionHasPermission', () => {
  it("follows the server's computed permissions, not role names in the UI", () => {
    expect(sessionHasPermission(session(), 'session:self')).toBe(true);
    expect(sessionHasPermission(session(), 'account:manage')).toBe(false);
    // A role name alone grants nothing on the client: only the server's permissions count.
    const namedAdmin = session({ account: { ...session().account, roles: ['tenant_admin'] } });
    expect(sessionHasPermission(namedAdmin, 'account:read')).toBe(false);
    // A policy role (chief_security_officer) carries no platform role, yet its permissions arrive.
    const cso = session({ permissions: ['session:self', 'operation_log:read'] });
    expect(sessionHasPermission(cso, 'operation_log:read')).toBe(true);
  });

  it('grants nothing before the login is complete', () => {
    const pending = session({
      state: 'password_change_required',
      permissions: ['account:read'],
    });
    expect(sessionHasPermission(pending, 'account:read')).toBe(false);
    expect(sessionHasPermission(null, 'session:self')).toBe(false);
  });
});

describe('safeReturnPath', () => {
  it('returns only to a path of this app, never to another site or a login step', () => {
    expect(safeReturnPath('/settings/security?x=1')).toBe('/settings/security?x=1');
    expect(safeReturnPath('//evil.example/')).toBe('/');
    expect(safeReturnPath('https://evil.example/')).toBe('/');
    expect(safeReturnPath('/login/mfa')).toBe('/');
    expect(safeReturnPath(undefined)).toBe('/');
  });
});
