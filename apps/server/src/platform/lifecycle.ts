import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { EmbeddedDatabaseError } from './db/embedded.js';
import { runMigrations } from './db/migrate.js';
import { installJobSchema } from './jobs/index.js';
import { provisionDatabase, type DatabaseTarget } from './db/provision.js';
import { appRoleProblems } from './db/role-check.js';
import { createLogger } from './logging.js';
import {
  loadPolicyPackRegistry,
  PolicyPackLoadError,
  type PolicyPackRegistry,
} from './policy-pack-registry.js';

export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/**
 * Errors that stop start-up with a message for the operator (bad
 * configuration, database, role or policy pack), as opposed to bugs.
 */
export function isStartupProblem(err: unknown): err is Error {
  return (
    err instanceof ConfigError ||
    err instanceof StartupError ||
    err instanceof EmbeddedDatabaseError ||
    err instanceof PolicyPackLoadError
  );
}

/** The parts a process (server or CLI) opens at start and closes at the end, in order. */
export interface Runtime {
  readonly config: Config;
  readonly logger: Logger;
  readonly target: DatabaseTarget;
  readonly db: Database;
  readonly packs: PolicyPackRegistry;
  /** Closes the pool, then stops the embedded database if this process should. */
  close(options?: { stopEmbedded?: boolean }): Promise<void>;
}

/**
 * Opens the database (embedded or external), applies migrations and the job
 * schema with the owner role, checks the app role cannot bypass row-level security, and loads
 * the default policy pack. Any failure is a StartupError with a clear message.
 */
export async function openRuntime(options: {
  applicationName: string;
  logger?: Logger;
  config?: Config;
}): Promise<Runtime> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger(config.logLevel);
  const packs = await loadPolicyPackRegistry(config.policyPacksDir, config.defaultPack);
  const target = await provisionDatabase(config, (m) => {
    logger.info(m);
  });
  let db: Database | null = null;
  try {
    await runMigrations(target.ownerUrl);
    // pg-boss's schema and queues are created by the owner; the app role only uses them.
    await installJobSchema(target.ownerUrl);
    db = openDatabase(target.appUrl, {
      max: config.poolSize,
      applicationName: options.applicationName,
      onError: (err) => {
        logger.warn({ err: err.message }, 'idle database connection lost');
      },
    });
    const problems = await appRoleProblems(db.pool);
    if (problems.length > 0) {
      throw new StartupError(
        `Refusing to start: the app role (DATABASE_APP_URL) could bypass row-level security:\n  ${problems.join('\n  ')}`,
      );
    }
  } catch (err) {
    await db?.close();
    if (target.embedded?.startedHere) await target.embedded.stop().catch(() => undefined);
    throw err;
  }
  const openDb = db;
  let closed = false;
  return {
    config,
    logger,
    target,
    db: openDb,
    packs,
    close: async ({ stopEmbedded = true } = {}) => {
      if (closed) return;
      closed = true;
      await openDb.close();
      if (target.embedded && stopEmbedded) await target.embedded.stop();
    },
  };
}
