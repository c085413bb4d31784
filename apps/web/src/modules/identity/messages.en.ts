import type { identityJa } from './messages.ja.js';

/** English messages of the identity module: the same keys as messages.ja.ts. */
export const identityEn: typeof identityJa = {
  title: 'Log in',
};
