CREATE TYPE "public"."campaign_send_group" AS ENUM('target', 'holdout', 'global_control');--> statement-breakpoint
CREATE TYPE "public"."campaign_send_status" AS ENUM('queued', 'sending', 'sent', 'delivered', 'bounced', 'complained', 'failed', 'skipped', 'held_out');--> statement-breakpoint
CREATE TYPE "public"."campaign_skip_reason" AS ENUM('no_consent', 'no_email', 'frequency_cap', 'unsubscribed');--> statement-breakpoint
ALTER TYPE "public"."campaign_kind" ADD VALUE 'survey_invite';--> statement-breakpoint
ALTER TYPE "public"."campaign_kind" ADD VALUE 'one_off';--> statement-breakpoint
CREATE TABLE "campaign_settings" (
	"tenant_id" uuid NOT NULL,
	"frequency_cap_count" integer DEFAULT 2 NOT NULL,
	"frequency_cap_days" integer DEFAULT 7 NOT NULL,
	"quiet_start" time DEFAULT '21:00' NOT NULL,
	"quiet_end" time DEFAULT '09:00' NOT NULL,
	"global_control_enabled" boolean DEFAULT false NOT NULL,
	"global_control_percent" integer DEFAULT 5 NOT NULL,
	"cogs_percent" integer DEFAULT 30 NOT NULL,
	"point_cost_minor" integer,
	"subscription_minor" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_settings_tenant_id_pk" PRIMARY KEY("tenant_id")
);
--> statement-breakpoint
CREATE TABLE "message_events" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"send_id" uuid,
	"provider_event_id" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "message_events_provider_event_key" UNIQUE("tenant_id","provider_event_id")
);
--> statement-breakpoint
ALTER TABLE "campaign_sends" DROP CONSTRAINT "campaign_sends_guest_key";--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "occasion" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "group" "campaign_send_group" DEFAULT 'target' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "status" "campaign_send_status" DEFAULT 'queued' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "skip_reason" "campaign_skip_reason";--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "provider_message_id" text;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "queued_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "unsubscribed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "bonus_ledger_entry_id" bigint;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "bonus_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "bonus_expiry_entry_id" bigint;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "holdout_percent" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "window_days" integer DEFAULT 14 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "bonus_expires_days" integer;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "days_before" integer;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "channel" text DEFAULT 'email' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "audience" jsonb;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "launched_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "finished_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "campaign_settings" ADD CONSTRAINT "campaign_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_events" ADD CONSTRAINT "message_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_events" ADD CONSTRAINT "message_events_tenant_id_send_id_campaign_sends_tenant_id_id_fk" FOREIGN KEY ("tenant_id","send_id") REFERENCES "public"."campaign_sends"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "message_events_send_idx" ON "message_events" USING btree ("tenant_id","send_id");--> statement-breakpoint
CREATE INDEX "campaign_sends_queue_idx" ON "campaign_sends" USING btree ("tenant_id","campaign_id","status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "campaign_sends_guest_sent_idx" ON "campaign_sends" USING btree ("tenant_id","guest_id","sent_at");--> statement-breakpoint
CREATE INDEX "campaign_sends_bonus_expiry_idx" ON "campaign_sends" USING btree ("tenant_id","bonus_expires_at") WHERE "campaign_sends"."bonus_expires_at" is not null and "campaign_sends"."bonus_expiry_entry_id" is null;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD CONSTRAINT "campaign_sends_occasion_key" UNIQUE("tenant_id","campaign_id","guest_id","occasion");--> statement-breakpoint
-- Rows written before this migration were sent already: they must not be picked up as queued.
UPDATE "campaign_sends" SET "status" = 'sent' WHERE "sent_at" IS NOT NULL;--> statement-breakpoint
-- Tenant tables like every other (0001_tenancy_rls.sql): RLS enabled and forced.
ALTER TABLE "campaign_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "campaign_settings" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "campaign_settings"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
ALTER TABLE "message_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "message_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "message_events"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
