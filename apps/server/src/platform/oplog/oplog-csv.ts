import { formatTokyoDateTime } from '@mamori/policy';
import type { TenantTx } from '../db/database.js';
import { encodeCsv, type CsvEncoding } from '../export/csv.js';
import { iterateOperationLog, type OperationLogFilter } from './oplog.query.js';

/** The export's columns, in the policy's terms (Japanese first). */
export const OPERATION_LOG_CSV_HEADER = [
  '連番',
  '日時（日本時間）',
  '操作者種別',
  '操作者',
  '操作',
  '対象種別',
  '対象ID',
  'ペイロードダイジェスト',
  'ハッシュ',
  '検証',
  '署名済みチェックポイント',
] as const;

/**
 * The operation log as CSV for reviewers and auditors (std-7.1.6.3), oldest
 * first, with each entry's verification state. UTF-8 with BOM or Shift_JIS.
 */
export async function exportOperationLogCsv(
  tx: TenantTx,
  filter: OperationLogFilter,
  encoding: CsvEncoding,
): Promise<Buffer> {
  const rows: (string | number)[][] = [];
  for await (const e of iterateOperationLog(tx, filter)) {
    rows.push([
      e.seq,
      formatTokyoDateTime(e.loggedAt, 'millisecond'),
      e.actorType,
      e.actorId,
      e.action,
      e.subjectType,
      e.subjectId,
      e.payloadDigest,
      e.hashHex,
      e.verification === 'verified' ? '検証済み' : '不整合',
      e.checkpointed ? '署名済み' : '未署名',
    ]);
  }
  return encodeCsv(OPERATION_LOG_CSV_HEADER, rows, encoding);
}
