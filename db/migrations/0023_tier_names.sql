ALTER TABLE "loyalty_tiers" ADD COLUMN "names" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- The program as the app reads it carries each tier's names per language (server/loyalty/program.ts).
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
      SELECT json_agg(json_build_object('id', lt.id, 'name', lt.name, 'names', lt.names,
                                        'accrualPercent', lt.accrual_percent, 'minSpend', lt.min_spend)
                      ORDER BY lt.min_spend)
      FROM loyalty_tiers lt WHERE lt.active), '[]'::json),
    'versions', coalesce((
      SELECT json_agg(json_build_object('number', v.number, 'effectiveFrom', v.effective_from,
                                        'retroactive', v.retroactive, 'rules', v.rules)
                      ORDER BY v.effective_from, v.number)
      FROM loyalty_rule_versions v), '[]'::json))
  FROM loyalty_programs p JOIN tenants t ON t.id = p.tenant_id
$$;
--> statement-breakpoint
-- The default tiers every café started with get their names in both languages.
UPDATE loyalty_tiers SET names = CASE name
    WHEN 'Bronze' THEN '{"ru": "Бронза", "en": "Bronze"}'::jsonb
    WHEN 'Silver' THEN '{"ru": "Серебро", "en": "Silver"}'::jsonb
    WHEN 'Gold' THEN '{"ru": "Золото", "en": "Gold"}'::jsonb
  END
  WHERE names = '{}'::jsonb AND name IN ('Bronze', 'Silver', 'Gold');
--> statement-breakpoint
-- A guest's cancellation is stored as a code and said in the reader's language (server/orders/cancel-reason.ts).
UPDATE orders SET cancel_reason = 'cancelled_by_guest' WHERE cancel_reason = 'Cancelled by the guest';
