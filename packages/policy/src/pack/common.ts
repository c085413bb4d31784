import { z } from 'zod';

/**
 * Building blocks shared by the policy-pack file schemas.
 *
 * Every object schema in a pack is strict: a key the schema does not know is an
 * error, so a typo in a pack (`inherit:` for `inherits:`) fails at load instead
 * of being silently ignored.
 */

/**
 * A clause key of the requirements catalog: `std-` (対策基準) or `pol-` (基本方針),
 * the section numbers, an optional kana letter (ア=a … ク=h) and an optional
 * bullet suffix, e.g. `std-3.2.8b`, `std-7.2.1.3a`, `pol-10`, `std-6.1.1.3b.b01`.
 */
export const CLAUSE_KEY_PATTERN = /^(?:std|pol)-\d+(?:\.\d+)*[a-h]?(?:\.b\d{2})?$/;

/** Schema of a clause key (see {@link CLAUSE_KEY_PATTERN}). */
export const clauseKeySchema = z
  .string()
  .regex(CLAUSE_KEY_PATTERN, 'not a clause key (expected e.g. "std-3.2.8b" or "pol-4.1")');

/** A non-empty list of clause keys without duplicates. */
export const clauseKeyListSchema = z
  .array(clauseKeySchema)
  .min(1, 'cite at least one clause key')
  .refine((keys) => new Set(keys).size === keys.length, 'duplicate clause key');

/** A snake_case identifier (`mail_text_only`, `no_copying`). */
export const snakeIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/, 'not a snake_case identifier');

/** Non-empty display text (Japanese or English). */
export const textSchema = z.string().trim().min(1, 'must not be empty');

/**
 * A level id of a classification axis. Level ids are strings ('1', '3A'), never
 * numbers: YAML reads an unquoted `1` as a number, which this schema rejects with
 * a hint, because levels are compared by the pack's order and never as numbers.
 */
export const levelIdSchema = z
  .string({
    error: (issue) =>
      typeof issue.input === 'number'
        ? `level ids are strings: quote it ('${String(issue.input)}')`
        : undefined,
  })
  .regex(/^[0-9A-Za-z][0-9A-Za-z_-]*$/, 'not a level id (letters, digits, "-" or "_")');
