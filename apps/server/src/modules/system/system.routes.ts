import { errorBodySchema, healthResponseSchema, tenantInfoSchema } from '@mamori/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { pingDatabase } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { requestTenant } from '../../platform/http/tenant.js';

export function systemRoutes(ctx: AppContext): FastifyPluginCallbackZod {
  return (app, _opts, done) => {
    // Health: 200 only when the database answers (load balancers and monitoring use it).
    app.get(
      '/api/health',
      {
        schema: {
          tags: ['system'],
          summary: 'Liveness and database reachability',
          response: { 200: healthResponseSchema, 503: errorBodySchema },
        },
        logLevel: 'warn',
        config: { public: true },
      },
      async () => {
        if (!(await pingDatabase(ctx.db))) {
          throw new AppError('database_unavailable', 'The database does not answer.');
        }
        return { status: 'ok' as const };
      },
    );

    // The municipality of this request and the policy pack it runs (public information).
    app.get(
      '/api/tenant',
      {
        schema: {
          tags: ['system'],
          summary: 'The tenant (municipality) this request is for',
          response: { 200: tenantInfoSchema, 404: errorBodySchema },
        },
        config: { public: true },
      },
      async (request) => {
        const { tenant } = await requestTenant(ctx, request);
        const pack = await ctx.packs.get(tenant.policyPackId);
        return {
          code: tenant.code,
          name: tenant.name,
          prefecture: tenant.prefecture,
          policyPack: {
            id: tenant.policyPackId,
            version: tenant.policyPackVersion,
            nameJa: pack.manifest.name_ja,
            nameEn: pack.manifest.name_en,
          },
        };
      },
    );
    done();
  };
}
