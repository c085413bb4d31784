import { z } from 'zod';
import { textSchema } from './common.js';

/** The pack format this code reads. A breaking format change bumps it. */
export const POLICY_PACK_SCHEMA_VERSION = 1;

/** Semantic version (semver.org 2.0.0), e.g. `1.0.0`, `1.1.0-rc.1`. */
const SEMVER_PATTERN =
  /^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** A pack id: lower-case kebab-case, equal to the pack's folder name. */
export const packIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'not a pack id (lower-case kebab-case)');

/**
 * A file of the pack, relative to the pack folder: forward slashes, no `..`,
 * ending in `.yaml` (e.g. `roles.yaml`, `request-types/carry-out.yaml`).
 */
export const packFilePathSchema = z
  .string()
  .regex(
    /^(?:[a-z0-9][a-z0-9_-]*\/)*[a-z0-9][a-z0-9_-]*\.yaml$/,
    'not a pack file path (relative, lower-case, ending in ".yaml")',
  );

const documentPartSchema = z.strictObject({
  /** The clause-key prefix of the part: `pol` (基本方針) or `std` (対策基準). */
  prefix: z.enum(['pol', 'std']),
  title_ja: textSchema,
  title_en: textSchema,
});

/** Schema of `pack.yaml`, the pack's manifest. */
export const packManifestSchema = z.strictObject({
  schema_version: z.literal(POLICY_PACK_SCHEMA_VERSION),
  id: packIdSchema,
  version: z.string().regex(SEMVER_PATTERN, 'not a semantic version (e.g. "1.0.0")'),
  name_ja: textSchema,
  name_en: textSchema,
  /** True for packs of made-up municipalities that exist only for tests. */
  fictional: z.boolean().default(false),
  description_ja: textSchema.optional(),
  description_en: textSchema.optional(),
  municipality: z.strictObject({
    name_ja: textSchema,
    name_en: textSchema,
    prefecture_ja: textSchema,
    prefecture_en: textSchema,
  }),
  source_document: z.strictObject({
    title_ja: textSchema,
    title_en: textSchema,
    parts: z.array(documentPartSchema).min(1),
    /** The national guideline the policy follows (地方公共団体における情報セキュリティポリシーに関するガイドライン). */
    guideline_ja: textSchema.optional(),
    guideline_en: textSchema.optional(),
    note_en: textSchema.optional(),
  }),
  /** Every file of the pack. The loader reads exactly these (and reports any other YAML file). */
  files: z.strictObject({
    roles: packFilePathSchema,
    classification: packFilePathSchema,
    zones: packFilePathSchema,
    settings: packFilePathSchema,
    clauses: packFilePathSchema,
    /** Organizational unit kinds, employment kinds (対策基準2, pol-4.1). */
    organization: packFilePathSchema,
    /** Reserved for the approval engine's request types (`request-types/*.yaml`). */
    request_types: z.array(packFilePathSchema).default([]),
    /** Reserved for compliance checks (`checks/*.yaml`). */
    checks: z.array(packFilePathSchema).default([]),
  }),
});

/** The parsed `pack.yaml`. */
export type PackManifest = z.infer<typeof packManifestSchema>;

/** The kinds of single file a pack has, keyed as in `pack.yaml` `files:`. */
export type PackFileKind =
  'roles' | 'classification' | 'zones' | 'settings' | 'clauses' | 'organization';

/** The file kinds in the order the loader reads and reports them. */
export const PACK_FILE_KINDS: readonly PackFileKind[] = [
  'roles',
  'classification',
  'zones',
  'settings',
  'clauses',
  'organization',
];

/** The manifest's own file name. */
export const PACK_MANIFEST_FILE = 'pack.yaml';
