CREATE TABLE "log_reviews" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"reviewed_by" uuid NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"from_seq" bigint NOT NULL,
	"to_seq" bigint NOT NULL,
	"result" text NOT NULL,
	"findings" text NOT NULL,
	"reviewed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"log_seq" bigint NOT NULL,
	"log_digest" text NOT NULL,
	CONSTRAINT "log_reviews_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "log_reviews" ADD CONSTRAINT "log_reviews_tenant_id_reviewed_by_accounts_tenant_id_id_fk" FOREIGN KEY ("tenant_id","reviewed_by") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_reviews" ADD CONSTRAINT "log_reviews_tenant_id_log_seq_operation_log_tenant_id_seq_fk" FOREIGN KEY ("tenant_id","log_seq") REFERENCES "public"."operation_log"("tenant_id","seq") ON DELETE no action ON UPDATE no action;