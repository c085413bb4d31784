import { and, asc, eq } from 'drizzle-orm';
import type { TenantTx } from '../db/database.js';
import { accountRoles, accounts } from './accounts.tables.js';

export type AccountRow = typeof accounts.$inferSelect;

export async function insertAccount(
  tx: TenantTx,
  input: {
    loginName: string;
    displayName: string;
    email: string | null;
    passwordHash: string;
    passwordExpiresAt: Date | null;
  },
): Promise<AccountRow> {
  const [row] = await tx
    .insert(accounts)
    .values({ tenantId: tx.scope.tenantId, mustChangePassword: true, ...input })
    .returning();
  if (!row) throw new Error('account insert returned no row');
  return row;
}

export async function grantPlatformRole(
  tx: TenantTx,
  accountId: string,
  role: 'tenant_admin',
  grantedBy: string | null,
): Promise<void> {
  await tx
    .insert(accountRoles)
    .values({ tenantId: tx.scope.tenantId, accountId, role, grantedBy })
    .onConflictDoNothing();
}

export async function findAccountByLogin(
  tx: TenantTx,
  loginName: string,
): Promise<AccountRow | null> {
  const rows = await tx.select().from(accounts).where(eq(accounts.loginName, loginName)).limit(1);
  return rows[0] ?? null;
}

export async function listTenantAdmins(tx: TenantTx): Promise<AccountRow[]> {
  return tx
    .select({ account: accounts })
    .from(accounts)
    .innerJoin(
      accountRoles,
      and(eq(accountRoles.tenantId, accounts.tenantId), eq(accountRoles.accountId, accounts.id)),
    )
    .where(eq(accountRoles.role, 'tenant_admin'))
    .orderBy(asc(accounts.loginName))
    .then((rows) => rows.map((r) => r.account));
}
