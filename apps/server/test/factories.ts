import { randomInt } from 'node:crypto';
import pg from 'pg';

/** Synthetic test data only (std-7.3.3.2c: no real personal data in tests). */

/** A valid, random 全国地方公共団体コード (5 digits + check digit). */
export function randomLocalGovernmentCode(): string {
  const base = String(randomInt(10000, 99999));
  const weights = [6, 5, 4, 3, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(base[i]), 0);
  return base + String((11 - (sum % 11)) % 10);
}

export interface TestTenant {
  id: string;
  code: string;
  name: string;
}

/**
 * Creates a tenant with the owner role (the app role cannot insert tenants), on the hokuto pack
 * unless `policyPackId` names another (e.g. the fictional `test-kanagi`).
 */
export async function createTenant(
  ownerUrl: string,
  overrides: Partial<{ code: string; name: string; prefecture: string; policyPackId: string }> = {},
): Promise<TestTenant> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const code = overrides.code ?? randomLocalGovernmentCode();
    const name = overrides.name ?? `テスト市${code}`;
    const r = await client.query<{ id: string }>(
      `INSERT INTO tenants (code, name, prefecture, policy_pack_id, policy_pack_version, policy_pack_hash)
       VALUES ($1, $2, $3, $4, 'test', 'test') RETURNING id`,
      [code, name, overrides.prefecture ?? '架空県', overrides.policyPackId ?? 'hokuto'],
    );
    const id = r.rows[0]?.id;
    if (!id) throw new Error('no tenant id');
    return { id, code, name };
  } finally {
    await client.end();
  }
}

export interface TestAccount {
  id: string;
  tenantId: string;
  loginName: string;
}

/** Creates an account in a tenant through the owner role, with the tenant set for RLS. */
export async function createAccount(
  ownerUrl: string,
  tenantId: string,
  overrides: Partial<{ loginName: string; displayName: string; email: string }> = {},
): Promise<TestAccount> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    const loginName = overrides.loginName ?? `user${String(randomInt(1e9))}`;
    const r = await client.query<{ id: string }>(
      `INSERT INTO accounts (tenant_id, login_name, display_name, email, password_hash)
       VALUES ($1, $2, $3, $4, 'not-a-real-hash') RETURNING id`,
      [tenantId, loginName, overrides.displayName ?? '試験 太郎', overrides.email ?? null],
    );
    await client.query('COMMIT');
    const id = r.rows[0]?.id;
    if (!id) throw new Error('no account id');
    return { id, tenantId, loginName };
  } finally {
    await client.end();
  }
}
