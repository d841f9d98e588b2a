CREATE TABLE "analytics_changes" (
	"tenant_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "analytics_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"guest_id" uuid,
	"location_id" uuid,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "analytics_changes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "analytics_settings" (
	"tenant_id" uuid NOT NULL,
	"sleeping_after_days" integer DEFAULT 30 NOT NULL,
	"lost_after_days" integer DEFAULT 90 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "analytics_settings_tenant_id_pk" PRIMARY KEY("tenant_id")
);
--> statement-breakpoint
CREATE TABLE "guest_location_days" (
	"tenant_id" uuid NOT NULL,
	"guest_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"day" date NOT NULL,
	"receipts" integer NOT NULL,
	"revenue" bigint NOT NULL,
	CONSTRAINT "guest_location_days_tenant_id_guest_id_location_id_day_pk" PRIMARY KEY("tenant_id","guest_id","location_id","day")
);
--> statement-breakpoint
CREATE TABLE "guest_stats" (
	"tenant_id" uuid NOT NULL,
	"guest_id" uuid NOT NULL,
	"visits" integer DEFAULT 0 NOT NULL,
	"pos_visits" integer DEFAULT 0 NOT NULL,
	"online_visits" integer DEFAULT 0 NOT NULL,
	"first_visit_at" timestamp with time zone,
	"last_visit_at" timestamp with time zone,
	"spend" bigint DEFAULT 0 NOT NULL,
	"median_gap_days" real,
	"usual_weekday" smallint,
	"usual_hour" smallint,
	"favourite_sku" text,
	"favourite_name" text,
	"favourite_count" integer,
	"location_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"p_active" real,
	"expected_visits_30d" real,
	"segment" text,
	"rfm_recency" smallint,
	"rfm_frequency" smallint,
	"rfm_monetary" smallint,
	"rhythm_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guest_stats_tenant_id_guest_id_pk" PRIMARY KEY("tenant_id","guest_id")
);
--> statement-breakpoint
CREATE TABLE "location_hour_stats" (
	"tenant_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"day" date NOT NULL,
	"hour" smallint NOT NULL,
	"receipts" integer DEFAULT 0 NOT NULL,
	"revenue" bigint DEFAULT 0 NOT NULL,
	"identified_receipts" integer DEFAULT 0 NOT NULL,
	"online_receipts" integer DEFAULT 0 NOT NULL,
	"online_revenue" bigint DEFAULT 0 NOT NULL,
	"points_earned" integer DEFAULT 0 NOT NULL,
	"points_redeemed" integer DEFAULT 0 NOT NULL,
	"refunds" integer DEFAULT 0 NOT NULL,
	"refunded_amount" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "location_hour_stats_tenant_id_location_id_day_hour_pk" PRIMARY KEY("tenant_id","location_id","day","hour")
);
--> statement-breakpoint
CREATE TABLE "product_day_stats" (
	"tenant_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"day" date NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"quantity" double precision NOT NULL,
	"revenue" bigint NOT NULL,
	"receipts" integer NOT NULL,
	CONSTRAINT "product_day_stats_tenant_id_location_id_day_sku_pk" PRIMARY KEY("tenant_id","location_id","day","sku")
);
--> statement-breakpoint
CREATE TABLE "product_pair_stats" (
	"tenant_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"sku_a" text NOT NULL,
	"sku_b" text NOT NULL,
	"name_a" text NOT NULL,
	"name_b" text NOT NULL,
	"receipts" integer NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "product_pair_stats_tenant_id_location_id_sku_a_sku_b_pk" PRIMARY KEY("tenant_id","location_id","sku_a","sku_b")
);
--> statement-breakpoint
CREATE TABLE "rhythm_fits" (
	"tenant_id" uuid NOT NULL,
	"fitted_at" timestamp with time zone NOT NULL,
	"r" double precision NOT NULL,
	"alpha" double precision NOT NULL,
	"a" double precision NOT NULL,
	"b" double precision NOT NULL,
	"log_likelihood" double precision NOT NULL,
	"guests" integer NOT NULL,
	"patterns" integer NOT NULL,
	"duration_ms" integer NOT NULL,
	CONSTRAINT "rhythm_fits_tenant_id_fitted_at_pk" PRIMARY KEY("tenant_id","fitted_at")
);
--> statement-breakpoint
ALTER TABLE "analytics_changes" ADD CONSTRAINT "analytics_changes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_settings" ADD CONSTRAINT "analytics_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_location_days" ADD CONSTRAINT "guest_location_days_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_location_days" ADD CONSTRAINT "guest_location_days_tenant_id_guest_id_guests_tenant_id_id_fk" FOREIGN KEY ("tenant_id","guest_id") REFERENCES "public"."guests"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_location_days" ADD CONSTRAINT "guest_location_days_tenant_id_location_id_locations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","location_id") REFERENCES "public"."locations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_stats" ADD CONSTRAINT "guest_stats_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_stats" ADD CONSTRAINT "guest_stats_tenant_id_guest_id_guests_tenant_id_id_fk" FOREIGN KEY ("tenant_id","guest_id") REFERENCES "public"."guests"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "location_hour_stats" ADD CONSTRAINT "location_hour_stats_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "location_hour_stats" ADD CONSTRAINT "location_hour_stats_tenant_id_location_id_locations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","location_id") REFERENCES "public"."locations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_day_stats" ADD CONSTRAINT "product_day_stats_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_day_stats" ADD CONSTRAINT "product_day_stats_tenant_id_location_id_locations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","location_id") REFERENCES "public"."locations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_pair_stats" ADD CONSTRAINT "product_pair_stats_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_pair_stats" ADD CONSTRAINT "product_pair_stats_tenant_id_location_id_locations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","location_id") REFERENCES "public"."locations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rhythm_fits" ADD CONSTRAINT "rhythm_fits_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "guest_location_days_day_idx" ON "guest_location_days" USING btree ("tenant_id","day","location_id");--> statement-breakpoint
CREATE INDEX "guest_stats_last_visit_idx" ON "guest_stats" USING btree ("tenant_id","last_visit_at","guest_id");--> statement-breakpoint
CREATE INDEX "guest_stats_spend_idx" ON "guest_stats" USING btree ("tenant_id","spend","guest_id");--> statement-breakpoint
CREATE INDEX "guest_stats_visits_idx" ON "guest_stats" USING btree ("tenant_id","visits","guest_id");--> statement-breakpoint
CREATE INDEX "guest_stats_segment_idx" ON "guest_stats" USING btree ("tenant_id","segment","last_visit_at","guest_id");--> statement-breakpoint
CREATE INDEX "guest_stats_locations_idx" ON "guest_stats" USING gin ("location_ids");--> statement-breakpoint
CREATE INDEX "location_hour_stats_day_idx" ON "location_hour_stats" USING btree ("tenant_id","day");--> statement-breakpoint
CREATE INDEX "product_day_stats_day_idx" ON "product_day_stats" USING btree ("tenant_id","day");--> statement-breakpoint
ALTER TABLE "analytics_changes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analytics_changes" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "analytics_changes"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE "location_hour_stats" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "location_hour_stats" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "location_hour_stats"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE "guest_location_days" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "guest_location_days" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "guest_location_days"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE "product_day_stats" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "product_day_stats" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "product_day_stats"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE "product_pair_stats" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "product_pair_stats" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "product_pair_stats"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE "guest_stats" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "guest_stats" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "guest_stats"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE "rhythm_fits" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "rhythm_fits" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "rhythm_fits"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE "analytics_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analytics_settings" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "analytics_settings"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
