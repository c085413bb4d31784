import { z } from 'zod';
import { employmentSchema } from './organization.js';
import { optionalText, requiredText } from './text.js';

/**
 * Changes to the organization over time (issue 4): personnel events (異動,
 * 退職, 休職, 復職, 採用), 組織改正 (reorganizations) and the HR import and
 * export of people and units.
 */

const isoDate = z.iso.date();

// ---- Personnel events -------------------------------------------------------------------

/** hire 採用 | transfer 異動 | leave 退職 | leave_of_absence 休職 | return 復職. */
export const personnelEventKinds = [
  'hire',
  'transfer',
  'leave',
  'leave_of_absence',
  'return',
] as const;
export const personnelEventKindSchema = z.enum(personnelEventKinds);
export type PersonnelEventKind = z.infer<typeof personnelEventKindSchema>;

export const personnelEventStatusSchema = z.enum(['scheduled', 'applied', 'cancelled']);
export type PersonnelEventStatus = z.infer<typeof personnelEventStatusSchema>;

/**
 * A personnel event to record. `effectiveDate` is the first day the new state
 * holds (異動日, 発令日; for 退職 the day after the last day of service): a date
 * today or earlier applies at once, a later one is `scheduled` and applied by
 * the daily job on that date.
 */
export const createPersonnelEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('transfer'),
    personId: z.uuid(),
    effectiveDate: isoDate,
    toUnitId: z.uuid(),
    positionTitle: optionalText(50),
    reason: optionalText(500),
  }),
  z.object({
    kind: z.literal('leave'),
    personId: z.uuid(),
    effectiveDate: isoDate,
    reason: optionalText(500),
  }),
  z.object({
    kind: z.literal('leave_of_absence'),
    personId: z.uuid(),
    effectiveDate: isoDate,
    /** Expected return date (informative; 復職 is its own event). */
    expectedReturn: isoDate.optional(),
    reason: optionalText(500),
  }),
  z.object({
    kind: z.literal('return'),
    personId: z.uuid(),
    effectiveDate: isoDate,
    reason: optionalText(500),
  }),
  z.object({
    kind: z.literal('hire'),
    effectiveDate: isoDate,
    employeeNumber: optionalText(20),
    familyName: requiredText(50),
    givenName: requiredText(50),
    familyNameKana: requiredText(50),
    givenNameKana: requiredText(50),
    email: z.email().optional(),
    employment: employmentSchema,
    /** Required for contractor staff (委託事業者の従業員). */
    contractorId: z.uuid().optional(),
    unitId: z.uuid(),
    positionTitle: optionalText(50),
    reason: optionalText(500),
  }),
]);
export type CreatePersonnelEventInput = z.input<typeof createPersonnelEventSchema>;
export type CreatePersonnelEvent = z.output<typeof createPersonnelEventSchema>;

/** A recorded personnel event. */
export const personnelEventSchema = z.object({
  id: z.uuid(),
  personId: z.uuid(),
  kind: personnelEventKindSchema,
  effectiveDate: isoDate,
  status: personnelEventStatusSchema,
  details: z.record(z.string(), z.unknown()),
  importDigest: z.string().nullable(),
  appliedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type PersonnelEvent = z.infer<typeof personnelEventSchema>;

export const personnelEventListSchema = z.object({ events: z.array(personnelEventSchema) });

// ---- Reorganizations (組織改正) -------------------------------------------------------------

export const reorganizationStatusSchema = z.enum(['draft', 'applied', 'cancelled']);

/** A unit a 組織改正 creates: the client picks its id (a UUID) so later operations can name it. */
export const newReorgUnitSchema = z.object({
  id: z.uuid(),
  /** A unit kind id of the pack's organization.yaml. */
  kind: z.string().min(1).max(64),
  name: requiredText(100),
  nameKana: optionalText(100),
  code: optionalText(20),
  parentId: z.uuid().nullable(),
  outOfScope: z.boolean().optional(),
});

/**
 * One step of a 組織改正, applied in order (the pure `ReorgOperation` of
 * packages/policy): rename, move, merge (people, systems and roles re-homed
 * to the target), split (with member lists), create, abolish (an empty unit).
 */
export const reorgOperationSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('rename'), unitId: z.uuid(), name: requiredText(100) }),
  z.object({ op: z.literal('move'), unitId: z.uuid(), parentId: z.uuid().nullable() }),
  z.object({
    op: z.literal('merge'),
    unitIds: z.array(z.uuid()).min(1).max(50),
    targetUnitId: z.uuid(),
  }),
  z.object({
    op: z.literal('split'),
    unitId: z.uuid(),
    parts: z
      .array(
        z.object({
          unit: newReorgUnitSchema,
          personIds: z.array(z.uuid()).max(1000),
          systemIds: z.array(z.uuid()).max(200).optional(),
        }),
      )
      .min(2)
      .max(20),
  }),
  z.object({ op: z.literal('create'), unit: newReorgUnitSchema }),
  z.object({ op: z.literal('abolish'), unitId: z.uuid() }),
]);
export type ReorgOperationInput = z.input<typeof reorgOperationSchema>;

