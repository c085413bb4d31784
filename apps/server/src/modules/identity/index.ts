import type { FastifyRequest } from 'fastify';
import type { Caller, CallerResolver } from '../../platform/authz/index.js';
import { assertTransportAllowed, sessionTokenOf } from '../../platform/auth/session-transport.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requestTenant } from '../../platform/http/tenant.js';
import type { ResolvedTenant } from '../../platform/tenancy/resolve-tenant.js';
import { loadSession } from './commands/login.js';
import type { IdentityOptions } from './identity.service.js';

/**
 * The identity module's public surface: login, MFA and sessions (routes),
 * the session → Caller resolution the authorization core calls, and account
 * functions other modules use (disable on leaving).
 */
export { identityRoutes, type IdentityRouteOptions } from './identity.routes.js';
export { disableAccountInTx, type PersonLinker } from './commands/administer-accounts.js';
export type { IdentityOptions, PolicyRoleLoader } from './identity.service.js';

/**
 * The caller of a request from its session cookie, or null without a live
 * session. Throws `session_expired` when the session just timed out (idle or
 * absolute, std-6.1.1.7) and `insecure_transport` for plain HTTP in production.
 */
export async function resolveSession(
  ctx: AppContext,
  tenant: ResolvedTenant,
  request: FastifyRequest,
  options: IdentityOptions = {},
): Promise<Caller | null> {
  const token = sessionTokenOf(request);
  if (!token) return null;
  assertTransportAllowed(ctx.config, request);
  const loaded = await loadSession(
    ctx,
    tenant,
    token,
    (options.now ?? (() => new Date()))(),
    options,
  );
  if (loaded === 'expired') {
    throw new AppError('session_expired', 'The session has ended; log in again.');
  }
  return loaded?.caller ?? null;
}

/** The route guard's resolver (server.ts): tenant from host/prefix, then the session. */
export function createCallerResolver(
  ctx: AppContext,
  options: IdentityOptions = {},
): CallerResolver {
  return async (request: FastifyRequest): Promise<Caller | null> => {
    if (!sessionTokenOf(request)) return null;
    return resolveSession(ctx, await requestTenant(ctx, request), request, options);
  };
}
