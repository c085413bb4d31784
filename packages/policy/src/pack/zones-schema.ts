import { z } from 'zod';
import { clauseKeyListSchema, clauseKeySchema, snakeIdSchema, textSchema } from './common.js';

/**
 * The zones of the glossary (情報システム全体の強靭性の向上, 対策基準4): the three
 * networked zones of the policy plus `offline` (paper, standalone PCs).
 */
export const ZONE_IDS = ['mynumber', 'lgwan', 'internet', 'offline'] as const;

/** A zone id. */
export type ZoneId = (typeof ZONE_IDS)[number];

/** Schema of a zone id. */
export const zoneIdSchema = z.enum(ZONE_IDS);

/**
 * How communication between two zones is treated:
 * - `forbidden`: no communication (std-4.1.1)
 * - `sanitized_only`: only through 無害化通信 (std-4.2.1)
 * - `allowed_if_necessary`: only the communications that are needed (std-4.2.1)
 */
export const ZONE_FLOW_RULES = ['forbidden', 'sanitized_only', 'allowed_if_necessary'] as const;

/** A zone flow rule (see {@link ZONE_FLOW_RULES}). */
export type ZoneFlowRule = (typeof ZONE_FLOW_RULES)[number];

/** Schema of one zone. */
export const zoneSchema = z.strictObject({
  id: zoneIdSchema,
  name_ja: textSchema,
  name_en: textSchema,
  definition_ja: textSchema.optional(),
  definition_en: textSchema,
  /** The policy's measure for the zone (方針6(3)), verbatim. */
  policy_measure_ja: textSchema.optional(),
  /** Where the policy defines the zone, e.g. 方針2(8). */
  source_ja: textSchema.optional(),
  networked: z.boolean(),
  /** False for `offline`, which Mamori adds. */
  defined_by_policy: z.boolean().default(true),
  clauses: clauseKeyListSchema,
});

/** A zone of the pack. */
export type PackZone = z.infer<typeof zoneSchema>;

/** Schema of a rule for communication from one zone to another. */
export const zoneFlowSchema = z.strictObject({
  from: zoneIdSchema,
  to: zoneIdSchema,
  rule: z.enum(ZONE_FLOW_RULES),
  clause: clauseKeySchema,
  text_ja: textSchema.optional(),
  note_en: textSchema.optional(),
});

/** A zone flow rule of the pack. */
export type ZoneFlow = z.infer<typeof zoneFlowSchema>;

/** Schema of a 無害化通信 method (基準4(2)①(ア)-(ウ)). */
export const sanitizationMethodSchema = z.strictObject({
  id: snakeIdSchema,
  text_ja: textSchema,
  text_en: textSchema,
  clause: clauseKeySchema,
});

/** Schema of `zones.yaml`. */
export const zonesFileSchema = z.strictObject({
  source_ja: textSchema.optional(),
  zones: z.array(zoneSchema).min(1),
  flows: z.array(zoneFlowSchema),
  /** The rule for a pair of different zones that `flows` does not list. */
  unlisted_flow_rule: z.enum(ZONE_FLOW_RULES),
  sanitization_methods: z.array(sanitizationMethodSchema),
});

/** The parsed `zones.yaml`. */
export type ZonesFile = z.infer<typeof zonesFileSchema>;
