import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { resolveTenant, type ResolvedTenant } from '../tenancy/resolve-tenant.js';
import { tenantPrefixOf } from './tenant-prefix.js';

const resolved = new WeakMap<FastifyRequest, Promise<ResolvedTenant>>();

/**
 * The tenant of a request (resolved once per request): from the install's
 * single tenant, the host name, or the `/t/{code}` prefix — never from the
 * request body. Throws AppError('tenant_unknown') when there is none.
 */
export function requestTenant(ctx: AppContext, request: FastifyRequest): Promise<ResolvedTenant> {
  let found = resolved.get(request);
  if (!found) {
    found = resolveTenant(ctx.db, ctx.config, {
      host: request.hostname,
      prefixCode: tenantPrefixOf(request.raw),
    });
    resolved.set(request, found);
  }
  return found;
}
