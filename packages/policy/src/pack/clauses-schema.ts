import { z } from 'zod';
import { clauseKeySchema, textSchema } from './common.js';

/** Schema of one clause of `clauses.yaml`. */
export const clauseSchema = z.strictObject({
  key: clauseKeySchema,
  /** The policy's own numbering, e.g. 基準3(2)⑧(イ). Shown as 根拠 in the UI. */
  id_ja: textSchema,
  /** Short heading of the clause (the requirements catalog's title). */
  heading_ja: textSchema,
  /** The clause text, verbatim. */
  text_ja: textSchema.optional(),
});

/** A clause of the pack. */
export type PackClause = z.infer<typeof clauseSchema>;

/**
 * Schema of `clauses.yaml`: the clauses the pack cites. Every clause key used
 * anywhere in the pack must be listed here.
 */
export const clausesFileSchema = z.strictObject({
  source_ja: textSchema.optional(),
  source_en: textSchema.optional(),
  clauses: z.array(clauseSchema).min(1),
});

/** The parsed `clauses.yaml`. */
export type ClausesFile = z.infer<typeof clausesFileSchema>;
