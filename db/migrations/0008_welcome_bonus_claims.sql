CREATE TABLE "welcome_bonus_claims" (
	"tenant_id" uuid NOT NULL,
	"identity_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "welcome_bonus_claims_tenant_id_identity_hash_pk" PRIMARY KEY("tenant_id","identity_hash")
);
--> statement-breakpoint
ALTER TABLE "welcome_bonus_claims" ADD CONSTRAINT "welcome_bonus_claims_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A tenant table like every other (0001_tenancy_rls.sql): RLS enabled and forced.
ALTER TABLE "welcome_bonus_claims" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "welcome_bonus_claims" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "welcome_bonus_claims"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
