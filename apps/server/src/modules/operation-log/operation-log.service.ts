import type {
  LogReviewCreate,
  LogReviewDto,
  OperationLogEntryDto,
  OperationLogVerification,
} from '@mamori/contracts';
import { addMonths, readDurationSetting, type PolicyPack } from '@mamori/policy';
import type { Database, TenantScope, TenantTx } from '../../platform/db/database.js';
import { listCheckpoints } from '../../platform/oplog/checkpoints.js';
import { listLogReviews, recordLogReview } from '../../platform/oplog/log-reviews.js';
import { listOperationLog, type OperationLogFilter } from '../../platform/oplog/oplog.query.js';
import { loadVerifierKey, logKeyPaths } from '../../platform/oplog/signing-key.js';
import { verifyOperationLog } from '../../platform/oplog/verify-log.js';
import { getEffectiveSettings } from '../../platform/settings/settings.service.js';
import { accountNames, chainSize } from './operation-log.repository.js';

/** One page of the viewer, newest first, with actor names and each entry's verification state. */
export async function viewOperationLog(
  tx: TenantTx,
  filter: OperationLogFilter,
  page: { limit: number; beforeSeq?: number },
): Promise<{ entries: OperationLogEntryDto[]; nextBeforeSeq: number | null; size: number }> {
  const result = await listOperationLog(tx, filter, page);
  const names = await accountNames(
    tx,
    result.entries.filter((e) => e.actorType === 'account').map((e) => e.actorId),
  );
  return {
    entries: result.entries.map((e) => ({
      seq: e.seq,
      loggedAt: e.loggedAt.toISOString(),
      actorType: e.actorType as OperationLogEntryDto['actorType'],
      actorId: e.actorId,
      actorName: e.actorType === 'account' ? (names.get(e.actorId) ?? null) : null,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      payloadDigest: e.payloadDigest,
      hashHex: e.hashHex,
      verification: e.verification,
      checkpointed: e.checkpointed,
      payloadErased: e.payloadErased,
    })),
    nextBeforeSeq: result.nextBeforeSeq,
    size: await chainSize(tx),
  };
}

/**
 * Verifies the tenant's log for an auditor (std-7.1.4.2, std-10.1.6): the
 * same check as `verify-log`, optionally against a checkpoint file kept
 * outside the database.
 */
export async function verifyTenantLog(
  db: Database,
  scope: TenantScope,
  logKeyDir: string,
  checkpointsText: string | undefined,
  now: Date,
): Promise<OperationLogVerification> {
  const verifierKey = await loadVerifierKey(logKeyPaths(logKeyDir).publicKey);
  const report = await verifyOperationLog(db, {
    tenantId: scope.tenantId,
    verifierKey,
    ...(checkpointsText === undefined ? {} : { checkpointsText }),
  });
  const tenant = report.tenants[0];
  return {
    ok: report.ok && tenant !== undefined,
    verifiedAt: now.toISOString(),
    size: tenant?.size ?? 0,
    headHash: tenant?.headHash ?? null,
    checkpointsChecked: tenant?.checkpointsChecked ?? 0,
    fileCheckpointsChecked: tenant?.fileCheckpointsChecked ?? 0,
    recordsChecked: tenant?.recordsChecked ?? 0,
    problems: (tenant?.problems ?? []).map((p) => ({
      kind: p.kind,
      seq: p.seq,
      message: p.message,
      ...(p.checkpoint ? { checkpoint: p.checkpoint } : {}),
      ...(p.record ? { record: p.record } : {}),
    })),
    fileProblems: [...report.fileProblems],
  };
}

/** The tenant's signed checkpoints, oldest first, for keeping elsewhere. */
export async function checkpointsOf(tx: TenantTx) {
  const rows = await listCheckpoints(tx);
  return rows.map((r) => ({
    size: r.size,
    headHash: r.headHash.toString('hex'),
    keyName: r.keyName,
    createdAt: r.createdAt.toISOString(),
    note: r.note,
  }));
}

/**
 * The log reviews (std-7.1.6.3), newest first, and when the next is due:
 * the newest reviewed period's end plus the setting `log.review.interval`.
 */
export async function logReviewsOf(
  tx: TenantTx,
  pack: Pick<PolicyPack, 'settings'>,
): Promise<{ reviews: LogReviewDto[]; nextDueDate: string | null }> {
  const rows = await listLogReviews(tx);
  const names = await accountNames(
    tx,
    rows.map((r) => r.reviewedBy),
  );
  const reviews = rows.map((r) => ({
    id: r.id,
    reviewedBy: r.reviewedBy,
    reviewerName: names.get(r.reviewedBy) ?? null,
    periodFrom: r.periodFrom,
    periodTo: r.periodTo,
    fromSeq: r.fromSeq,
    toSeq: r.toSeq,
    result: r.result as LogReviewDto['result'],
    findings: r.findings,
    reviewedAt: r.reviewedAt.toISOString(),
    logSeq: r.logSeq,
  }));
  const latestEnd = reviews
    .map((r) => r.periodTo)
    .sort()
    .at(-1);
  if (!latestEnd) return { reviews, nextDueDate: null };
  const interval = readDurationSetting(await getEffectiveSettings(tx, pack), 'log.review.interval');
  const months = interval.unit === 'years' ? interval.amount * 12 : interval.amount;
  return { reviews, nextDueDate: addMonths(latestEnd, months) };
}

/** Records a review of a range of the log by the calling account (std-7.1.6.3). */
export async function addLogReview(
  tx: TenantTx,
  reviewerAccountId: string,
  input: LogReviewCreate,
) {
  return recordLogReview(tx, reviewerAccountId, input);
}
