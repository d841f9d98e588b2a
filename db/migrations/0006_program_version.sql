-- Versions come from one sequence, never reused (a program deleted and created again, say).
CREATE SEQUENCE loyalty_program_versions;--> statement-breakpoint
GRANT USAGE ON SEQUENCE loyalty_program_versions TO zerno_app;--> statement-breakpoint
ALTER TABLE "loyalty_programs" ADD COLUMN "version" bigint DEFAULT nextval('loyalty_program_versions') NOT NULL;--> statement-breakpoint

-- Any change of what a program reads raises its version (see loyalty_program_json below).
-- SECURITY DEFINER: the program's row is raised whatever tenant the changing transaction is bound
-- to (tenants has no RLS; a change there must still reach its café's program).
CREATE OR REPLACE FUNCTION raise_loyalty_program_version() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_TABLE_NAME = 'loyalty_programs' THEN
    NEW.version := nextval('loyalty_program_versions');
    RETURN NEW;
  END IF;
  -- Separate statements: a field missing from the changed table's row fails even in a branch not taken.
  IF TG_TABLE_NAME = 'tenants' THEN
    UPDATE loyalty_programs SET version = nextval('loyalty_program_versions') WHERE tenant_id = NEW.id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE loyalty_programs SET version = nextval('loyalty_program_versions') WHERE tenant_id = OLD.tenant_id;
  ELSE
    UPDATE loyalty_programs SET version = nextval('loyalty_program_versions') WHERE tenant_id = NEW.tenant_id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER loyalty_programs_version BEFORE UPDATE ON loyalty_programs
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION raise_loyalty_program_version();
--> statement-breakpoint
CREATE TRIGGER loyalty_tiers_program_version AFTER INSERT OR UPDATE OR DELETE ON loyalty_tiers
  FOR EACH ROW EXECUTE FUNCTION raise_loyalty_program_version();
--> statement-breakpoint
CREATE TRIGGER tenants_program_version AFTER UPDATE OF currency, locale ON tenants
  FOR EACH ROW WHEN (OLD.currency IS DISTINCT FROM NEW.currency OR OLD.locale IS DISTINCT FROM NEW.locale)
  EXECUTE FUNCTION raise_loyalty_program_version();
--> statement-breakpoint

-- The loyalty rules of the tenant bound to the transaction (RLS shows only its rows), as one JSON
-- value with its version: tiers by rising minSpend. server/loyalty/program.ts reads it.
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
      FROM loyalty_tiers lt WHERE lt.active), '[]'::json))
  FROM loyalty_programs p JOIN tenants t ON t.id = p.tenant_id
$$;
--> statement-breakpoint

-- What a POS request needs to know of its key before anything else, whatever tenant the
-- transaction is bound to (so it can be read in the statement that binds it): whether the key
-- and the café's subscription are active, and the version of the café's program.
CREATE OR REPLACE FUNCTION pos_key_state(p_key_id uuid)
RETURNS TABLE (key_active boolean, subscription_active boolean, program_version bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT k.revoked_at IS NULL,
         coalesce(s.status IN ('active', 'past_due')
                  OR (s.status = 'trialing' AND (s.trial_ends_at IS NULL OR s.trial_ends_at > now())), false),
         p.version
  FROM pos_api_keys k
  LEFT JOIN subscriptions s ON s.tenant_id = k.tenant_id
  LEFT JOIN loyalty_programs p ON p.tenant_id = k.tenant_id
  WHERE k.id = p_key_id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION pos_key_state(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION pos_key_state(uuid) TO zerno_app;
