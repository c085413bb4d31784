import type { Config } from '../config.js';
import { inSystem, tenantScope, type Database, type TenantScope } from '../db/database.js';
import { AppError } from '../errors.js';
import { findTenantByCode, listTenants, type TenantRow } from './tenancy.repository.js';

export interface ResolvedTenant {
  readonly scope: TenantScope;
  readonly tenant: TenantRow;
}

/** The tenant code carried by a `/t/{code}/...` URL, and the URL without it. */
export function splitTenantPrefix(url: string): { code: string; rest: string } | null {
  const m = /^\/t\/(\d{6})(\/.*)?$/.exec(url.split('?')[0] ?? '');
  if (!m?.[1]) return null;
  const query = url.includes('?') ? url.slice(url.indexOf('?')) : '';
  return { code: m[1], rest: (m[2] ?? '/') + query };
}

/**
 * Resolves the tenant of a request (architecture.md "Tenants"):
 * - single-municipality install: the one tenant, implicitly;
 * - shared install: the host name's configured tenant, else the `/t/{code}` prefix.
 * The tenant never comes from a request body.
 */
export async function resolveTenant(
  db: Database,
  config: Config,
  request: { host: string | undefined; prefixCode: string | null },
): Promise<ResolvedTenant> {
  return inSystem(db, async (tx) => {
    let tenant: TenantRow | null = null;
    if (config.tenancy === 'single') {
      const all = await listTenants(tx);
      if (all.length === 0) {
        throw new AppError('tenant_unknown', 'No tenant yet: run `npm run cli -- init`.');
      }
      if (all.length > 1 && !request.prefixCode) {
        throw new AppError(
          'tenant_unknown',
          'Several tenants exist: set MAMORI_TENANCY=shared and map host names to tenants.',
        );
      }
      tenant = request.prefixCode
        ? (all.find((t) => t.code === request.prefixCode) ?? null)
        : (all[0] ?? null);
    } else {
      const host = request.host?.split(':')[0]?.toLowerCase();
      const code = (host ? config.tenantHosts.get(host) : undefined) ?? request.prefixCode;
      if (code) tenant = await findTenantByCode(tx, code);
    }
    if (!tenant) throw new AppError('tenant_unknown', 'Unknown tenant.');
    return { scope: tenantScope(tenant.id), tenant };
  });
}
