import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { expectPgError } from '../../../test/expect-pg.js';
import { createAccount, createTenant, type TestTenant } from '../../../test/factories.js';
import { accountRoles, accounts } from '../auth/accounts.tables.js';
import { inSystem, inTenant, tenantScope } from './database.js';
import { PG } from './pg-error.js';

let db: TestDatabase;
let a: TestTenant;
let b: TestTenant;
let bAccountId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  a = await createTenant(db.ownerUrl, { name: 'テスト市A' });
  b = await createTenant(db.ownerUrl, { name: 'テスト市B' });
  await createAccount(db.ownerUrl, a.id, { loginName: 'a-admin' });
  bAccountId = (await createAccount(db.ownerUrl, b.id, { loginName: 'b-admin' })).id;
});
afterAll(async () => {
  await db.drop();
});

describe('row-level security between tenants', () => {
  it('a query that forgets its tenant filter sees only its own tenant', async () => {
    const rows = await inTenant(db.app, tenantScope(a.id), (tx) => tx.select().from(accounts));
    expect(rows.map((r) => r.loginName)).toEqual(['a-admin']);
    const raw = await inTenant(db.app, tenantScope(a.id), (tx) =>
      tx.execute(sql`SELECT count(*)::int AS n FROM accounts WHERE tenant_id = ${b.id}`),
    );
    expect(raw.rows[0]).toEqual({ n: 0 });
  });

  it("inserting a row with B's tenant id under A's context fails", async () => {
    await expectPgError(
      inTenant(db.app, tenantScope(a.id), (tx) =>
        tx.insert(accounts).values({
          tenantId: b.id,
          loginName: 'intruder',
          displayName: '侵入者',
          passwordHash: 'x',
        }),
      ),
      PG.insufficientPrivilege,
      /row-level security/,
    );
  });

  it('cannot move a row into B by updating its tenant id', async () => {
    await expectPgError(
      inTenant(db.app, tenantScope(a.id), (tx) =>
        tx.update(accounts).set({ tenantId: b.id }).where(eq(accounts.loginName, 'a-admin')),
      ),
      PG.insufficientPrivilege,
      /row-level security/,
    );
  });

  it('no tenant context → 0 rows, and no writes', async () => {
    const rows = await inSystem(db.app, (tx) => tx.select().from(accounts));
    expect(rows).toHaveLength(0);
    const bare = await db.app.pool.query('SELECT count(*)::int AS n FROM accounts');
    expect(bare.rows[0]).toEqual({ n: 0 });
    await expectPgError(
      db.app.pool.query(
        `INSERT INTO accounts (tenant_id, login_name, display_name, password_hash) VALUES ($1, 'x', 'x', 'x')`,
        [a.id],
      ),
      PG.insufficientPrivilege,
      /row-level security/,
    );
  });

  it('a composite foreign key cannot point into another tenant', async () => {
    // A's context, A's tenant id, but B's account id: (A, B-account) does not exist.
    await expectPgError(
      inTenant(db.app, tenantScope(a.id), (tx) =>
        tx
          .insert(accountRoles)
          .values({ tenantId: a.id, accountId: bAccountId, role: 'tenant_admin' }),
      ),
      PG.foreignKeyViolation,
    );
  });

  it('the tenant setting does not outlive its transaction', async () => {
    const client = await db.app.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [a.id]);
      await client.query('COMMIT');
      const r = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
      expect(r.rows[0]?.n).toBe(0);
    } finally {
      client.release();
    }
  });
});

describe('pool reuse', () => {
  it('1000 interleaved transactions across 5 tenants, some throwing, never see another tenant', async () => {
    const tenants = [a, b];
    for (let i = 0; i < 3; i++) tenants.push(await createTenant(db.ownerUrl));
    for (const t of tenants.slice(2))
      await createAccount(db.ownerUrl, t.id, { loginName: `u-${t.code}` });
    let failures = 0;
    let thrown = 0;
    const work = Array.from({ length: 1000 }, async (_, i) => {
      const t = tenants[i % tenants.length];
      if (!t) throw new Error('no tenant');
      try {
        await inTenant(db.app, tenantScope(t.id), async (tx) => {
          const rows = await tx.execute<{ tenant_id: string }>(sql`SELECT tenant_id FROM accounts`);
          if (rows.rows.length === 0 || rows.rows.some((r) => r.tenant_id !== t.id)) failures++;
          if (i % 7 === 0) throw new Error('boom');
          if (i % 11 === 0) await tx.execute(sql`SELECT 1/0`);
        });
      } catch {
        thrown++;
      }
    });
    await Promise.all(work);
    expect(failures).toBe(0);
    expect(thrown).toBeGreaterThan(100);
    // After all that, a connection without a transaction setting still sees nothing.
    const bare = await db.app.pool.query('SELECT count(*)::int AS n FROM accounts');
    expect(bare.rows[0]).toEqual({ n: 0 });
  });
});
