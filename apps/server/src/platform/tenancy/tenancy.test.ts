import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createTenant, type TestTenant } from '../../../test/factories.js';
import { verifyPassword } from '../auth/passwords.js';
import { loadConfig, repoRoot } from '../config.js';
import { inSystem, inTenant, openDatabase, tenantScope, type Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { accounts, accountRoles } from '../auth/accounts.tables.js';
import { createTenantWithAdmin } from './create-tenant.js';
import { resolveTenant, splitTenantPrefix } from './resolve-tenant.js';
import { insertTenant } from './tenancy.repository.js';

let db: TestDatabase;
let owner: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  owner = openDatabase(db.ownerUrl, { max: 2 });
});
afterAll(async () => {
  await owner.close();
  await db.drop();
});

const pack = { id: 'hokuto', version: '1.0.0', hash: 'a'.repeat(64) };

describe('createTenantWithAdmin (npm run cli -- init)', () => {
  let created: Awaited<ReturnType<typeof createTenantWithAdmin>>;

  it('creates the tenant and a tenant_admin with a hashed temporary password', async () => {
    const before = Date.now();
    created = await createTenantWithAdmin(
      owner,
      {
        code: '192091',
        name: '北杜市',
        prefecture: '山梨県',
        admin: { loginName: 'ＡＤＭＩＮ', displayName: '情報政策課 管理者' },
      },
      pack,
      72,
    );
    expect(created.tenant).toMatchObject({
      code: '192091',
      name: '北杜市',
      policyPackId: 'hokuto',
    });
    expect(created.adminLoginName).toBe('admin'); // NFKC + lower case
    expect(created.temporaryPassword).toMatch(/^[A-Za-z0-9]{16}$/);
    const expires = created.temporaryPasswordExpiresAt.getTime() - before;
    expect(expires).toBeGreaterThanOrEqual(72 * 3600_000 - 1000);
    expect(expires).toBeLessThan(72 * 3600_000 + 60_000);

    const rows = await inTenant(db.app, tenantScope(created.tenant.id), async (tx) => ({
      accounts: await tx.select().from(accounts),
      roles: await tx.select().from(accountRoles),
    }));
    expect(rows.accounts).toHaveLength(1);
    const account = rows.accounts[0];
    expect(account?.mustChangePassword).toBe(true);
    expect(account?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(account?.passwordHash).not.toContain(created.temporaryPassword);
    expect(await verifyPassword(account?.passwordHash ?? '', created.temporaryPassword)).toBe(true);
    expect(await verifyPassword(account?.passwordHash ?? '', 'wrong')).toBe(false);
    expect(rows.roles.map((r) => r.role)).toEqual(['tenant_admin']);
  });

  it('refuses a duplicate code with conflict and leaves no partial tenant', async () => {
    const err = await createTenantWithAdmin(
      owner,
      {
        code: '192091',
        name: '重複市',
        prefecture: '山梨県',
        admin: { loginName: 'x-admin', displayName: 'x' },
      },
      pack,
      72,
    ).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('conflict');
    const names = await inSystem(db.app, (tx) =>
      tx.execute<{ name: string }>('SELECT name FROM tenants'),
    );
    expect(names.rows.map((r) => r.name)).not.toContain('重複市');
  });

  it('refuses a bad 全国地方公共団体コード or login name with validation_failed', async () => {
    for (const input of [
      { code: '192090', loginName: 'admin2' },
      { code: '131016', loginName: 'a' },
    ]) {
      const err = await createTenantWithAdmin(
        owner,
        {
          code: input.code,
          name: '架空市',
          prefecture: '架空県',
          admin: { loginName: input.loginName, displayName: 'x' },
        },
        pack,
        72,
      ).catch((e: unknown) => e);
      expect((err as AppError).code).toBe('validation_failed');
    }
  });

  it('the app role cannot create tenants', async () => {
    await expect(
      inSystem(db.app, (tx) =>
        insertTenant(tx, {
          code: '130001',
          name: '東京都',
          prefecture: '東京都',
          policyPackId: 'hokuto',
          policyPackVersion: '1',
          policyPackHash: 'x',
        }),
      ),
    ).rejects.toThrow();
  });
});

describe('tenant resolution', () => {
  let other: TestTenant;
  beforeAll(async () => {
    other = await createTenant(db.ownerUrl, {
      code: '131016',
      name: '千代田区',
      prefecture: '東京都',
    });
  });

  it('splits the /t/{code} prefix', () => {
    expect(splitTenantPrefix('/t/192091/api/health?x=1')).toEqual({
      code: '192091',
      rest: '/api/health?x=1',
    });
    expect(splitTenantPrefix('/t/192091')).toEqual({ code: '192091', rest: '/' });
    expect(splitTenantPrefix('/api/health')).toBeNull();
    expect(splitTenantPrefix('/t/12/api')).toBeNull();
  });

  it('shared install: host mapping first, then the /t/{code} fallback, else tenant_unknown', async () => {
    const config = loadConfig({
      MAMORI_TENANCY: 'shared',
      MAMORI_TENANT_HOSTS: 'hokuto.example.lg.jp=192091',
    });
    const byHost = await resolveTenant(db.app, config, {
      host: 'Hokuto.Example.lg.jp:443',
      prefixCode: null,
    });
    expect(byHost.tenant.code).toBe('192091');
    const byPrefix = await resolveTenant(db.app, config, {
      host: 'shared.example.jp',
      prefixCode: '131016',
    });
    expect(byPrefix.scope.tenantId).toBe(other.id);
    const err = await resolveTenant(db.app, config, {
      host: 'shared.example.jp',
      prefixCode: null,
    }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('tenant_unknown');
  });

  it('single install with several tenants asks for shared mode instead of guessing', async () => {
    const config = loadConfig({});
    const err = await resolveTenant(db.app, config, { host: 'localhost', prefixCode: null }).catch(
      (e: unknown) => e,
    );
    expect((err as AppError).code).toBe('tenant_unknown');
    expect((err as AppError).message).toContain('MAMORI_TENANCY=shared');
  });
});

describe('config', () => {
  it('names the variable and the problem', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@h/db' })).toThrow(
      /DATABASE_APP_URL: is required/,
    );
    expect(() =>
      loadConfig({ DATABASE_URL: 'mysql://x', DATABASE_APP_URL: 'postgres://y' }),
    ).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ MAMORI_TENANT_HOSTS: 'a.example=12' })).toThrow(
      /MAMORI_TENANT_HOSTS/,
    );
  });
  it('defaults to the embedded database and ./data', () => {
    const c = loadConfig({});
    expect(c.database.mode).toBe('embedded');
    expect(c.dataDir).toBe(path.join(repoRoot, 'data'));
    expect(c.port).toBe(3000);
  });
});
