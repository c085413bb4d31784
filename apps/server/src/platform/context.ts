import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { JobRunner } from './jobs/job-runner.js';
import type { NotificationService } from './notifications/index.js';
import type { PolicyPackRegistry } from './policy-pack-registry.js';

/** What request handlers, jobs and commands share for one process. */
export interface AppContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly packs: PolicyPackRegistry;
  readonly notifications: NotificationService;
  /** Queues jobs in a request's transaction (the worker may run on any app server). */
  readonly jobs: Pick<JobRunner, 'sendInTransaction'>;
}
