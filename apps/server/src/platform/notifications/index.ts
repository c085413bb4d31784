export {
  classifySmtpError,
  createMailer,
  type Mailer,
  type MailerOptions,
  type OutgoingMail,
  type SmtpFailure,
} from './mailer.js';
export {
  DEFAULT_SWEEP_CRON,
  defaultEmailRetry,
  deliverEmailJob,
  notificationJobs,
  registerNotificationJobs,
  sweepEmailJob,
  type EmailRetryPolicy,
  type NotificationJobDeps,
} from './notification-jobs.js';
export {
  createNotificationService,
  notificationChannels,
  type InAppNotification,
  type InAppPage,
  type NotificationChannel,
  type NotificationService,
  type NotificationServiceDeps,
  type NotificationSource,
  type NotifyInput,
  type NotifyResult,
  type UndeliveredEmail,
} from './notifications.service.js';
export {
  emailReasons,
  emailStatuses,
  type EmailReason,
  type EmailStatus,
} from './notifications.tables.js';
