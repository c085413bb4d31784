import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { createCallerResolver, identityRoutes } from './modules/identity/index.js';
import { operationLogRoutes } from './modules/operation-log/index.js';
import { policyPackRoutes } from './modules/policy-pack/index.js';
import { personnelRoutes } from './modules/organization/personnel-routes.js';
import {
  linkAccountToPerson,
  organizationRoutes,
  organizationTaskDirectory,
  roleRoutes,
  rolesOfAccount,
} from './modules/organization/index.js';
import { taskRoutes } from './platform/tasks/index.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { registerRouteGuard, type GuardedRoute } from './platform/authz/index.js';
import type { AppContext } from './platform/context.js';
import { registerErrorHandling } from './platform/http/error-handler.js';
import {
  contentSecurityPolicyHeader,
  registerSecurityHeaders,
} from './platform/http/security-headers.js';
import { registerWebApp } from './platform/http/web-app.js';
import { rewriteTenantUrl } from './platform/http/tenant-prefix.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every API route with its declared permission (the authorization matrix test reads it). */
    guardedRoutes: GuardedRoute[];
  }
}

export async function buildServer(ctx: AppContext): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = ctx.logger;
  const app = Fastify({
    loggerInstance,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: ctx.config.trustProxy,
    genReqId: () => randomUUID(),
    // On close, idle keep-alive sockets are closed at once; in-flight requests drain.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
    rewriteUrl: rewriteTenantUrl,
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await registerSecurityHeaders(app);
  await app.register(cookie);
  // Per-IP limit on the API. The web app's static files (a cold page load fetches ~100 font
  // subsets) are not counted: staff behind one municipal proxy share an IP.
  await app.register(rateLimit, {
    global: true,
    max: 600,
    timeWindow: '1 minute',
    allowList: (request) => !request.url.startsWith('/api/'),
  });

  // Every API route declares its permission (or is public); see platform/authz. Installed
  // before any route, so that no route (the OpenAPI document included) escapes it.
  // The caller's policy roles (incl. unit-held and deputy roles) come from the organization.
  // Identity adds the platform roles (tenant_admin) itself: pass only the assigned ones.
  const identityOptions = {
    policyRoles: async (tx: Parameters<typeof rolesOfAccount>[0], accountId: string, at: Date) => {
      const held = await rolesOfAccount(tx, accountId, at);
      return { ...held, roles: held.roles.filter((h) => h.assignmentId !== null) };
    },
  };
  const guardedRoutes = registerRouteGuard(app, createCallerResolver(ctx, identityOptions));
  app.decorate('guardedRoutes', guardedRoutes);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Mamori API',
        description: '守り: information-security management for municipalities',
        version: '0.1.0',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Our policy, not the plugin's (which allows https: styles and framing).
    transformStaticCSP: () => contentSecurityPolicyHeader,
    // No call to the public validator: LGWAN installs have no internet.
    uiConfig: { validatorUrl: null },
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, () =>
    app.swagger(),
  );

  const routes = app.withTypeProvider<ZodTypeProvider>();
  await routes.register(systemRoutes(ctx));
  await routes.register(
    identityRoutes(ctx, {
      ...identityOptions,
      linkPerson: (tx, personId, accountId) => linkAccountToPerson(tx, personId, accountId),
    }),
  );
  await routes.register(operationLogRoutes(ctx));
  await routes.register(policyPackRoutes(ctx));
  await routes.register(personnelRoutes(ctx));
  await routes.register(organizationRoutes(ctx));
  await routes.register(roleRoutes(ctx));
  await routes.register(taskRoutes(ctx, organizationTaskDirectory(ctx)));
  await registerWebApp(app);
  return app;
}
