import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inTenant, openDatabase, tenantScope } from '../db/database.js';
import { runMigrations } from '../db/migrate.js';
import { AppError } from '../errors.js';
import { verifyChain } from '../oplog/verify-chain.js';
import { archiveRefused, openArchive } from './archive.js';
import {
  BACKED_UP_KEY_FILES,
  keyPartPath,
  type BackedUpKeyFile,
  type BackupManifest,
} from './manifest.js';
import {
  appliedMigrations,
  compareMigrationLevel,
  knownMigrations,
  MigrationMismatchError,
  migrateTo,
} from './migration-level.js';
import { readTableCatalog, TEXT_FORMAT_SETTINGS } from './table-catalog.js';
import { advanceSequences, countRows, importTable } from './table-data.js';

export interface RestoreBackupOptions {
  /** The owner role's URL of the target database. */
  readonly ownerUrl: string;
  /** The app role's URL: when given, the final verification reads the log as the app does. */
  readonly appUrl?: string;
  /** Where `checkpoints.txt` and `log-signing.pub` go (config.logKeyDir). */
  readonly logKeyDir: string;
  /** The archive written by createBackup. */
  readonly from: string;
  /** Load even though the database already has tenants (any conflicting row aborts it all). */
  readonly allowNonEmpty?: boolean;
}

export type KeyFileOutcome =
  | 'restored' // was absent, written from the archive
  | 'identical' // already there, same bytes
  | 'kept-existing' // already there and different: left alone
  | 'not-in-archive';

export interface RestoredTenant {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly size: number;
  readonly headHash: string | null;
  readonly expected: BackupManifest['tenants'][number]['operationLog'];
  readonly problem: { seq: number; kind: string; message: string } | null;
  /** Size, head and verification result equal the manifest's. */
  readonly matches: boolean;
}

export interface RestoreResult {
  readonly manifest: BackupManifest;
  readonly tables: readonly { name: string; rows: number }[];
  /** The archive's migration level when it was older and the database was migrated forward. */
  readonly migratedForwardFrom: string | null;
  readonly keyFiles: readonly { file: BackedUpKeyFile; outcome: KeyFileOutcome }[];
  readonly tenants: readonly RestoredTenant[];
  /** Every tenant's operation log verifies to the head recorded at backup time. */
  readonly verified: boolean;
}

function asConflict(err: unknown): never {
  if (err instanceof MigrationMismatchError) throw new AppError('conflict', err.message);
  throw err;
}

/**
 * Restores an archive written by createBackup into an empty database
 * (std-7.1.2 backups; std-10.1.6 audit evidence kept safely):
 *
 * 1. unpacks it into a private temporary folder and checks the manifest and
 *    every part (SHA-256, size, row counts) — a damaged archive is refused
 *    before the database is touched;
 * 2. refuses a database that already has a tenant (unless `allowNonEmpty`),
 *    or one migrated past the archive's level, or an archive of a different
 *    or newer migration history;
 * 3. migrates the database to the archive's level, loads every table in
 *    foreign-key order in one transaction (as the owner role, one tenant at a
 *    time under row-level security), then migrates forward to this version;
 * 4. puts `checkpoints.txt` and `log-signing.pub` into the key folder only
 *    where absent (never overwrites);
 * 5. verifies every tenant's operation log and compares it with the
 *    manifest: `verified` is false when any tenant differs.
 */
