CREATE TABLE "rate_limits" (
	"key" varchar(255) PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" bigint
);
--> statement-breakpoint
CREATE INDEX "redemptions_guest_idx" ON "redemptions" USING btree ("tenant_id","guest_id","status");--> statement-breakpoint
-- Holds past their time across all tenants, for the sweeper that releases them (each release
-- then runs bound to its own tenant).
CREATE OR REPLACE FUNCTION due_holds(p_limit integer)
RETURNS TABLE (tenant_id uuid, guest_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT DISTINCT r.tenant_id, r.guest_id FROM (
    SELECT tenant_id, guest_id FROM redemptions
    WHERE status = 'held' AND expires_at <= now()
    ORDER BY expires_at LIMIT p_limit
  ) r
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION due_holds(integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION due_holds(integer) TO zerno_app;
