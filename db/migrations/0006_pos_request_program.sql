-- The loyalty rules of the tenant bound to the transaction (RLS shows only its rows), as one JSON
-- value: tiers by rising minSpend; with a POS key id, whether that key and the subscription are
-- active. server/loyalty/program.ts reads it; the POS reads it while binding the tenant (below).
CREATE OR REPLACE FUNCTION loyalty_program_json(p_key_id uuid) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
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
    'keyActive', (SELECT k.revoked_at IS NULL FROM pos_api_keys k WHERE k.id = p_key_id),
    'subscriptionActive', (
      SELECT s.status IN ('active', 'past_due') OR (s.status = 'trialing' AND (s.trial_ends_at IS NULL OR s.trial_ends_at > now()))
      FROM subscriptions s))
  FROM loyalty_programs p JOIN tenants t ON t.id = p.tenant_id
$$;
--> statement-breakpoint

-- What every POS request starts with, in one round trip: bind the transaction to the key's tenant
-- (set_config(…, true), as withTenant does) and read its program with the key's state. Not
-- SECURITY DEFINER and without a SET clause (which would undo the binding on return): the read
-- runs as the caller, under RLS, for the tenant just bound.
CREATE OR REPLACE FUNCTION bind_tenant_program(p_tenant_id uuid, p_key_id uuid) RETURNS json
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  RETURN loyalty_program_json(p_key_id);
END
$$;