export async function restoreBackup(options: RestoreBackupOptions): Promise<RestoreResult> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'mamori-restore-'));
  try {
    const archive = await openArchive(path.resolve(options.from), work);
    const manifest = archive.manifest;
    for (const table of manifest.tables) {
      const rows = await countRows(archive.partFile(table.part), table.columns.length).catch(
        (err: unknown) => {
          throw archiveRefused(`part ${table.part} is not valid: ${(err as Error).message}`, {
            part: table.part,
          });
        },
      );
      if (rows !== table.rows) {
        throw archiveRefused(
          `part ${table.part} has ${rows} rows, the manifest says ${table.rows}`,
          { part: table.part },
        );
      }
    }

    const known = await knownMigrations();
    const archiveLevel = manifest.migrations.applied;
    const level = compareMigrationLevel(archiveLevel, known);
    if (level.kind === 'incompatible') throw archiveRefused(level.reason);

    // Read-only checks of the target before anything is written.
    const probe = new pg.Client({
      connectionString: options.ownerUrl,
      application_name: 'mamori-restore',
    });
    await probe.connect();
    try {
      const targetLevel = await appliedMigrations(probe, known).catch(asConflict);
      if (targetLevel.length > archiveLevel.length) {
        throw new AppError(
          'conflict',
          `refusing to restore: the database is already migrated to ${targetLevel.at(-1)?.tag ?? '?'}, past the archive's ${manifest.migrations.last ?? '(none)'}; restore into a new, empty database (see docs/operations.md)`,
        );
      }
      const hasTenants = await probe.query<{ t: string | null }>(
        `SELECT to_regclass('public.tenants')::text AS t`,
      );
      if (hasTenants.rows[0]?.t) {
        const n = await probe.query<{ n: number }>('SELECT count(*)::int AS n FROM public.tenants');
        const count = n.rows[0]?.n ?? 0;
        if (count > 0 && !options.allowNonEmpty) {
          throw new AppError(
            'conflict',
            `refusing to restore: the database already has ${count} tenant(s); restore only into an empty database (or pass --force-nonempty to load alongside them)`,
            { tenants: count },
          );
        }
      }
    } finally {
      await probe.end();
    }

    await migrateTo(options.ownerUrl, known, archiveLevel.length);
    const tables = await loadTables(options.ownerUrl, archive.partFile, manifest);
    if (level.kind === 'older') await runMigrations(options.ownerUrl);

    const keyFiles = await restoreKeyFiles(options.logKeyDir, archive.partFile, manifest);
    const tenants = await verifyTenants(options.appUrl ?? options.ownerUrl, manifest);
    return {
      manifest,
      tables,
      migratedForwardFrom: level.kind === 'older' ? manifest.migrations.last : null,
      keyFiles,
      tenants,
      verified: tenants.every((t) => t.matches),
    };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** Loads every table in one transaction; anything unexpected rolls it all back. */
async function loadTables(
  ownerUrl: string,
  partFile: (p: string) => string,
  manifest: BackupManifest,
): Promise<{ name: string; rows: number }[]> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'mamori-restore' });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const s of TEXT_FORMAT_SETTINGS) await client.query(s);
    // The target's own catalog (same migration level as the archive) gives the
    // load order and the column types; the archive's must match it exactly.
    const catalog = await readTableCatalog(client);
    const archived = new Map(manifest.tables.map((t) => [t.name, t]));
    const names = (list: Iterable<string>) => [...list].sort().join(', ');
    if (names(archived.keys()) !== names(catalog.map((t) => t.name))) {
      throw new AppError(
        'conflict',
        `refusing to restore: the archive's tables (${names(archived.keys())}) differ from the database's at the same migration level (${names(catalog.map((t) => t.name))})`,
      );
    }
    const tenantIds = manifest.tenants.map((t) => t.id);
    const loaded: { name: string; rows: number }[] = [];
    for (const table of catalog) {
      const saved = archived.get(table.name);
      if (!saved) continue;
      const same =
        saved.tenantScoped === table.tenantScoped &&
        JSON.stringify(saved.columns) === JSON.stringify(table.columns);
      if (!same) {
        throw new AppError(
          'conflict',
          `refusing to restore: table ${table.name} in the archive differs from the database's at the same migration level`,
          { archive: saved.columns, database: table.columns },
        );
      }
      const rows = await importTable(client, table, partFile(saved.part));
      if (rows !== saved.rows) {
        throw new Error(`table ${table.name}: inserted ${rows} rows, expected ${saved.rows}`);
      }
      await advanceSequences(client, table, tenantIds);
      loaded.push({ name: table.name, rows });
    }
    await client.query('COMMIT');
    return loaded;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

/** Writes the archive's key-folder files where absent; never replaces one. */
async function restoreKeyFiles(
  logKeyDir: string,
  partFile: (p: string) => string,
  manifest: BackupManifest,
): Promise<{ file: BackedUpKeyFile; outcome: KeyFileOutcome }[]> {
  const listed = new Set(manifest.parts.map((p) => p.path));
  const outcomes: { file: BackedUpKeyFile; outcome: KeyFileOutcome }[] = [];
  for (const file of BACKED_UP_KEY_FILES) {
    const partPath = keyPartPath(file);
    if (!listed.has(partPath)) {
      outcomes.push({ file, outcome: 'not-in-archive' });
      continue;
    }
    const bytes = await fs.readFile(partFile(partPath));
    const target = path.join(logKeyDir, file);
    const existing = await fs.readFile(target).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    });
    if (existing === null) {
      await fs.mkdir(logKeyDir, { recursive: true, mode: 0o700 });
      await fs.writeFile(target, bytes, { mode: 0o644, flag: 'wx' });
      outcomes.push({ file, outcome: 'restored' });
    } else {
      outcomes.push({ file, outcome: existing.equals(bytes) ? 'identical' : 'kept-existing' });
    }
  }
  return outcomes;
}

/** verifyChain for every tenant of the manifest, compared with what it recorded. */
async function verifyTenants(url: string, manifest: BackupManifest): Promise<RestoredTenant[]> {
  const db = openDatabase(url, { max: 1, applicationName: 'mamori-restore' });
  try {
    const out: RestoredTenant[] = [];
    for (const t of manifest.tenants) {
      const chain = await inTenant(db, tenantScope(t.id), (tx) => verifyChain(tx));
      const headHash = chain.headHash ? chain.headHash.toString('hex') : null;
      const expected = t.operationLog;
      const matches =
        chain.size === expected.size &&
        headHash === expected.headHash &&
        (chain.problem?.seq ?? null) === (expected.problem?.seq ?? null) &&
        (chain.problem?.kind ?? null) === (expected.problem?.kind ?? null);
      out.push({
        id: t.id,
        code: t.code,
        name: t.name,
        size: chain.size,
        headHash,
        expected,
        problem: chain.problem,
        matches,
      });
    }
    return out;
  } finally {
    await db.close();
  }
}
