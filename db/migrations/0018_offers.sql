CREATE TYPE "public"."offer_kind" AS ENUM('percent_off', 'amount_off', 'free_item', 'points_multiplier', 'bonus_points');--> statement-breakpoint
CREATE TYPE "public"."offer_source" AS ENUM('personal', 'code', 'birthday', 'usual_plus_one', 'campaign');--> statement-breakpoint
CREATE TYPE "public"."offer_status" AS ENUM('active', 'paused', 'archived');--> statement-breakpoint
CREATE TYPE "public"."offer_use_status" AS ENUM('held', 'used', 'released', 'returned');--> statement-breakpoint
ALTER TYPE "public"."ledger_kind" ADD VALUE 'offer_points';--> statement-breakpoint
ALTER TYPE "public"."ledger_kind" ADD VALUE 'offer_points_reversal';--> statement-breakpoint
CREATE TABLE "guest_offers" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"offer_id" uuid NOT NULL,
	"guest_id" uuid NOT NULL,
	"source" "offer_source" NOT NULL,
	"grant_key" text DEFAULT '' NOT NULL,
	"skus" text[],
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"granted_by" uuid,
	"notified_at" timestamp with time zone,
	CONSTRAINT "guest_offers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "offer_uses" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"offer_id" uuid NOT NULL,
	"guest_id" uuid,
	"grant_id" uuid,
	"location_id" uuid NOT NULL,
	"receipt_id" uuid,
	"order_id" uuid,
	"status" "offer_use_status" NOT NULL,
	"discount" integer DEFAULT 0 NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"points_reversed" integer DEFAULT 0 NOT NULL,
	"lines" integer[],
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "offer_uses_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "offer_uses_discount_nonnegative" CHECK ("offer_uses"."discount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" "offer_kind" NOT NULL,
	"value" integer NOT NULL,
	"skus" text[] DEFAULT '{}'::text[] NOT NULL,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"valid_from" timestamp with time zone DEFAULT now() NOT NULL,
	"valid_until" timestamp with time zone,
	"min_check" integer DEFAULT 0 NOT NULL,
	"per_guest_limit" integer DEFAULT 1,
	"total_limit" integer,
	"uses_count" integer DEFAULT 0 NOT NULL,
	"location_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"status" "offer_status" DEFAULT 'active' NOT NULL,
	"source" "offer_source" NOT NULL,
	"code" text,
	"grant_days" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "offers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "offers_value_positive" CHECK ("offers"."value" > 0),
	CONSTRAINT "offers_percent_max" CHECK ("offers"."kind" <> 'percent_off' or "offers"."value" <= 100),
	CONSTRAINT "offers_uses_within_limit" CHECK ("offers"."total_limit" is null or "offers"."uses_count" <= "offers"."total_limit"),
	CONSTRAINT "offers_code_when_code_source" CHECK (("offers"."source" = 'code') = ("offers"."code" is not null))
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "offer_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "offer_discount" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "guest_offers" ADD CONSTRAINT "guest_offers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_offers" ADD CONSTRAINT "guest_offers_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_offers" ADD CONSTRAINT "guest_offers_tenant_id_offer_id_offers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","offer_id") REFERENCES "public"."offers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_offers" ADD CONSTRAINT "guest_offers_tenant_id_guest_id_guests_tenant_id_id_fk" FOREIGN KEY ("tenant_id","guest_id") REFERENCES "public"."guests"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_uses" ADD CONSTRAINT "offer_uses_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_uses" ADD CONSTRAINT "offer_uses_tenant_id_offer_id_offers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","offer_id") REFERENCES "public"."offers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_uses" ADD CONSTRAINT "offer_uses_tenant_id_guest_id_guests_tenant_id_id_fk" FOREIGN KEY ("tenant_id","guest_id") REFERENCES "public"."guests"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_uses" ADD CONSTRAINT "offer_uses_tenant_id_grant_id_guest_offers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","grant_id") REFERENCES "public"."guest_offers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_uses" ADD CONSTRAINT "offer_uses_tenant_id_location_id_locations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","location_id") REFERENCES "public"."locations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_uses" ADD CONSTRAINT "offer_uses_tenant_id_receipt_id_receipts_tenant_id_id_fk" FOREIGN KEY ("tenant_id","receipt_id") REFERENCES "public"."receipts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_uses" ADD CONSTRAINT "offer_uses_tenant_id_order_id_orders_tenant_id_id_fk" FOREIGN KEY ("tenant_id","order_id") REFERENCES "public"."orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "guest_offers_grant_key" ON "guest_offers" USING btree ("tenant_id","offer_id","guest_id","grant_key");--> statement-breakpoint
CREATE INDEX "guest_offers_guest_idx" ON "guest_offers" USING btree ("tenant_id","guest_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "offer_uses_receipt_key" ON "offer_uses" USING btree ("tenant_id","offer_id","receipt_id") WHERE "offer_uses"."receipt_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "offer_uses_order_key" ON "offer_uses" USING btree ("tenant_id","offer_id","order_id") WHERE "offer_uses"."order_id" is not null;--> statement-breakpoint
CREATE INDEX "offer_uses_guest_idx" ON "offer_uses" USING btree ("tenant_id","offer_id","guest_id","status");--> statement-breakpoint
CREATE INDEX "offer_uses_receipt_idx" ON "offer_uses" USING btree ("tenant_id","receipt_id") WHERE "offer_uses"."receipt_id" is not null;--> statement-breakpoint
CREATE INDEX "offer_uses_order_idx" ON "offer_uses" USING btree ("tenant_id","order_id") WHERE "offer_uses"."order_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "offers_code_key" ON "offers" USING btree ("tenant_id",lower("code")) WHERE "offers"."code" is not null;--> statement-breakpoint
CREATE INDEX "offers_status_idx" ON "offers" USING btree ("tenant_id","status","source");--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_tenant_id_offer_id_offers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","offer_id") REFERENCES "public"."offers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Tenant tables like every other (0001_tenancy_rls.sql): RLS enabled and forced.
ALTER TABLE "offers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "offers" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "offers"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
ALTER TABLE "guest_offers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "guest_offers" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "guest_offers"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
ALTER TABLE "offer_uses" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "offer_uses" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "offer_uses"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
