import type { Permission } from '@mamori/contracts';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../errors.js';
import { isElevated, type Caller, type SessionState } from './caller.js';
import { hasPermission } from './permission-check.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's `resource:action` permission (house style 3). */
    permission?: Permission;
    /** A route anyone may call (health, tenant info, login). */
    public?: boolean;
    /** Session states besides `active` in which the route answers (change-password, MFA enrolment, logout). */
    allowSessionStates?: readonly SessionState[];
    /** A privileged operation: needs a recent step-up (std-7.2.5). */
    privileged?: boolean;
  }
  interface FastifyRequest {
    /** The authenticated caller; set by the route guard on every non-public route. */
    caller: Caller | null;
  }
}

/** Finds the caller of a request from its session, or null when there is none (identity module). */
export type CallerResolver = (request: FastifyRequest) => Promise<Caller | null>;

const STATE_ERROR: Record<
  Exclude<SessionState, 'active'>,
  'password_change_required' | 'mfa_enrolment_required' | 'mfa_required'
> = {
  password_change_required: 'password_change_required',
  mfa_enrolment_required: 'mfa_enrolment_required',
  mfa_required: 'mfa_required',
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The routes of the app and the guard settings each declares (for the authorization matrix test). */
export interface GuardedRoute {
  readonly method: string;
  readonly url: string;
  readonly permission: Permission | null;
  readonly isPublic: boolean;
  readonly isPrivileged: boolean;
}

/**
 * Installs the authorization chain's first steps on every API route:
 * authenticate → session state → CSRF → `resource:action` permission →
 * step-up for privileged routes. A route under /api that declares neither a
 * permission nor `public: true` makes start-up fail.
 */
export function registerRouteGuard(
  app: FastifyInstance,
  resolveCaller: CallerResolver,
  now: () => Date = () => new Date(),
): GuardedRoute[] {
  const routes: GuardedRoute[] = [];
  app.decorateRequest('caller', null);
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const config = route.config ?? {};
    const isPublic = config.public === true;
    if (!isPublic && !config.permission) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no permission`);
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({
        method,
        url: route.url,
        permission: config.permission ?? null,
        isPublic,
        isPrivileged: config.privileged === true,
      });
    }
  });
  // onRequest, before the body is parsed and validated: a caller who may not
  // call the route learns nothing from validation errors (401/403 come first).
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (!request.url.startsWith('/api/') || config.public === true || !config.permission) return;
    const caller = await resolveCaller(request);
    if (!caller) throw new AppError('unauthenticated', 'Log in first.');
    request.caller = caller;
    if (
      caller.sessionState !== 'active' &&
      !config.allowSessionStates?.includes(caller.sessionState)
    ) {
      throw new AppError(STATE_ERROR[caller.sessionState], `Session state ${caller.sessionState}.`);
    }
    if (!SAFE_METHODS.has(request.method)) {
      const token = request.headers['x-csrf-token'];
      if (typeof token !== 'string' || token !== caller.csrfToken) {
        throw new AppError('csrf_rejected', 'Missing or wrong CSRF token.');
      }
    }
    if (!hasPermission(caller, config.permission)) {
      throw new AppError('forbidden', `Needs ${config.permission}.`);
    }
    if (config.privileged === true && !isElevated(caller, now())) {
      throw new AppError('step_up_required', 'Confirm your identity again for this operation.');
    }
  });
  return routes;
}

/** The caller of a guarded route (never null after the guard ran). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new AppError('unauthenticated', 'Log in first.');
  return request.caller;
}
