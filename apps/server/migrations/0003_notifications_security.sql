-- The notification outbox is tenant-owned: row-level security on tenant_id.
SELECT mamori_enable_tenant_rls('notifications');
--> statement-breakpoint
-- The app role inserts notifications and reads them; it never deletes them.
-- It may change only the reading and delivery state: recipient, subject, body
-- and source stay as written in the transaction of the change they report.
GRANT SELECT, INSERT ON notifications TO mamori_app;
--> statement-breakpoint
GRANT UPDATE (
  read_at,
  email_status,
  email_reason,
  email_attempts,
  email_last_error,
  email_last_attempt_at,
  email_next_attempt_at,
  email_sent_at,
  email_message_id
) ON notifications TO mamori_app;
--> statement-breakpoint
-- The job schema (pgboss) is not created here: pg-boss creates and migrates it
-- itself, with the owner role, in the migrate step right after these
-- migrations (installJobSchema in platform/jobs/job-schema.ts), which also
-- grants the app role its DML on it.
