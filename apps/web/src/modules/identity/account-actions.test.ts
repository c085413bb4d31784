import type { AccountAbilities } from '@mamori/contracts';
import { describe, expect, it } from 'vitest';
import { accountActionsOf } from './account-actions.js';

const none: AccountAbilities = {
  resetPassword: false,
  unlock: false,
  enable: false,
  disable: false,
  resetMfa: false,
};

describe('account actions follow the server abilities (house style 3)', () => {
  it("offers nothing when every ability is false (e.g. the admin's own account, std-7.2.4.2)", () => {
    expect(accountActionsOf({ abilities: none })).toEqual([]);
  });

  it('offers exactly the true abilities, in menu order', () => {
    expect(
      accountActionsOf({
        abilities: { ...none, resetPassword: true, resetMfa: true, disable: true },
      }),
    ).toEqual(['reset', 'mfa', 'disable']);
    // std-7.2.3 a locked, disabled account: unlock and enable, but no disable.
    expect(
      accountActionsOf({ abilities: { ...none, unlock: true, enable: true, resetPassword: true } }),
    ).toEqual(['reset', 'unlock', 'enable']);
  });
});
