import type { FastifyRequest } from 'fastify';
import type { Caller, CallerResolver } from '../../platform/authz/index.js';
import type { AppContext } from '../../platform/context.js';

/**
 * The identity module's public surface.
 *
 * LEAD NOTE for the identity helper: server.ts wires the route guard with
 * `createCallerResolver(ctx)`. Replace this placeholder body with the real
 * session lookup (cookie → sessions row → account → roles) and keep the
 * export name and signature.
 */
export function createCallerResolver(ctx: AppContext): CallerResolver {
  void ctx;
  return (request: FastifyRequest): Promise<Caller | null> => {
    void request;
    return Promise.resolve(null);
  };
}
