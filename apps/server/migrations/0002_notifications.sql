CREATE TABLE "notifications" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"dedupe_key" text NOT NULL,
	"recipient_account_id" uuid,
	"recipient_email" text,
	"in_app" boolean NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"message_key" text,
	"message_params" jsonb,
	"source_module" text NOT NULL,
	"source_type" text,
	"source_id" text,
	"read_at" timestamp (3) with time zone,
	"email_status" text,
	"email_reason" text,
	"email_attempts" integer DEFAULT 0 NOT NULL,
	"email_last_error" text,
	"email_last_attempt_at" timestamp (3) with time zone,
	"email_next_attempt_at" timestamp (3) with time zone,
	"email_sent_at" timestamp (3) with time zone,
	"email_message_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "notifications_dedupe_key" UNIQUE("tenant_id","dedupe_key"),
	CONSTRAINT "notifications_recipient" CHECK (recipient_account_id IS NOT NULL OR recipient_email IS NOT NULL),
	CONSTRAINT "notifications_channel" CHECK (in_app OR email_status IS NOT NULL),
	CONSTRAINT "notifications_in_app_account" CHECK (NOT in_app OR recipient_account_id IS NOT NULL),
	CONSTRAINT "notifications_email_status" CHECK (email_status IS NULL OR email_status IN ('pending', 'sent', 'failed')),
	CONSTRAINT "notifications_email_reason" CHECK (email_reason IS NULL OR email_reason IN ('smtp_not_configured', 'smtp_deferred', 'smtp_rejected', 'no_email_address', 'retries_exhausted')),
	CONSTRAINT "notifications_email_sent" CHECK (email_status IS DISTINCT FROM 'sent' OR email_sent_at IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_recipient_account_fk" FOREIGN KEY ("tenant_id","recipient_account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_inbox" ON "notifications" USING btree ("tenant_id","recipient_account_id","created_at","id") WHERE in_app;--> statement-breakpoint
CREATE INDEX "notifications_email_undelivered" ON "notifications" USING btree ("tenant_id","created_at") WHERE email_status IN ('pending', 'failed');