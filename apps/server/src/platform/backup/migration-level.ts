import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { migrationsFolder, readJournal, type JournalEntry } from '../db/migrate.js';
import type { AppliedMigration } from './manifest.js';

/** The same key as runMigrations: a restore never migrates beside a starting server. */
const MIGRATION_LOCK_KEY = 0x6d616d6f;

/** A journal entry with the SHA-256 of its file (what drizzle records as `hash`). */
export interface KnownMigration extends AppliedMigration {
  readonly entry: JournalEntry;
}

/** This Mamori's migrations, in order, with their file hashes. */
export async function knownMigrations(folder = migrationsFolder): Promise<KnownMigration[]> {
  return Promise.all(
    readJournal(folder).map(async (entry) => {
      const text = await fs.readFile(path.join(folder, `${entry.tag}.sql`), 'utf8');
      const sha256 = createHash('sha256').update(text).digest('hex');
      return { entry, tag: entry.tag, when: entry.when, sha256 };
    }),
  );
}

/** migrationsHash()'s algorithm over a list of migrations (equal to it once all are applied). */
export async function migrationSetHash(
  applied: readonly AppliedMigration[],
  folder = migrationsFolder,
): Promise<string> {
  const h = createHash('sha256');
  for (const m of applied) {
    h.update(m.tag);
    h.update(await fs.readFile(path.join(folder, `${m.tag}.sql`)));
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * The migrations a database has applied, matched to this Mamori's journal.
 * drizzle records each as (sha256 of the file, the journal's `when`); the
 * applied ones must be the journal's first n entries, file for file, or the
 * database and this Mamori disagree on the schema and we say so.
 */
export async function appliedMigrations(
  client: pg.ClientBase,
  known: readonly KnownMigration[],
): Promise<AppliedMigration[]> {
  const exists = await client.query<{ t: string | null }>(
    `SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t`,
  );
  if (!exists.rows[0]?.t) return [];
  const rows = await client.query<{ hash: string; created_at: string }>(
    `SELECT hash, created_at::text AS created_at FROM drizzle.__drizzle_migrations ORDER BY created_at, id`,
  );
  return rows.rows.map((row, i) => {
    const expected = known[i];
    if (!expected || String(expected.when) !== row.created_at) {
      throw new MigrationMismatchError(
        `the database has a migration (stamped ${row.created_at}) that this version of Mamori does not have at position ${i + 1}: use the Mamori version that migrated it`,
      );
    }
    if (expected.sha256 !== row.hash) {
      throw new MigrationMismatchError(
        `migration ${expected.tag} in the database differs from this version's file (sha256 ${row.hash} vs ${expected.sha256})`,
      );
    }
    return { tag: expected.tag, when: expected.when, sha256: expected.sha256 };
  });
}

export class MigrationMismatchError extends Error {
  override readonly name = 'MigrationMismatchError';
}

/**
 * How an archive's migration level relates to this Mamori's journal:
 * `same` (load and go), `older` (a prefix: migrate to its level, load, then
 * migrate forward), or a reason it cannot be restored by this version.
 */
export function compareMigrationLevel(
  archive: readonly AppliedMigration[],
  known: readonly KnownMigration[],
): { kind: 'same' | 'older' } | { kind: 'incompatible'; reason: string } {
  for (const [i, m] of archive.entries()) {
    const k = known[i];
    if (!k) {
      return {
        kind: 'incompatible',
        reason: `the archive was made at migration ${m.tag}, which this version of Mamori does not have (the archive is newer): restore it with the Mamori version that made it`,
      };
    }
    if (k.tag !== m.tag || k.when !== m.when || k.sha256 !== m.sha256) {
      return {
        kind: 'incompatible',
        reason: `the archive's migration ${i + 1} is ${m.tag} (sha256 ${m.sha256.slice(0, 12)}…) but this version has ${k.tag} (sha256 ${k.sha256.slice(0, 12)}…): a different migration history`,
      };
    }
  }
  return { kind: archive.length === known.length ? 'same' : 'older' };
}

/**
 * Applies this Mamori's migrations up to and including the first `count`
 * (drizzle's migrator reads a whole folder, so it is given a copy of the
 * journal cut at `count`). With `count` = all, this is runMigrations.
 */
export async function migrateTo(
  ownerUrl: string,
  known: readonly KnownMigration[],
  count: number,
): Promise<void> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'mamori-migrations-'));
  try {
    await fs.mkdir(path.join(folder, 'meta'));
    const entries = known.slice(0, count).map((k) => k.entry);
    const journal = JSON.parse(
      await fs.readFile(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8'),
    ) as Record<string, unknown>;
    await fs.writeFile(
      path.join(folder, 'meta/_journal.json'),
      JSON.stringify({ ...journal, entries }),
    );
    for (const e of entries) {
      await fs.copyFile(
        path.join(migrationsFolder, `${e.tag}.sql`),
        path.join(folder, `${e.tag}.sql`),
      );
    }
    const client = new pg.Client({
      connectionString: ownerUrl,
      application_name: 'mamori-restore',
    });
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await migrate(drizzle(client), { migrationsFolder: folder });
    } finally {
      await client
        .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
        .catch(() => undefined);
      await client.end();
    }
  } finally {
    await fs.rm(folder, { recursive: true, force: true });
  }
}
