import { z } from 'zod';
import { clauseKeyListSchema, textSchema } from './common.js';

/**
 * The role identifiers of the glossary (shared/docs/glossary.md; 対策基準2 組織体制).
 * Code refers to roles by these ids, so every pack defines all of them; a pack
 * changes titles, holders and scopes, never the ids.
 */
export const ROLE_IDS = [
  'tenant_admin',
  'ciso',
  'ciso_advisor',
  'chief_security_officer',
  'security_officer',
  'security_manager',
  'system_manager',
  'system_operator',
  'staff',
  'csirt',
  'csirt_lead',
  'security_committee',
  'committee_working_group',
  'poc',
  'audit_lead',
  'auditor',
  'external_service_manager',
] as const;

/** A role id of the glossary. */
export type RoleId = (typeof ROLE_IDS)[number];

/** Schema of a role id. */
export const roleIdSchema = z.enum(ROLE_IDS);

/**
 * The organizational scope a role is held for:
 * - `tenant`: the whole municipality (CISO, 統括情報セキュリティ責任者, CSIRT …)
 * - `department`: a 部局 or 行政委員会事務局 (情報セキュリティ責任者)
 * - `section`: a 課, 出先機関 or 事務局の課 (情報セキュリティ管理者, 職員等)
 * - `system`: one information system (情報システム管理者, 情報システム担当者)
 * - `unit`: any organizational unit, whatever its level
 * - `external_service`: one approved external service (外部サービス管理者)
 */
export const ROLE_SCOPE_KINDS = [
  'tenant',
  'department',
  'section',
  'system',
  'unit',
  'external_service',
] as const;

/** A role's scope kind (see {@link ROLE_SCOPE_KINDS}). */
export type RoleScopeKind = (typeof ROLE_SCOPE_KINDS)[number];

/**
 * How many holders a role has per scope instance: `exactly_one` (one CISO per
 * tenant, one 情報セキュリティ管理者 per section), `at_most_one`, `one_or_more`, `any`.
 */
export const ROLE_CARDINALITIES = ['exactly_one', 'at_most_one', 'one_or_more', 'any'] as const;

/** A role's cardinality (see {@link ROLE_CARDINALITIES}). */
export type RoleCardinality = (typeof ROLE_CARDINALITIES)[number];

/** Who holds a role: a person, an organizational unit (PoC) or a body (委員会). */
export const ROLE_HOLDER_KINDS = ['person', 'unit', 'body'] as const;

/** Schema of one role of `roles.yaml`. */
export const roleSchema = z.strictObject({
  id: roleIdSchema,
  /** The policy's own name of the role (verbatim), e.g. 最高情報セキュリティ責任者. */
  title_ja: textSchema,
  title_en: textSchema,
  /** Short form the policy uses, e.g. CISO, PoC. */
  abbreviation: textSchema.optional(),
  holder_kind: z.enum(ROLE_HOLDER_KINDS),
  /** Default holder by position, e.g. 副市長; absent where the policy names none. */
  holder_ja: textSchema.optional(),
  holder_en: textSchema.optional(),
  /** The policy's sentence that appoints the holder (verbatim). */
  holder_text_ja: textSchema.optional(),
  scope: z.enum(ROLE_SCOPE_KINDS),
  cardinality: z.enum(ROLE_CARDINALITIES),
  /** Privileged roles get shorter sessions and count toward the privileged-holder maximum. */
  privileged: z.boolean(),
  /** Whether the role may be resolved as an approver of a request. */
  may_approve: z.boolean(),
  /** The roles this role reports to (対策基準2, 6.3 reporting lines). */
  reports_to: z.array(roleIdSchema).default([]),
  /** Clauses that define the role or its powers. */
  clauses: clauseKeyListSchema,
  /** False for roles Mamori adds that the policy does not define (tenant_admin). */
  defined_by_policy: z.boolean().default(true),
  note_en: textSchema.optional(),
});

/** A role of the pack. */
export type PackRole = z.infer<typeof roleSchema>;

/** Schema of `roles.yaml`. */
export const rolesFileSchema = z.strictObject({
  source_ja: textSchema.optional(),
  roles: z.array(roleSchema).min(1),
});

/** The parsed `roles.yaml`. */
export type RolesFile = z.infer<typeof rolesFileSchema>;
