import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { journalProblems, readJournal } from './migrate.js';
import { appRoleProblems } from './role-check.js';

let db: TestDatabase;
let owner: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase();
  owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
});
afterAll(async () => {
  await owner.end();
  await db.drop();
});

describe('schema catalog', () => {
  it('every table with tenant_id has ENABLE + FORCE RLS and a policy with USING and WITH CHECK', async () => {
    const r = await owner.query<{
      table: string;
      enabled: boolean;
      forced: boolean;
      policies: number;
    }>(`
      SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
             (SELECT count(*)::int FROM pg_policy p
               WHERE p.polrelid = c.oid AND p.polqual IS NOT NULL AND p.polwithcheck IS NOT NULL
                 AND pg_get_expr(p.polqual, p.polrelid) LIKE '%app.tenant_id%'
                 AND pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%app.tenant_id%') AS policies
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public'
         AND EXISTS (SELECT 1 FROM pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
       ORDER BY 1`);
    expect(r.rows.length).toBeGreaterThanOrEqual(3);
    const bad = r.rows.filter((t) => !t.enabled || !t.forced || t.policies < 1).map((t) => t.table);
    expect(bad).toEqual([]);
  });

  it('tenant-owned tables have primary and unique keys that start with tenant_id', async () => {
    const r = await owner.query<{ table: string; con: string; first: string }>(`
      SELECT c.relname AS table, k.conname AS con, a.attname AS first
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.conkey[1]
       WHERE n.nspname = 'public' AND k.contype IN ('p', 'u')
         AND EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'tenant_id')`);
    expect(r.rows.length).toBeGreaterThan(0);
    expect(r.rows.filter((x) => x.first !== 'tenant_id')).toEqual([]);
  });

  it('foreign keys between tenant-owned tables are composite on tenant_id', async () => {
    const r = await owner.query<{ con: string; cols: string[]; target: string }>(`
      SELECT k.conname AS con, t.relname AS target,
             ARRAY(SELECT a.attname::text FROM unnest(k.conkey) u(n)
                     JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n) AS cols
        FROM pg_constraint k JOIN pg_class t ON t.oid = k.confrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE k.contype = 'f' AND n.nspname = 'public' AND t.relname <> 'tenants'`);
    expect(r.rows.length).toBeGreaterThan(0);
    expect(r.rows.filter((x) => x.cols[0] !== 'tenant_id' || x.cols.length < 2)).toEqual([]);
  });

  it('the app role is no superuser, has no BYPASSRLS and owns nothing', async () => {
    expect(await appRoleProblems(db.app.pool)).toEqual([]);
  });

  it('the role check refuses an owner role', async () => {
    const ownerDb = new pg.Pool({ connectionString: db.ownerUrl, max: 1 });
    try {
      const problems = await appRoleProblems(ownerDb);
      expect(problems.some((p) => p.includes('owns relation'))).toBe(true);
    } finally {
      await ownerDb.end();
    }
  });
});

describe('migration journal', () => {
  it('is linear: contiguous idx, strictly increasing timestamps, one file per entry', () => {
    expect(readJournal().length).toBeGreaterThanOrEqual(2);
    expect(journalProblems()).toEqual([]);
  });
});
