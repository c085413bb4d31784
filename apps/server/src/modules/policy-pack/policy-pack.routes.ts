import { errorBodySchema, packVocabularySchema } from '@mamori/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { requestTenant } from '../../platform/http/tenant.js';
import { packVocabularyOf } from './policy-pack.vocabulary.js';

/** Read-only views of the tenant's policy pack. */
export function policyPackRoutes(ctx: AppContext): FastifyPluginCallbackZod {
  return (app, _opts, done) => {
    // Everyone signed in reads the terms the UI labels things with (issue 5); the pack is the
    // tenant's, found like GET /api/tenant does, never from the request body.
    app.get(
      '/api/policy-pack/vocabulary',
      {
        schema: {
          tags: ['policy-pack'],
          summary: "The tenant's policy-pack vocabulary: role titles, unit kinds, zones",
          response: {
            200: packVocabularySchema,
            401: errorBodySchema,
            403: errorBodySchema,
            404: errorBodySchema,
          },
        },
        config: { permission: 'organization:read' },
      },
      async (request) => {
        const { tenant } = await requestTenant(ctx, request);
        // Loaded and validated once per process (the registry caches it).
        return packVocabularyOf(await ctx.packs.get(tenant.policyPackId));
      },
    );
    done();
  };
}
