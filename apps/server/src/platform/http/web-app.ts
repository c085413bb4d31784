import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { repoRoot } from '../config.js';
import { AppError } from '../errors.js';

export const webDistDir = path.join(repoRoot, 'apps/web/dist');

/**
 * Serves the built SPA from apps/web/dist. Unknown `/api` routes are 404 JSON;
 * other GET requests for pages get index.html (client-side routes).
 */
export async function registerWebApp(app: FastifyInstance): Promise<void> {
  const hasBuild = fs.existsSync(path.join(webDistDir, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root: webDistDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      // Hashed assets can be cached for long; index.html must not be.
      setHeaders: (reply, filePath) => {
        void reply.header(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    const wantsPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !url.startsWith('/api') &&
      !path.extname(url);
    if (wantsPage && hasBuild) {
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .sendFile('index.html');
    }
    if (wantsPage) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web app is not built yet: run `npm run build` (npm start does this).');
    }
    const err = new AppError('not_found', `No route ${request.method} ${url}`);
    return reply.status(err.status).send(err.toBody());
  });
}
