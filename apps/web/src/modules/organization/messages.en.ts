import type { organizationJa } from './messages.ja.js';

/** English messages of the organization module: the same keys as messages.ja.ts. */
export const organizationEn: typeof organizationJa = {
  title: 'Organization',
};
