import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { NotificationService } from './notifications/index.js';
import type { PolicyPackRegistry } from './policy-pack-registry.js';

/** What request handlers, jobs and commands share for one process. */
export interface AppContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly packs: PolicyPackRegistry;
  readonly notifications: NotificationService;
}
