CREATE TABLE "staff_preferences" (
	"tenant_id" uuid NOT NULL,
	"membership_id" uuid NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_preferences_tenant_id_membership_id_key_pk" PRIMARY KEY("tenant_id","membership_id","key")
);
--> statement-breakpoint
ALTER TABLE "staff_preferences" ADD CONSTRAINT "staff_preferences_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_preferences" ADD CONSTRAINT "staff_preferences_tenant_id_membership_id_memberships_tenant_id_id_fk" FOREIGN KEY ("tenant_id","membership_id") REFERENCES "public"."memberships"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "guests_name_sort_idx" ON "guests" USING btree ("tenant_id",lower("name"),"id");--> statement-breakpoint
CREATE INDEX "guests_balance_sort_idx" ON "guests" USING btree ("tenant_id","balance","id");--> statement-breakpoint
CREATE INDEX "orders_guest_idx" ON "orders" USING btree ("tenant_id","guest_id","created_at");--> statement-breakpoint
CREATE INDEX "refunds_receipt_idx" ON "refunds" USING btree ("tenant_id","receipt_id");--> statement-breakpoint
-- A tenant table like every other (0001_tenancy_rls.sql): RLS enabled and forced.
ALTER TABLE "staff_preferences" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "staff_preferences" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "staff_preferences"
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
