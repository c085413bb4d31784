import { errorBodySchema, healthResponseSchema } from '@mamori/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { pingDatabase } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';

/** Health: 200 only when the database answers (load balancers and monitoring use it). */
export function systemRoutes(ctx: AppContext): FastifyPluginCallbackZod {
  return (app, _opts, done) => {
    app.get(
      '/api/health',
      {
        schema: {
          tags: ['system'],
          summary: 'Liveness and database reachability',
          response: { 200: healthResponseSchema, 503: errorBodySchema },
        },
        logLevel: 'warn',
      },
      async () => {
        if (!(await pingDatabase(ctx.db))) {
          throw new AppError('database_unavailable', 'The database does not answer.');
        }
        return { status: 'ok' as const };
      },
    );
    done();
  };
}
