import type { operationLogJa } from './messages.ja.js';

/** English messages of the operation-log module: the same keys as messages.ja.ts. */
export const operationLogEn: typeof operationLogJa = {
  title: 'Operation log',
};
