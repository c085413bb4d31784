import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { repoRoot } from '../config.js';
import { tenantScope, type TenantTx } from '../db/database.js';
import { AppError } from '../errors.js';
import { verifyChain } from '../oplog/verify-chain.js';
import { digestFile, writeArchive } from './archive.js';
import {
  BACKED_UP_KEY_FILES,
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  keyPartPath,
  MANIFEST_DIGEST_PATH,
  MANIFEST_PATH,
  tablePartPath,
  type BackupManifest,
  type ManifestPart,
  type ManifestTable,
  type ManifestTenant,
} from './manifest.js';
import {
  appliedMigrations,
  knownMigrations,
  MigrationMismatchError,
  migrationSetHash,
} from './migration-level.js';
import { readTableCatalog, TEXT_FORMAT_SETTINGS } from './table-catalog.js';
import { exportTable } from './table-data.js';

export interface CreateBackupOptions {
  /** The owner role's URL (the role that ran the migrations). */
  readonly ownerUrl: string;
  /** The folder of `checkpoints.txt` and `log-signing.pub` (config.logKeyDir). */
  readonly logKeyDir: string;
  /** The archive to write; must not exist yet. */
  readonly out: string;
}

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly manifest: BackupManifest;
}

async function mamoriVersion(): Promise<string> {
  const pkg = JSON.parse(await fs.readFile(path.join(repoRoot, 'package.json'), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? 'unknown';
}

/**
 * Writes one archive of the database and the operation log's public
 * material (std-7.1.2 backups; std-10.1.6 audit evidence kept safely):
 *
 * - every table of the `public` schema, read in one REPEATABLE READ READ ONLY
 *   transaction (one snapshot: rows, heads and the manifest agree), as the
 *   owner role, one tenant at a time for tables under row-level security;
 * - `checkpoints.txt` and `log-signing.pub` from the key folder, read before
 *   the snapshot, so every checkpoint in the file is covered by the rows;
 *   the signing private key is never read;
 * - `manifest.json`: format, Mamori version, the applied migrations, each
 *   part's size and SHA-256, each table's row count, and each tenant's
 *   operation-log size and head as verifyChain computes it.
 */
export async function createBackup(options: CreateBackupOptions): Promise<BackupResult> {
  const out = path.resolve(options.out);
  const stage = await fs.mkdtemp(path.join(path.dirname(out), '.mamori-backup-'));
  try {
    const parts: ManifestPart[] = [];
    await fs.mkdir(path.join(stage, 'keys'));
    for (const name of BACKED_UP_KEY_FILES) {
      const from = path.join(options.logKeyDir, name);
      const bytes = await fs.readFile(from).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      });
      if (bytes === null) continue;
      const partPath = keyPartPath(name);
      await fs.writeFile(path.join(stage, partPath), bytes, { mode: 0o600 });
      parts.push({
        path: partPath,
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
    }

    await fs.mkdir(path.join(stage, 'database'));
    const known = await knownMigrations();
    const client = new pg.Client({
      connectionString: options.ownerUrl,
      application_name: 'mamori-backup',
    });
    await client.connect();
    let snapshot: {
      tables: ManifestTable[];
      tenants: ManifestTenant[];
      applied: Awaited<ReturnType<typeof appliedMigrations>>;
      postgresVersion: string;
    };
    try {
      snapshot = await drizzle(client).transaction(
        async (tx) => {
          for (const s of TEXT_FORMAT_SETTINGS) await client.query(s);
          const applied = await appliedMigrations(client, known).catch((err: unknown) => {
            if (err instanceof MigrationMismatchError) throw new AppError('conflict', err.message);
            throw err;
          });
          const version = await client.query<{ v: string }>(
            `SELECT current_setting('server_version') AS v`,
          );
          const catalog = await readTableCatalog(client);
          const tenantRows = catalog.some((t) => t.name === 'tenants')
            ? (
                await client.query<{ id: string; code: string; name: string }>(
                  'SELECT id::text AS id, code, name FROM public.tenants ORDER BY code, id',
                )
              ).rows
            : [];
          const tenantIds = tenantRows.map((t) => t.id);

          const tables: ManifestTable[] = [];
          for (const table of catalog) {
            const partPath = tablePartPath(table.name);
            const written = await exportTable(client, table, tenantIds, path.join(stage, partPath));
            parts.push({ path: partPath, bytes: written.bytes, sha256: written.sha256 });
            tables.push({
              name: table.name,
              part: partPath,
              rows: written.rows,
              tenantScoped: table.tenantScoped,
              columns: [...table.columns],
            });
          }

          const hasLog = catalog.some((t) => t.name === 'operation_log');
          const tenants: ManifestTenant[] = [];
          for (const t of tenantRows) {
            const scope = tenantScope(t.id);
            await tx.execute(sql`SELECT set_config('app.tenant_id', ${t.id}, true)`);
            // Owner role under FORCE ROW LEVEL SECURITY: app.tenant_id selects the tenant's chain.
            const chain = hasLog
              ? await verifyChain(Object.assign(tx, { scope }) as unknown as TenantTx)
              : { size: 0, headHash: null, problem: null };
            tenants.push({
              id: t.id,
              code: t.code,
              name: t.name,
              operationLog: {
                size: chain.size,
                headHash: chain.headHash ? chain.headHash.toString('hex') : null,
                problem: chain.problem
                  ? { seq: chain.problem.seq, kind: chain.problem.kind }
                  : null,
              },
            });
          }
          return { tables, tenants, applied, postgresVersion: version.rows[0]?.v ?? 'unknown' };
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      );
    } finally {
      await client.end();
    }

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      mamoriVersion: await mamoriVersion(),
      postgresVersion: snapshot.postgresVersion,
      migrations: {
        hash: await migrationSetHash(snapshot.applied),
        last: snapshot.applied.at(-1)?.tag ?? null,
        applied: snapshot.applied,
      },
      parts,
      tables: snapshot.tables,
      tenants: snapshot.tenants,
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
    await fs.writeFile(path.join(stage, MANIFEST_PATH), manifestBytes, { mode: 0o600 });
    await fs.writeFile(
      path.join(stage, MANIFEST_DIGEST_PATH),
      createHash('sha256').update(manifestBytes).digest('hex') + '\n',
      { mode: 0o600 },
    );

    await writeArchive(
      stage,
      [MANIFEST_PATH, MANIFEST_DIGEST_PATH, ...parts.map((p) => p.path)],
      out,
    );
    const archive = await digestFile(out);
    return { file: out, bytes: archive.bytes, sha256: archive.sha256, manifest };
  } finally {
    await fs.rm(stage, { recursive: true, force: true });
  }
}
