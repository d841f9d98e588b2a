ALTER TYPE "public"."ledger_kind" ADD VALUE 'import';--> statement-breakpoint
ALTER TYPE "public"."ledger_kind" ADD VALUE 'import_undo';--> statement-breakpoint
CREATE TABLE "guest_import_batches" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text,
	"format" text,
	"header" text[],
	"row_count" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'reading' NOT NULL,
	"preset" text,
	"mapping" jsonb,
	"balance_mode" text DEFAULT 'add' NOT NULL,
	"tier_mode" text DEFAULT 'carry' NOT NULL,
	"report" jsonb,
	"file_total" bigint,
	"ledger_total" bigint,
	"reconciled" boolean,
	"job" text,
	"progress_done" integer DEFAULT 0 NOT NULL,
	"progress_total" integer DEFAULT 0 NOT NULL,
	"heartbeat_at" timestamp with time zone,
	"job_error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	"undone_at" timestamp with time zone,
	CONSTRAINT "guest_import_batches_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "guest_import_mappings" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"columns" jsonb NOT NULL,
	"balance_mode" text NOT NULL,
	"tier_mode" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guest_import_mappings_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "guest_import_mappings_name_key" UNIQUE("tenant_id","name")
);
--> statement-breakpoint
CREATE TABLE "guest_import_rows" (
	"tenant_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"row_no" integer NOT NULL,
	"cells" text[] NOT NULL,
	CONSTRAINT "guest_import_rows_tenant_id_batch_id_row_no_pk" PRIMARY KEY("tenant_id","batch_id","row_no")
);
--> statement-breakpoint
ALTER TABLE "guest_consents" ADD COLUMN "import_batch_id" uuid;--> statement-breakpoint
ALTER TABLE "guests" ADD COLUMN "import_batch_id" uuid;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "import_batch_id" uuid;--> statement-breakpoint
ALTER TABLE "guest_import_batches" ADD CONSTRAINT "guest_import_batches_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_import_batches" ADD CONSTRAINT "guest_import_batches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_import_mappings" ADD CONSTRAINT "guest_import_mappings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_import_rows" ADD CONSTRAINT "guest_import_rows_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_import_rows" ADD CONSTRAINT "guest_import_rows_tenant_id_batch_id_guest_import_batches_tenant_id_id_fk" FOREIGN KEY ("tenant_id","batch_id") REFERENCES "public"."guest_import_batches"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "guest_import_batches_applied_file" ON "guest_import_batches" USING btree ("tenant_id","file_sha256") WHERE "guest_import_batches"."status" = 'applied';--> statement-breakpoint
ALTER TABLE "guest_consents" ADD CONSTRAINT "guest_consents_tenant_id_import_batch_id_guest_import_batches_tenant_id_id_fk" FOREIGN KEY ("tenant_id","import_batch_id") REFERENCES "public"."guest_import_batches"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guests" ADD CONSTRAINT "guests_tenant_id_import_batch_id_guest_import_batches_tenant_id_id_fk" FOREIGN KEY ("tenant_id","import_batch_id") REFERENCES "public"."guest_import_batches"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_tenant_id_import_batch_id_guest_import_batches_tenant_id_id_fk" FOREIGN KEY ("tenant_id","import_batch_id") REFERENCES "public"."guest_import_batches"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_import_batch_idx" ON "ledger_entries" USING btree ("tenant_id","import_batch_id") WHERE "ledger_entries"."import_batch_id" is not null;--> statement-breakpoint
-- Tenant tables like every other (0001_tenancy_rls.sql): RLS enabled and forced.
ALTER TABLE "guest_import_batches" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "guest_import_batches" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "guest_import_batches"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
ALTER TABLE "guest_import_rows" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "guest_import_rows" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "guest_import_rows"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
ALTER TABLE "guest_import_mappings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "guest_import_mappings" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "guest_import_mappings"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
