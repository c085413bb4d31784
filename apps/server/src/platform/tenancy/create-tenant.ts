import { createTenantInputSchema, type CreateTenantInput } from '@mamori/contracts';
import { grantPlatformRole, insertAccount } from '../auth/accounts.repository.js';
import { generateTemporaryPassword, hashPassword } from '../auth/passwords.js';
import { enterTenant, inSystem, tenantScope, type Database } from '../db/database.js';
import { PG, pgErrorOf } from '../db/pg-error.js';
import { AppError } from '../errors.js';
import { insertTenant, type TenantRow } from './tenancy.repository.js';

export interface CreatedTenant {
  readonly tenant: TenantRow;
  readonly adminAccountId: string;
  readonly adminLoginName: string;
  /** Shown once to the operator; only its argon2id hash is stored. */
  readonly temporaryPassword: string;
  readonly temporaryPasswordExpiresAt: Date;
}

/**
 * Creates a tenant and its first tenant_admin in one transaction, with the
 * owner role (the app role cannot create tenants). The admin gets a temporary
 * password that must be changed at first login (std-7.2.4) and expires after
 * the pack's temporary-password lifetime.
 */
export async function createTenantWithAdmin(
  ownerDb: Database,
  input: CreateTenantInput,
  pack: { id: string; version: string; hash: string },
  temporaryPasswordLifetimeHours: number,
): Promise<CreatedTenant> {
  const parsed = createTenantInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'The tenant is not valid.', {
      issues: parsed.error.issues.map((i) => ({
        path: i.path.join('.'),
        message: i.message,
        code: i.code,
      })),
    });
  }
  const data = parsed.data;
  const temporaryPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  const expiresAt = new Date(Date.now() + temporaryPasswordLifetimeHours * 3600_000);
  try {
    return await inSystem(ownerDb, async (sys) => {
      const tenant = await insertTenant(sys, {
        code: data.code,
        name: data.name,
        prefecture: data.prefecture,
        policyPackId: pack.id,
        policyPackVersion: pack.version,
        policyPackHash: pack.hash,
      });
      const tx = await enterTenant(sys, tenantScope(tenant.id));
      const admin = await insertAccount(tx, {
        loginName: data.admin.loginName,
        displayName: data.admin.displayName,
        email: data.admin.email ?? null,
        passwordHash,
        passwordExpiresAt: expiresAt,
      });
      await grantPlatformRole(tx, admin.id, 'tenant_admin', null);
      return {
        tenant,
        adminAccountId: admin.id,
        adminLoginName: admin.loginName,
        temporaryPassword,
        temporaryPasswordExpiresAt: expiresAt,
      };
    });
  } catch (err) {
    if (pgErrorOf(err)?.code === PG.uniqueViolation) {
      throw new AppError('conflict', `A tenant with code ${data.code} already exists.`, {
        code: data.code,
      });
    }
    throw err;
  }
}
