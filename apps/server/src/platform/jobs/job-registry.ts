import { orgImportJobs } from '../../modules/organization/import-job.js';
import { personnelJobs } from '../../modules/organization/personnel-job.js';
import { notificationJobs } from '../notifications/notification-jobs.js';
import { checkpointJobs } from '../oplog/checkpoint-job.js';
import type { AnyJobDefinition } from './job-runner.js';

/**
 * Every job type of the platform and the modules. The migrate step creates one
 * queue per entry (`installJobSchema`); the app role cannot create queues, so a
 * job missing here fails at `JobRunner.start`/`send` with a clear message.
 */
export const allJobs: readonly AnyJobDefinition[] = [
  ...notificationJobs,
  ...checkpointJobs,
  ...personnelJobs,
  ...orgImportJobs,
];
