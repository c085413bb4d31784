import type { AccountAbilities, AccountSummary } from '@mamori/contracts';

/** An administrator action on an account, as the accounts page names it. */
export type AccountActionKind = 'reset' | 'unlock' | 'mfa' | 'enable' | 'disable';

/** Menu order, each action with the server-computed ability that allows it. */
const ACTIONS: readonly { kind: AccountActionKind; ability: keyof AccountAbilities }[] = [
  { kind: 'reset', ability: 'resetPassword' },
  { kind: 'unlock', ability: 'unlock' },
  { kind: 'mfa', ability: 'resetMfa' },
  { kind: 'enable', ability: 'enable' },
  { kind: 'disable', ability: 'disable' },
];

/**
 * The actions to offer for an account: exactly those whose ability the server sent as true
 * (house style 3: never decided from role names or the account's state on the client).
 */
export function accountActionsOf(account: Pick<AccountSummary, 'abilities'>): AccountActionKind[] {
  return ACTIONS.filter((a) => account.abilities[a.ability]).map((a) => a.kind);
}
