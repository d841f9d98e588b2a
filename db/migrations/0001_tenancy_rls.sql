-- Tenancy rules drizzle-kit cannot express (DESIGN.md): forced RLS on every tenant table,
-- the unprivileged application role, the append-only ledger, and the two lookups that must
-- run before a tenant is known.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zerno_app') THEN
    CREATE ROLE zerno_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END $$;
--> statement-breakpoint

-- Every table with a tenant_id column is a tenant table: RLS enabled and forced (so even the
-- table owner is subject to it). An unset app.tenant_id reads as NULL, which matches no row.
DO $$
DECLARE t record;
BEGIN
  FOR t IN
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
    WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND tb.table_type = 'BASE TABLE'
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.table_name);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t.table_name);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t.table_name);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = (SELECT nullif(current_setting(''app.tenant_id'', true), '''')::uuid)) WITH CHECK (tenant_id = (SELECT nullif(current_setting(''app.tenant_id'', true), '''')::uuid))',
      t.table_name);
  END LOOP;
END $$;
--> statement-breakpoint

GRANT USAGE ON SCHEMA public TO zerno_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO zerno_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO zerno_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO zerno_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO zerno_app;
--> statement-breakpoint

-- The ledger is append-only, for every role including the owner.
REVOKE UPDATE, DELETE ON ledger_entries FROM zerno_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();
--> statement-breakpoint

-- A POS key arrives before its tenant is known. This definer function (owned by the migrating
-- superuser, so it passes RLS) answers one hash with the key's tenant, location and whether the
-- tenant's subscription lets it work (past_due is Stripe's grace period), nothing else.
CREATE OR REPLACE FUNCTION pos_key_lookup(p_key_hash text)
RETURNS TABLE (tenant_id uuid, key_id uuid, location_id uuid, revoked_at timestamptz, subscription_active boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT k.tenant_id, k.id, k.location_id, k.revoked_at,
         coalesce(s.status IN ('active', 'past_due')
                  OR (s.status = 'trialing' AND (s.trial_ends_at IS NULL OR s.trial_ends_at > now())), false)
  FROM pos_api_keys k
  LEFT JOIN subscriptions s ON s.tenant_id = k.tenant_id
  WHERE k.key_hash = p_key_hash
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION pos_key_lookup(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION pos_key_lookup(text) TO zerno_app;
--> statement-breakpoint

-- The tenants a staff member belongs to, for the tenant switcher, before a tenant is chosen.
CREATE OR REPLACE FUNCTION staff_memberships_of(p_user_id uuid)
RETURNS TABLE (tenant_id uuid, role staff_role)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT m.tenant_id, m.role FROM memberships m WHERE m.user_id = p_user_id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION staff_memberships_of(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION staff_memberships_of(uuid) TO zerno_app;
