import type { IncomingMessage } from 'node:http';
import { splitTenantPrefix } from '../tenancy/resolve-tenant.js';

/** The tenant code of a `/t/{code}/...` request, kept when its URL is rewritten. */
const tenantPrefixes = new WeakMap<IncomingMessage, string>();

/** Fastify `rewriteUrl`: strips `/t/{code}` and remembers the code for the request. */
export function rewriteTenantUrl(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const split = splitTenantPrefix(url);
  if (!split) return url;
  tenantPrefixes.set(req, split.code);
  return split.rest;
}

export function tenantPrefixOf(raw: IncomingMessage): string | null {
  return tenantPrefixes.get(raw) ?? null;
}
