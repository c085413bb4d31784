import { z } from 'zod';

// A real calendar date (2026-13-45 is refused here, never by the database).
const isoDate = z.iso.date();

/** Filter of the operation-log viewer (std-7.1.6.3); dates are Asia/Tokyo calendar days, inclusive. */
export const operationLogQuerySchema = z
  .object({
    fromDate: isoDate.optional(),
    toDate: isoDate.optional(),
    actorId: z.string().trim().min(1).max(200).optional(),
    action: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_.]*$/, 'an action name such as identity.login_succeeded')
      .max(100)
      .optional(),
    subjectType: z.string().trim().min(1).max(100).optional(),
    subjectId: z.string().trim().min(1).max(200).optional(),
    beforeSeq: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .refine((q) => !q.fromDate || !q.toDate || q.fromDate <= q.toDate, {
    path: ['toDate'],
    message: 'must not be before fromDate',
  });
export type OperationLogQuery = z.input<typeof operationLogQuerySchema>;

export const operationLogEntrySchema = z.object({
  seq: z.number().int(),
  loggedAt: z.iso.datetime(),
  actorType: z.enum(['account', 'system', 'operator']),
  actorId: z.string(),
  /** The account's display name when the actor is an account (null for jobs and the CLI). */
  actorName: z.string().nullable(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  payloadDigest: z.string(),
  hashHex: z.string(),
  /** The entry's hash, fields and link to the previous entry check out. */
  verification: z.enum(['verified', 'broken']),
  /** Covered by a signed checkpoint. */
  checkpointed: z.boolean(),
  payloadErased: z.boolean(),
});
export type OperationLogEntryDto = z.infer<typeof operationLogEntrySchema>;

export const operationLogPageSchema = z.object({
  entries: z.array(operationLogEntrySchema),
  nextBeforeSeq: z.number().int().nullable(),
  /** The chain's size (the newest seq). */
  size: z.number().int(),
});
export type OperationLogPageDto = z.infer<typeof operationLogPageSchema>;

export const operationLogExportQuerySchema = z
  .object({
    fromDate: isoDate.optional(),
    toDate: isoDate.optional(),
    actorId: z.string().trim().min(1).max(200).optional(),
    action: z.string().trim().min(1).max(100).optional(),
    subjectType: z.string().trim().min(1).max(100).optional(),
    subjectId: z.string().trim().min(1).max(200).optional(),
    /** Chosen at export: UTF-8 with BOM (default) or Shift_JIS (CP932) for older Excel. */
    encoding: z.enum(['utf8-bom', 'cp932']).default('utf8-bom'),
  })
  .refine((q) => !q.fromDate || !q.toDate || q.fromDate <= q.toDate, {
    path: ['toDate'],
    message: 'must not be before fromDate',
  });
export type OperationLogExportQuery = z.input<typeof operationLogExportQuerySchema>;

/** What verify can find (see apps/server/src/platform/oplog/verify-log.ts). */
export const logProblemKinds = [
  'gap',
  'fields',
  'link',
  'hash',
  'payload',
  'head',
  'checkpoint_format',
  'checkpoint_unknown_key',
  'checkpoint_bad_signature',
  'checkpoint_truncated',
  'checkpoint_mismatch',
  'record',
] as const;
export type LogProblemKindDto = (typeof logProblemKinds)[number];

export const logProblemSchema = z.object({
  kind: z.enum(logProblemKinds),
  seq: z.number().int(),
  message: z.string(),
  checkpoint: z.object({ source: z.enum(['database', 'file']), size: z.number().int() }).optional(),
  record: z.object({ type: z.string(), id: z.string() }).optional(),
});

/** The result of verifying the tenant's log (std-7.1.4.2, std-10.1.6). */
export const operationLogVerificationSchema = z.object({
  ok: z.boolean(),
  verifiedAt: z.iso.datetime(),
  size: z.number().int(),
  headHash: z.string().nullable(),
  checkpointsChecked: z.number().int(),
  fileCheckpointsChecked: z.number().int(),
  recordsChecked: z.number().int(),
  problems: z.array(logProblemSchema),
  fileProblems: z.array(z.string()),
});
export type OperationLogVerification = z.infer<typeof operationLogVerificationSchema>;

/** Optional checkpoint file kept outside the database (export-checkpoints), pasted or uploaded as text. */
export const operationLogVerifyInputSchema = z.object({
  checkpointsText: z.string().max(5_000_000).optional(),
});

export const checkpointSchema = z.object({
  size: z.number().int(),
  headHash: z.string(),
  keyName: z.string(),
  createdAt: z.iso.datetime(),
  /** The signed note (C2SP signed-note text). */
  note: z.string(),
});
export const checkpointListSchema = z.object({ checkpoints: z.array(checkpointSchema) });

/** A periodic review of the log (std-7.1.6.3): who reviewed which range, when, with what findings. */
export const logReviewSchema = z.object({
  id: z.uuid(),
  reviewedBy: z.uuid(),
  reviewerName: z.string().nullable(),
  periodFrom: isoDate,
  periodTo: isoDate,
  fromSeq: z.number().int(),
  toSeq: z.number().int(),
  result: z.enum(['no_issues', 'findings']),
  findings: z.string(),
  reviewedAt: z.iso.datetime(),
  logSeq: z.number().int(),
});
export type LogReviewDto = z.infer<typeof logReviewSchema>;
export const logReviewListSchema = z.object({
  reviews: z.array(logReviewSchema),
  /** When the next review is due by the setting `log.review.interval` (null: none yet recorded). */
  nextDueDate: isoDate.nullable(),
});

export const logReviewCreateSchema = z.object({
  periodFrom: isoDate,
  periodTo: isoDate,
  fromSeq: z.number().int().min(1),
  toSeq: z.number().int().min(1),
  result: z.enum(['no_issues', 'findings']),
  findings: z.string().max(4000),
});
export type LogReviewCreate = z.infer<typeof logReviewCreateSchema>;
export const logReviewCreatedSchema = z.object({ id: z.uuid(), logSeq: z.number().int() });