export const createReorganizationSchema = z.object({
  title: requiredText(200),
  effectiveDate: isoDate,
  operations: z.array(reorgOperationSchema).min(1).max(500),
});
export type CreateReorganizationInput = z.input<typeof createReorganizationSchema>;

export const reorganizationSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  effectiveDate: isoDate,
  status: reorganizationStatusSchema,
  operations: z.array(reorgOperationSchema),
  appliedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Reorganization = z.infer<typeof reorganizationSchema>;

export const reorganizationListSchema = z.object({ items: z.array(reorganizationSchema) });

/** The preview of a plan: the resulting tree, who and what moves, which roles end or re-home, problems. */
export const reorganizationPreviewSchema = z.object({
  reorganization: reorganizationSchema,
  units: z.array(
    z.object({
      id: z.uuid(),
      kind: z.string(),
      name: z.string(),
      parentId: z.uuid().nullable(),
      outOfScope: z.boolean(),
    }),
  ),
  changes: z.array(z.record(z.string(), z.unknown())),
  problems: z.array(
    z.object({
      code: z.string(),
      opIndex: z.number().int().nullable(),
      message: z.string(),
      unitId: z.string().optional(),
      personId: z.string().optional(),
      systemId: z.string().optional(),
    }),
  ),
  canApply: z.boolean(),
});
export type ReorganizationPreview = z.infer<typeof reorganizationPreviewSchema>;

// ---- HR import / export ---------------------------------------------------------------------

/** What an import file holds: people (職員) or units (所属). */
export const orgImportKindSchema = z.enum(['people', 'units']);
export type OrgImportKind = z.infer<typeof orgImportKindSchema>;

/** What a row of an HR import does. */
export const orgImportActionSchema = z.enum([
  'create',
  'update',
  'transfer',
  'leave',
  'unchanged',
  'error',
]);
export type OrgImportAction = z.infer<typeof orgImportActionSchema>;

export const tabularIssueSchema = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  columnLetter: z.string().nullable(),
  key: z.string().nullable(),
  code: z.string(),
  message_ja: z.string(),
  message_en: z.string(),
});

export const orgImportRowSchema = z.object({
  rowNumber: z.number().int(),
  action: orgImportActionSchema,
  /** The 職員番号 or 所属コード the row is about. */
  subject: z.string().nullable(),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  errors: z.array(tabularIssueSchema),
});

/** The dry run of an uploaded file: every row's change and every error by row and column. */
export const orgImportPreviewSchema = z.object({
  id: z.uuid(),
  kind: orgImportKindSchema,
  fileName: z.string().nullable(),
  fileSha256: z.string(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.enum(['utf8', 'utf8-bom', 'cp932']).nullable(),
  planDigest: z.string(),
  rows: z.array(orgImportRowSchema),
  fileErrors: z.array(tabularIssueSchema),
  warnings: z.array(tabularIssueSchema),
  summary: z.object({
    total: z.number().int(),
    create: z.number().int(),
    update: z.number().int(),
    transfer: z.number().int(),
    leave: z.number().int(),
    unchanged: z.number().int(),
    error: z.number().int(),
    errorCount: z.number().int(),
    valid: z.boolean(),
  }),
});
export type OrgImportPreview = z.infer<typeof orgImportPreviewSchema>;

export const orgImportApplySchema = z.object({
  /** The preview the user confirmed: applying refuses a stale preview (409). */
  planDigest: z.string().min(1),
});

/** Where an import stands; the import wizard polls it while a large file is applied. */
export const orgImportStatusSchema = z.object({
  id: z.uuid(),
  kind: orgImportKindSchema,
  state: z.enum(['previewed', 'applying', 'applied', 'failed']),
  processed: z.number().int(),
  total: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  result: z
    .object({
      created: z.number().int(),
      updated: z.number().int(),
      transferred: z.number().int(),
      left: z.number().int(),
      scheduled: z.number().int(),
      logSeq: z.number().int(),
    })
    .nullable(),
});
export type OrgImportStatus = z.infer<typeof orgImportStatusSchema>;

/** Export of people or units: CSV (UTF-8 with BOM, or Shift_JIS/CP932) or xlsx. */
export const orgExportQuerySchema = z.object({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  encoding: z.enum(['utf8-bom', 'cp932']).default('utf8-bom'),
  asOf: isoDate.optional(),
});
