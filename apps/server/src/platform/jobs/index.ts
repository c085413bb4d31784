export {
  CRON_QUEUE,
  defineJob,
  JOB_SCHEMA,
  JOB_TIME_ZONE,
  JobRunner,
  JobSchemaError,
  type AnyJobDefinition,
  type JobContext,
  type JobDefinition,
  type JobHandler,
  type JobRunnerOptions,
  type QueueOptions,
  type RegisterOptions,
  type ScheduledJob,
  type SendOptions,
} from './job-runner.js';
export { allJobs } from './job-registry.js';
export { installJobSchema, type InstallJobSchemaOptions } from './job-schema.js';
