import { sql } from 'drizzle-orm';
import type { JsonValue } from '../oplog/canonical.js';
import type { AnchoredRecordType } from '../oplog/anchors.js';

export const SETTING_VERSION_SUBJECT = 'setting_version';

/** What a setting change logs (and what verify-log re-digests from the row). */
export function settingVersionPayload(row: {
  key: string;
  version: number;
  value: unknown;
  reason: string;
  changedBy: string;
}): JsonValue {
  return {
    key: row.key,
    version: row.version,
    value: (row.value ?? null) as JsonValue,
    reason: row.reason,
    changed_by: row.changedBy,
  };
}

export const settingVersionAnchor: AnchoredRecordType = {
  recordType: SETTING_VERSION_SUBJECT,
  selectSql: sql`
    SELECT id::text AS id, log_seq, log_digest,
           json_build_object('key', key, 'version', version, 'value', value,
                             'reason', reason, 'changed_by', changed_by::text) AS fields
      FROM setting_versions ORDER BY key, version`,
};
