import type { Permission, SessionInfo } from '@mamori/contracts';
import { describe, expect, it } from 'vitest';
import { navigationItems, visibleNavigationItems } from './navigation.js';

function session(permissions: Permission[], state: SessionInfo['state'] = 'active'): SessionInfo {
  return {
    state,
    csrfToken: 'csrf',
    account: {
      id: '00000000-0000-4000-8000-000000000001',
      loginName: 'shiken',
      displayName: '試験 太郎',
      roles: [],
    },
    permissions,
    availableFactors: ['totp'],
    previousLogin: null,
    failedAttemptsSincePreviousLogin: 0,
    createdAt: '2026-11-25T01:00:00.000Z',
    idleExpiresAt: '2026-11-25T01:30:00.000Z',
    absoluteExpiresAt: '2026-11-25T13:00:00.000Z',
    elevatedUntil: null,
  };
}

const ids = (s: SessionInfo | null) => visibleNavigationItems(s).map((item) => item.id);

describe('visibleNavigationItems', () => {
  it('std-7.1.6: hides 操作ログ from a session without operation_log:read', () => {
    const staff = ids(session(['session:self', 'organization:read']));
    expect(staff).not.toContain('operation_log');
    expect(staff).toContain('home');
    expect(staff).toContain('settings');
    expect(staff).toHaveLength(navigationItems.length - 1);
  });

  it('shows 操作ログ to a session the server granted operation_log:read (e.g. a chief_security_officer)', () => {
    expect(ids(session(['session:self', 'operation_log:read']))).toEqual(
      navigationItems.map((item) => item.id),
    );
  });

  it('keeps the menu order and the entries that need no permission', () => {
    const items = visibleNavigationItems(session([]), [
      { id: 'home', path: '/' },
      { id: 'audit', path: '/audits', permission: 'operation_log:review' },
      { id: 'settings', path: '/settings' },
    ]);
    expect(items.map((item) => item.id)).toEqual(['home', 'settings']);
  });

  it('offers no permission-bound entry before the login is complete', () => {
    expect(ids(session(['operation_log:read'], 'mfa_required'))).not.toContain('operation_log');
    expect(ids(null)).not.toContain('operation_log');
  });
});
