import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { loadConfig, type Config } from '../src/platform/config.js';
import type { Database } from '../src/platform/db/database.js';
import { loggerOptions } from '../src/platform/logging.js';
import {
  createNotificationService,
  type NotificationService,
} from '../src/platform/notifications/index.js';
import { JobRunner } from '../src/platform/jobs/index.js';
import { loadPolicyPackRegistry } from '../src/platform/policy-pack-registry.js';
import { buildServer } from '../src/server.js';

export interface TestServer {
  app: FastifyInstance;
  config: Config;
  /** Every log line the server wrote. */
  logs: string[];
}

/** The real server (all plugins and routes) on a test database, with captured logs. */
export async function createTestServer(
  db: Database,
  env: Record<string, string> = {},
): Promise<TestServer> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', ...env });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino(loggerOptions('info'), sink);
  const packs = await loadPolicyPackRegistry(config.policyPacksDir, config.defaultPack);
  // Route tests that notify queue jobs in the caller's transaction; no runner is
  // needed to enqueue (pg-boss's schema is installed in the test template).
  const notifications: NotificationService = createNotificationService({
    jobs: { sendInTransaction: () => Promise.resolve(null) },
    smtpConfigured: false,
  });
  // Enqueues only (never started): a test that needs a job worked starts its own runner.
  const jobs = new JobRunner({ db, logger });
  const app = await buildServer({ config, logger, db, packs, notifications, jobs });
  return { app, config, logs };
}
