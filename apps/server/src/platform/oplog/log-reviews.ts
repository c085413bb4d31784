import { desc, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { TenantTx } from '../db/database.js';
import { AppError } from '../errors.js';
import type { AnchoredRecordType } from './anchors.js';
import type { JsonValue } from './canonical.js';
import { operationAppendSql } from './oplog.service.js';
import { logReviews } from './log-reviews.tables.js';

export const LOG_REVIEW_SUBJECT = 'log_review';

const isoDate = z.iso.date();

export const logReviewInputSchema = z
  .object({
    periodFrom: isoDate,
    periodTo: isoDate,
    fromSeq: z.number().int().min(1),
    toSeq: z.number().int().min(1),
    result: z.enum(['no_issues', 'findings']),
    findings: z
      .string()
      .transform((s) => s.normalize('NFC').trim())
      .pipe(z.string().max(4000)),
  })
  .refine((v) => v.toSeq >= v.fromSeq, { path: ['toSeq'], message: 'must not be before fromSeq' })
  .refine((v) => v.periodTo >= v.periodFrom, {
    path: ['periodTo'],
    message: 'must not be before periodFrom',
  })
  .refine((v) => v.result === 'no_issues' || v.findings.length > 0, {
    path: ['findings'],
    message: 'describe the findings',
  });
export type LogReviewInput = z.input<typeof logReviewInputSchema>;

function payloadOf(
  id: string,
  reviewedBy: string,
  v: z.output<typeof logReviewInputSchema>,
): JsonValue {
  return {
    id,
    reviewed_by: reviewedBy,
    period_from: v.periodFrom,
    period_to: v.periodTo,
    from_seq: v.fromSeq,
    to_seq: v.toSeq,
    result: v.result,
    findings: v.findings,
  };
}

/**
 * Records a review of a range of the operation log (std-7.1.6.3), logged and
 * anchored in the same statement. The range must exist in the chain.
 */
export async function recordLogReview(
  tx: TenantTx,
  reviewerAccountId: string,
  input: LogReviewInput,
): Promise<{ id: string; logSeq: number }> {
  const parsed = logReviewInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'The log review is not valid.', {
      issues: parsed.error.issues.map((i) => ({
        path: i.path.join('.'),
        message: i.message,
        code: i.code,
      })),
    });
  }
  const v = parsed.data;
  const head = await tx.execute<{ seq: string }>(
    sql`SELECT coalesce(max(seq), 0)::text AS seq FROM operation_log`,
  );
  if (v.toSeq > Number(head.rows[0]?.seq ?? 0)) {
    throw new AppError('validation_failed', 'The reviewed range goes beyond the end of the log.', {
      issues: [{ path: 'toSeq', message: 'beyond the end of the log', code: 'too_big' }],
    });
  }
  const id = crypto.randomUUID();
  const log = operationAppendSql(
    tx,
    { type: 'account', id: reviewerAccountId },
    {
      action: 'oplog.reviewed',
      subject: { type: LOG_REVIEW_SUBJECT, id },
      payload: payloadOf(id, reviewerAccountId, v),
    },
  );
  const r = await tx.execute<{ log_seq: string }>(sql`
    WITH log AS (${log.fragment})
    INSERT INTO log_reviews (tenant_id, id, reviewed_by, period_from, period_to, from_seq, to_seq,
                             result, findings, log_seq, log_digest)
    SELECT ${tx.scope.tenantId}::uuid, ${id}::uuid, ${reviewerAccountId}::uuid, ${v.periodFrom}::date,
           ${v.periodTo}::date, ${v.fromSeq}, ${v.toSeq}, ${v.result}, ${v.findings}, log.seq, ${log.payloadDigest}
      FROM log
    RETURNING log_seq::text`);
  return { id, logSeq: Number(r.rows[0]?.log_seq) };
}

export async function listLogReviews(tx: TenantTx) {
  return tx.select().from(logReviews).orderBy(desc(logReviews.reviewedAt));
}

export const logReviewAnchor: AnchoredRecordType = {
  recordType: LOG_REVIEW_SUBJECT,
  selectSql: sql`
    SELECT id::text AS id, log_seq, log_digest,
           json_build_object('id', id::text, 'reviewed_by', reviewed_by::text,
             'period_from', to_char(period_from, 'YYYY-MM-DD'), 'period_to', to_char(period_to, 'YYYY-MM-DD'),
             'from_seq', from_seq, 'to_seq', to_seq, 'result', result, 'findings', findings) AS fields
      FROM log_reviews ORDER BY reviewed_at, id`,
};
