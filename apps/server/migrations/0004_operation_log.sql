CREATE TABLE "operation_log" (
	"tenant_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"logged_at" timestamp (3) with time zone NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"payload_digest" text NOT NULL,
	"prev_hash" "bytea" NOT NULL,
	"hash" "bytea" NOT NULL,
	"canonical" "bytea" NOT NULL,
	CONSTRAINT "operation_log_tenant_id_seq_pk" PRIMARY KEY("tenant_id","seq")
);
--> statement-breakpoint
CREATE TABLE "operation_log_checkpoints" (
	"tenant_id" uuid NOT NULL,
	"size" bigint NOT NULL,
	"head_hash" "bytea" NOT NULL,
	"key_name" text NOT NULL,
	"note" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operation_log_checkpoints_tenant_id_size_pk" PRIMARY KEY("tenant_id","size")
);
--> statement-breakpoint
CREATE TABLE "operation_log_heads" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operation_log_payloads" (
	"tenant_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"payload" jsonb,
	"erased_at" timestamp (3) with time zone,
	"erased_reason" text,
	CONSTRAINT "operation_log_payloads_tenant_id_seq_pk" PRIMARY KEY("tenant_id","seq")
);
--> statement-breakpoint
ALTER TABLE "operation_log" ADD CONSTRAINT "operation_log_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operation_log_checkpoints" ADD CONSTRAINT "operation_log_checkpoints_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operation_log_heads" ADD CONSTRAINT "operation_log_heads_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operation_log_payloads" ADD CONSTRAINT "operation_log_payloads_tenant_id_seq_operation_log_tenant_id_seq_fk" FOREIGN KEY ("tenant_id","seq") REFERENCES "public"."operation_log"("tenant_id","seq") ON DELETE no action ON UPDATE no action;