CREATE TABLE "data_export_chunks" (
	"tenant_id" uuid NOT NULL,
	"export_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "data_export_chunks_tenant_id_export_id_seq_pk" PRIMARY KEY("tenant_id","export_id","seq")
);
--> statement-breakpoint
CREATE TABLE "data_exports" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"requested_by" uuid,
	"with_personal_data" boolean NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"rows_total" bigint DEFAULT 0 NOT NULL,
	"rows_done" bigint DEFAULT 0 NOT NULL,
	"tables_total" integer DEFAULT 0 NOT NULL,
	"tables_done" integer DEFAULT 0 NOT NULL,
	"bytes" bigint,
	"sha256" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	CONSTRAINT "data_exports_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "location_prices" (
	"tenant_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"variant_slug" text DEFAULT '' NOT NULL,
	"price" integer NOT NULL,
	CONSTRAINT "location_prices_tenant_id_location_id_product_id_variant_slug_pk" PRIMARY KEY("tenant_id","location_id","product_id","variant_slug")
);
--> statement-breakpoint
CREATE TABLE "menu_import_batches" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"format" text NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"summary" jsonb NOT NULL,
	"changes" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone,
	CONSTRAINT "menu_import_batches_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "modifier_option_stop_list" (
	"tenant_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"option_id" uuid NOT NULL,
	"sold_out_on" date NOT NULL,
	CONSTRAINT "modifier_option_stop_list_tenant_id_location_id_option_id_pk" PRIMARY KEY("tenant_id","location_id","option_id")
);
--> statement-breakpoint
CREATE TABLE "product_variants" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"translations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sku" text,
	"price" integer NOT NULL,
	"prep_minutes_delta" integer DEFAULT 0 NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "product_variants_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "product_variants_slug_key" UNIQUE("tenant_id","product_id","slug"),
	CONSTRAINT "product_variants_sku_key" UNIQUE("tenant_id","sku")
);
--> statement-breakpoint
CREATE TABLE "guest_sessions" (
	"session_token" text PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"expires" timestamp with time zone NOT NULL,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "guests" ADD COLUMN "online_blocked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "menu_categories" ADD COLUMN "translations" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "menu_categories" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "modifier_groups" ADD COLUMN "translations" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "modifier_groups" ADD COLUMN "max_per_option" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "modifier_groups" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "modifier_options" ADD COLUMN "translations" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "modifier_options" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "translations" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "vat_rate" integer;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "photo_key" text;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "variant_slug" text;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "variant_name" text;--> statement-breakpoint
ALTER TABLE "security_events" ADD COLUMN "in_tenant_id" uuid;--> statement-breakpoint
ALTER TABLE "staff_invitations" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff_invitations" ADD COLUMN "replaced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "data_export_chunks" ADD CONSTRAINT "data_export_chunks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_export_chunks" ADD CONSTRAINT "data_export_chunks_tenant_id_export_id_data_exports_tenant_id_id_fk" FOREIGN KEY ("tenant_id","export_id") REFERENCES "public"."data_exports"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_exports" ADD CONSTRAINT "data_exports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_exports" ADD CONSTRAINT "data_exports_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "location_prices" ADD CONSTRAINT "location_prices_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "location_prices" ADD CONSTRAINT "location_prices_tenant_id_location_id_locations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","location_id") REFERENCES "public"."locations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "location_prices" ADD CONSTRAINT "location_prices_tenant_id_product_id_products_tenant_id_id_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "menu_import_batches" ADD CONSTRAINT "menu_import_batches_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "menu_import_batches" ADD CONSTRAINT "menu_import_batches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "modifier_option_stop_list" ADD CONSTRAINT "modifier_option_stop_list_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "modifier_option_stop_list" ADD CONSTRAINT "modifier_option_stop_list_tenant_id_location_id_locations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","location_id") REFERENCES "public"."locations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "modifier_option_stop_list" ADD CONSTRAINT "modifier_option_stop_list_tenant_id_option_id_modifier_options_tenant_id_id_fk" FOREIGN KEY ("tenant_id","option_id") REFERENCES "public"."modifier_options"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_variants" ADD CONSTRAINT "product_variants_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_variants" ADD CONSTRAINT "product_variants_tenant_id_product_id_products_tenant_id_id_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_sessions" ADD CONSTRAINT "guest_sessions_account_id_guest_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."guest_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "guest_sessions_account_idx" ON "guest_sessions" USING btree ("account_id");--> statement-breakpoint
ALTER TABLE "security_events" ADD CONSTRAINT "security_events_in_tenant_id_tenants_id_fk" FOREIGN KEY ("in_tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "security_events_user_time_idx" ON "security_events" USING btree ("user_id","created_at");--> statement-breakpoint
-- Invitations the old code closed by moving their expiry count as replaced, and of two open ones
-- to one email (an old race) all but the newest: one live invitation per email.
UPDATE "staff_invitations" SET "replaced_at" = "expires_at" WHERE "accepted_at" IS NULL AND "expires_at" <= now();--> statement-breakpoint
UPDATE "staff_invitations" i SET "replaced_at" = now()
  WHERE i."accepted_at" IS NULL AND i."replaced_at" IS NULL AND EXISTS (
    SELECT 1 FROM "staff_invitations" newer
    WHERE newer."tenant_id" = i."tenant_id" AND lower(newer."email") = lower(i."email")
      AND newer."accepted_at" IS NULL AND newer."replaced_at" IS NULL AND newer."created_at" > i."created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_invitations_live_email_key" ON "staff_invitations" USING btree ("tenant_id",lower("email")) WHERE "staff_invitations"."accepted_at" is null and "staff_invitations"."withdrawn_at" is null and "staff_invitations"."replaced_at" is null;--> statement-breakpoint
-- Tenant tables like every other (0001_tenancy_rls.sql): RLS enabled and forced.
ALTER TABLE "product_variants" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "product_variants" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "product_variants"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE "location_prices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "location_prices" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "location_prices"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE "modifier_option_stop_list" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "modifier_option_stop_list" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "modifier_option_stop_list"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE "menu_import_batches" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "menu_import_batches" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "menu_import_batches"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
