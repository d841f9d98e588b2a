CREATE TABLE "loyalty_rule_versions" (
	"tenant_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"rules" jsonb NOT NULL,
	"retroactive" boolean DEFAULT false NOT NULL,
	"published_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_rule_versions_tenant_id_number_pk" PRIMARY KEY("tenant_id","number")
);
--> statement-breakpoint
ALTER TABLE "loyalty_tiers" DROP CONSTRAINT "loyalty_tiers_name_key";--> statement-breakpoint
ALTER TABLE "loyalty_tiers" DROP CONSTRAINT "loyalty_tiers_min_spend_key";--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "opening_exceptions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "pickup_enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "slot_minutes" integer DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE "loyalty_rule_versions" ADD CONSTRAINT "loyalty_rule_versions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_rule_versions" ADD CONSTRAINT "loyalty_rule_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_tiers_name_key" ON "loyalty_tiers" USING btree ("tenant_id","name") WHERE "loyalty_tiers"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_tiers_min_spend_key" ON "loyalty_tiers" USING btree ("tenant_id","min_spend") WHERE "loyalty_tiers"."active";--> statement-breakpoint
-- A tenant table like every other (0001_tenancy_rls.sql): RLS enabled and forced.
ALTER TABLE "loyalty_rule_versions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "loyalty_rule_versions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "loyalty_rule_versions"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
-- A published version raises the program's version (0006), so every app server reads the rules
-- again at its next request: the POS sees a new version at once, with no extra query per receipt.
CREATE TRIGGER loyalty_rule_versions_program_version AFTER INSERT OR UPDATE OR DELETE ON loyalty_rule_versions
  FOR EACH ROW EXECUTE FUNCTION raise_loyalty_program_version();
--> statement-breakpoint
-- The program as before (version 1: loyalty_programs and its active tiers), plus every later
-- version with its effective time, oldest first: server/loyalty/program.ts picks the one in force
-- at a given moment in memory (a version that starts at midnight needs no write at midnight).
CREATE OR REPLACE FUNCTION loyalty_program_json() RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'version', p.version,
    'currency', t.currency,
    'locale', t.locale,
    'maxRedeemPercent', p.max_redeem_percent,
    'welcomeBonus', p.welcome_bonus,
    'birthdayBonus', p.birthday_bonus,
    'surveyBonus', p.survey_bonus,
    'holdTtlSeconds', p.hold_ttl_seconds,
    'expireAfterInactiveDays', p.expire_after_inactive_days,
    'tiers', coalesce((
      SELECT json_agg(json_build_object('id', lt.id, 'name', lt.name, 'accrualPercent', lt.accrual_percent,
                                        'minSpend', lt.min_spend) ORDER BY lt.min_spend)
      FROM loyalty_tiers lt WHERE lt.active), '[]'::json),
    'versions', coalesce((
      SELECT json_agg(json_build_object('number', v.number, 'effectiveFrom', v.effective_from,
                                        'retroactive', v.retroactive, 'rules', v.rules)
                      ORDER BY v.effective_from, v.number)
      FROM loyalty_rule_versions v), '[]'::json))
  FROM loyalty_programs p JOIN tenants t ON t.id = p.tenant_id
$$;
