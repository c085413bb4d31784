import { z } from 'zod';
import { classificationFileSchema } from './classification-schema.js';
import { clausesFileSchema } from './clauses-schema.js';
import { packFilePathSchema, packManifestSchema } from './manifest-schema.js';
import { organizationFileSchema } from './organization-schema.js';
import { rolesFileSchema } from './roles-schema.js';
import { settingsFileSchema } from './settings-schema.js';
import { zonesFileSchema } from './zones-schema.js';

/**
 * A file of a part of the format that later work defines (request types,
 * checks): read and hashed, its content not yet validated.
 */
export const packExtensionFileSchema = z.strictObject({
  file: packFilePathSchema,
  document: z.unknown(),
});

/** A pack file whose schema is still to come. */
export type PackExtensionFile = z.infer<typeof packExtensionFileSchema>;

/**
 * Schema of a whole policy pack: the manifest and the content of each of its
 * files. The per-file schemas validate each file; {@link validatePolicyPack}
 * then checks what crosses entries and files.
 */
export const policyPackSchema = z.strictObject({
  manifest: packManifestSchema,
  roles: rolesFileSchema,
  classification: classificationFileSchema,
  zones: zonesFileSchema,
  settings: settingsFileSchema,
  clauses: clausesFileSchema,
  organization: organizationFileSchema,
  request_types: z.array(packExtensionFileSchema),
  checks: z.array(packExtensionFileSchema),
});

/** A policy pack: a municipality's 情報セキュリティポリシー as data. */
export type PolicyPack = z.infer<typeof policyPackSchema>;

/** The schema of each single file of a pack, by the file's key in `pack.yaml` `files:`. */
export const packFileSchemas = {
  roles: rolesFileSchema,
  classification: classificationFileSchema,
  zones: zonesFileSchema,
  settings: settingsFileSchema,
  clauses: clausesFileSchema,
  organization: organizationFileSchema,
} as const;
