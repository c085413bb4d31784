import { z } from 'zod';
import {
  clauseKeyListSchema,
  clauseKeySchema,
  levelIdSchema,
  snakeIdSchema,
  textSchema,
} from './common.js';

/** The three classification axes of 別表1, in display order. */
export const AXIS_IDS = ['confidentiality', 'integrity', 'availability'] as const;

/** A classification axis id. */
export type AxisId = (typeof AXIS_IDS)[number];

/** Schema of one 取扱制限 (handling restriction) of a level. */
export const handlingRestrictionSchema = z.strictObject({
  /** Stable id; the same obligation on two axes carries the same id and text. */
  id: snakeIdSchema,
  text_ja: textSchema,
  text_en: textSchema,
  /** The clause the restriction comes from (別表1 is cited through std-3.1). */
  clause: clauseKeySchema,
  /** Clauses that spell the restriction out (e.g. std-3.2.7 for encryption). */
  related_clauses: clauseKeyListSchema.optional(),
});

/** A handling restriction (取扱制限). */
export type HandlingRestriction = z.infer<typeof handlingRestrictionSchema>;

/** Schema of one level of an axis. */
export const classificationLevelSchema = z.strictObject({
  id: levelIdSchema,
  label_ja: textSchema,
  label_en: textSchema,
  criteria_ja: textSchema,
  criteria_en: textSchema,
  /**
   * A lower level whose restrictions also apply to this one: the effective
   * restrictions are this level's own followed by those of the inherited level.
   */
  inherits: levelIdSchema.optional(),
  restrictions: z.array(handlingRestrictionSchema),
  note_en: textSchema.optional(),
});

/** A level of a classification axis. */
export type ClassificationLevel = z.infer<typeof classificationLevelSchema>;

/** Schema of one axis: its levels are ordered lowest → highest. */
export const classificationAxisSchema = z.strictObject({
  name_ja: textSchema,
  name_en: textSchema,
  definition_ja: textSchema,
  definition_en: textSchema,
  /** Where the policy defines the axis, e.g. 方針2(5). */
  source_ja: textSchema,
  /** The clause that classifies assets on this axis. */
  clause: clauseKeySchema,
  /** Ordered lowest → highest. Compare levels by this order, never as numbers. */
  levels: z.array(classificationLevelSchema).min(1),
  note_en: textSchema.optional(),
});

/** A classification axis. */
export type ClassificationAxis = z.infer<typeof classificationAxisSchema>;

/** Schema of `classification.yaml`. */
export const classificationFileSchema = z.strictObject({
  source_ja: textSchema.optional(),
  /** The axes in display order. */
  axes: z.strictObject({
    confidentiality: classificationAxisSchema,
    integrity: classificationAxisSchema,
    availability: classificationAxisSchema,
  }),
});

/** The parsed `classification.yaml`. */
export type ClassificationFile = z.infer<typeof classificationFileSchema>;

/** An asset's classification: one level id per axis. */
export type Classification = Readonly<Record<AxisId, string>>;
