import type { AnchoredRecordType } from './oplog/anchors.js';
import { logReviewAnchor } from './oplog/log-reviews.js';
import { settingVersionAnchor } from './settings/settings.anchor.js';

/**
 * Every kind of record anchored in the operation log; verify-log checks each.
 * Later issues add approval decisions, disposal records, entry logs, work
 * records and audit evidence here.
 */
export const anchoredRecordTypes: readonly AnchoredRecordType[] = [
  settingVersionAnchor,
  logReviewAnchor,
];
