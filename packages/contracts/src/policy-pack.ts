import { z } from 'zod';

/**
 * The vocabulary of the tenant's policy pack (issue 5): role titles, unit kinds, employment
 * kinds, position titles and zones, as the pack names them (roles.yaml, organization.yaml,
 * zones.yaml). The UI labels the glossary's ids with these, so nothing in the client assumes one
 * municipality's terms. The enums mirror packages/policy's pack schemas; the server's reply is
 * type-checked against them.
 */

const roleSchema = z.object({
  /** A role id of the glossary (e.g. `security_manager`). */
  id: z.string(),
  /** The policy's own title, e.g. 情報セキュリティ管理者. */
  titleJa: z.string(),
  titleEn: z.string(),
  /** Short form the policy uses (CISO, PoC). */
  abbreviation: z.string().optional(),
  scope: z.enum(['tenant', 'department', 'section', 'system', 'unit', 'external_service']),
  cardinality: z.enum(['exactly_one', 'at_most_one', 'one_or_more', 'any']),
  privileged: z.boolean(),
  holderKind: z.enum(['person', 'unit', 'body']),
});

const unitKindSchema = z.object({
  id: z.string(),
  labelJa: z.string(),
  labelEn: z.string(),
  /** The role level units of this kind stand for. */
  actsAs: z.enum(['department', 'section', 'team']),
  /** pol-4.1: units of this kind may lie outside the policy's scope (学校, 病院). */
  mayBeOutOfScope: z.boolean(),
});

const labelledSchema = z.object({ id: z.string(), labelJa: z.string(), labelEn: z.string() });

/** `GET /api/policy-pack/vocabulary`: the terms of the tenant's policy pack, in the pack's order. */
export const packVocabularySchema = z.object({
  pack: z.object({
    id: z.string(),
    version: z.string(),
    nameJa: z.string(),
    nameEn: z.string(),
  }),
  roles: z.array(roleSchema),
  unitKinds: z.array(unitKindSchema),
  employmentKinds: z.array(labelledSchema),
  /** Example position titles (部長, 課長 …); `headOf` is the unit kind whose head holds it. */
  positionTitles: z.array(labelledSchema.extend({ headOf: z.string().optional() })),
  /** The zones (マイナンバー利用事務系 …); the pack calls the label `name_ja` / `name_en`. */
  zones: z.array(labelledSchema),
});
export type PackVocabulary = z.infer<typeof packVocabularySchema>;
export type PackVocabularyRole = PackVocabulary['roles'][number];
export type PackVocabularyUnitKind = PackVocabulary['unitKinds'][number];
