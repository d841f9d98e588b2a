ALTER TABLE "subscriptions" ADD COLUMN "billing_interval" text;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "quantity" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "provider_price_id" text;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "cancel_at_period_end" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "past_due_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "storefront_opened_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "loyalty_reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
-- Cafés that existed before sign-up were set up by the operator: their storefronts are public.
UPDATE "tenants" SET "storefront_opened_at" = "created_at", "loyalty_reviewed_at" = "created_at";
--> statement-breakpoint
-- The trial is a trial of Pro (server/billing/plans.ts).
UPDATE "subscriptions" SET "plan" = 'pro' WHERE "plan" = 'trial';
--> statement-breakpoint
-- A Stripe webhook names a customer, not a tenant: this definer lookup (it passes RLS) answers
-- which café a billing customer is, before the request can be bound to it.
CREATE OR REPLACE FUNCTION tenant_of_billing_customer(p_customer_id text)
RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT s.tenant_id FROM subscriptions s WHERE s.provider_customer_id = p_customer_id LIMIT 1
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION tenant_of_billing_customer(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tenant_of_billing_customer(text) TO zerno_app;
--> statement-breakpoint
-- The same rule as accessOf (server/billing/entitlements.ts): past_due keeps working for 7 days
-- of grace (Stripe retries the card meanwhile); a first payment still incomplete does not end a
-- running trial.
DROP FUNCTION pos_key_state(uuid);
--> statement-breakpoint
CREATE FUNCTION pos_key_state(p_key_id uuid)
RETURNS TABLE (key_active boolean, subscription_active boolean, program_version bigint, plan text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT k.revoked_at IS NULL,
         coalesce(s.status = 'active'
                  OR (s.status = 'past_due' AND (s.past_due_since IS NULL OR s.past_due_since > now() - interval '168 hours'))
                  OR (s.status = 'trialing' AND (s.trial_ends_at IS NULL OR s.trial_ends_at > now()))
                  OR (s.status = 'incomplete' AND s.trial_ends_at > now()), false),
         p.version,
         s.plan
  FROM pos_api_keys k
  LEFT JOIN subscriptions s ON s.tenant_id = k.tenant_id
  LEFT JOIN loyalty_programs p ON p.tenant_id = k.tenant_id
  WHERE k.id = p_key_id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION pos_key_state(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION pos_key_state(uuid) TO zerno_app;
