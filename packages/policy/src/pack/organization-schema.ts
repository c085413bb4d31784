import { z } from 'zod';
import { clauseKeyListSchema, snakeIdSchema, textSchema } from './common.js';

/**
 * The levels of the organization that the policy's roles attach to
 * (対策基準2): `department` (部局, 行政委員会事務局: 情報セキュリティ責任者),
 * `section` (課, 出先機関, 事務局の課: 情報セキュリティ管理者) and `team`
 * (係, 担当: below the section, no role of its own). Ordered highest first.
 */
export const UNIT_LEVELS = ['department', 'section', 'team'] as const;

/** The level a unit kind acts as (see {@link UNIT_LEVELS}). */
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/** Schema of one organizational unit kind of `organization.yaml`. */
export const unitKindSchema = z.strictObject({
  id: snakeIdSchema,
  label_ja: textSchema,
  label_en: textSchema,
  /** The role level units of this kind stand for (出先機関 acts as a 課). */
  acts_as: z.enum(UNIT_LEVELS),
  /** Units of this kind may lie outside the policy's scope (pol-4.1: 学校及び病院を除く). */
  may_be_out_of_scope: z.boolean().default(false),
  /** The kinds a unit of this kind may sit under; empty = a root unit (directly under the tenant). */
  allowed_parents: z.array(snakeIdSchema).default([]),
  clauses: clauseKeyListSchema,
  note_en: textSchema.optional(),
});

/** A unit kind of the pack. */
export type PackUnitKind = z.infer<typeof unitKindSchema>;

/** Schema of an employment kind (職員, 非常勤及び臨時職員, 外部委託事業者の従業員). */
export const employmentKindSchema = z.strictObject({
  id: snakeIdSchema,
  label_ja: textSchema,
  label_en: textSchema,
  clauses: clauseKeyListSchema.optional(),
});

/** An employment kind of the pack. */
export type PackEmploymentKind = z.infer<typeof employmentKindSchema>;

/** Schema of an example position title (部長, 課長 …), shown as suggestions. */
export const positionTitleSchema = z.strictObject({
  id: snakeIdSchema,
  label_ja: textSchema,
  label_en: textSchema,
  /** The unit kind whose head holds this title. */
  head_of: snakeIdSchema.optional(),
});

/** A position title of the pack. */
export type PackPositionTitle = z.infer<typeof positionTitleSchema>;

/** Schema of `organization.yaml`: the kinds of organizational unit and person. */
export const organizationFileSchema = z.strictObject({
  source_ja: textSchema.optional(),
  unit_kinds: z.array(unitKindSchema).min(1),
  employment_kinds: z.array(employmentKindSchema).default([]),
  position_titles: z.array(positionTitleSchema).default([]),
});

/** The parsed `organization.yaml`. */
export type OrganizationFile = z.infer<typeof organizationFileSchema>;
