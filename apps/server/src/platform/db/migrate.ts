import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { repoRoot } from '../config.js';

export const migrationsFolder = path.join(repoRoot, 'apps/server/migrations');

/** Any constant key: every Mamori process migrating one database takes the same lock. */
const MIGRATION_LOCK_KEY = 0x6d616d6f; // 'mamo'

export interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

export function readJournal(folder = migrationsFolder): JournalEntry[] {
  const raw = fs.readFileSync(path.join(folder, 'meta/_journal.json'), 'utf8');
  return (JSON.parse(raw) as { entries: JournalEntry[] }).entries;
}

/**
 * Problems that would make drizzle's migrator silently skip a migration: it
 * applies only migrations stamped later than the last applied one, so the
 * journal must be linear (idx 0..n-1, strictly increasing `when`, one SQL
 * file per entry and no SQL file outside the journal).
 */
export function journalProblems(folder = migrationsFolder): string[] {
  const entries = readJournal(folder);
  const problems: string[] = [];
  entries.forEach((e, i) => {
    if (e.idx !== i) problems.push(`entry ${i} has idx ${e.idx}`);
    const prev = entries[i - 1];
    if (prev && e.when <= prev.when) {
      problems.push(`${e.tag} is stamped ${e.when}, not after ${prev.tag} (${prev.when})`);
    }
    if (!fs.existsSync(path.join(folder, `${e.tag}.sql`))) problems.push(`${e.tag}.sql is missing`);
  });
  const tags = new Set(entries.map((e) => e.tag));
  for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.sql'))) {
    if (!tags.has(file.slice(0, -4))) problems.push(`${file} is not in the journal`);
  }
  return problems;
}

/** A hash of every migration file: names the test template database. */
export function migrationsHash(folder = migrationsFolder): string {
  const h = createHash('sha256');
  for (const e of readJournal(folder)) {
    h.update(e.tag);
    h.update(fs.readFileSync(path.join(folder, `${e.tag}.sql`)));
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Applies pending migrations with the owner role, on one client holding a
 * session advisory lock, so concurrent starts never run them twice.
 */
export async function runMigrations(ownerUrl: string): Promise<void> {
  const problems = journalProblems();
  if (problems.length > 0) {
    throw new Error(`The migration journal is not linear:\n  ${problems.join('\n  ')}`);
  }
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'mamori-migrate' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await client.end();
  }
}
