import { z } from 'zod';

/**
 * The manifest of a backup archive (std-7.1.2 backups, std-10.1.6 audit
 * evidence kept safely): what the archive holds and how to check it. It sits
 * at `manifest.json`, and `manifest.json.sha256` holds its own SHA-256, so a
 * damaged manifest is caught like any other part.
 */
export const MANIFEST_PATH = 'manifest.json';
export const MANIFEST_DIGEST_PATH = 'manifest.json.sha256';
export const BACKUP_FORMAT = 'mamori-backup';
export const BACKUP_FORMAT_VERSION = 1;

/**
 * The files of the key folder an archive may carry. The signing private key
 * (`log-signing.key`) is never one of them: it stays with its custodian.
 */
export const BACKED_UP_KEY_FILES = ['checkpoints.txt', 'log-signing.pub'] as const;
export type BackedUpKeyFile = (typeof BACKED_UP_KEY_FILES)[number];

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
/** A table name we are willing to turn into a file name and an identifier. */
export const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

const partSchema = z.object({
  /** Path inside the archive (`database/<table>.ndjson`, `keys/<file>`). */
  path: z.string().regex(/^(database\/[a-z_][a-z0-9_]*\.ndjson|keys\/[a-z0-9.-]+)$/),
  bytes: z.number().int().nonnegative(),
  sha256: sha256Hex,
});
export type ManifestPart = z.infer<typeof partSchema>;

const columnSchema = z.object({ name: z.string().min(1), type: z.string().min(1) });
export type ManifestColumn = z.infer<typeof columnSchema>;

const tableSchema = z.object({
  name: z.string().regex(TABLE_NAME),
  part: z.string(),
  rows: z.number().int().nonnegative(),
  /** Row-level security on `tenant_id`: rows are read and written one tenant at a time. */
  tenantScoped: z.boolean(),
  columns: z.array(columnSchema).min(1),
});
export type ManifestTable = z.infer<typeof tableSchema>;

const appliedMigrationSchema = z.object({
  tag: z.string().min(1),
  /** The journal's `when` (drizzle's `created_at`). */
  when: z.number().int(),
  /** SHA-256 of the migration file, as drizzle records it. */
  sha256: sha256Hex,
});
export type AppliedMigration = z.infer<typeof appliedMigrationSchema>;

const chainProblemSchema = z.object({ seq: z.number().int(), kind: z.string() });

const tenantSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  operationLog: z.object({
    size: z.number().int().nonnegative(),
    /** Hex SHA-256 of the last entry, null for an empty chain. */
    headHash: sha256Hex.nullable(),
    /** What verifyChain reported at backup time (null: the chain verified). */
    problem: chainProblemSchema.nullable(),
  }),
});
export type ManifestTenant = z.infer<typeof tenantSchema>;

export const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  createdAt: z.iso.datetime(),
  mamoriVersion: z.string(),
  postgresVersion: z.string(),
  migrations: z.object({
    /** Same algorithm as migrationsHash() over the applied migrations. */
    hash: z.string().regex(/^[0-9a-f]{16}$/),
    last: z.string().nullable(),
    applied: z.array(appliedMigrationSchema),
  }),
  parts: z.array(partSchema),
  /** In load order: a table comes after every table it references. */
  tables: z.array(tableSchema),
  tenants: z.array(tenantSchema),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

/** The archive path of a table's rows. */
export function tablePartPath(table: string): string {
  return `database/${table}.ndjson`;
}

/** The archive path of a key-folder file. */
export function keyPartPath(file: BackedUpKeyFile): string {
  return `keys/${file}`;
}
