import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { Tier } from "./formulas";

export type Program = {
  currency: string;
  locale: string;
  tiers: Tier[];
  maxRedeemPercent: number;
  welcomeBonus: number;
  birthdayBonus: number;
  surveyBonus: number;
  holdTtlSeconds: number;
  expireAfterInactiveDays: number | null;
  /** Asked for by POS requests, in the same query: their key's state and the subscription's. */
  key?: { active: boolean; subscriptionActive: boolean };
};

/**
 * The loyalty rules of the tenant bound to `tx`, tiers by rising minSpend, in one round trip;
 * with `keyId`, also whether that POS key and the subscription are active.
 */
export async function loadProgram(tx: Tx, options: { keyId?: string } = {}): Promise<Program> {
  const [row] = await tx.execute<{
    currency: string;
    locale: string;
    max_redeem_percent: number;
    welcome_bonus: number;
    birthday_bonus: number;
    survey_bonus: number;
    hold_ttl_seconds: number;
    expire_after_inactive_days: number | null;
    tiers: Tier[];
    key_active: boolean | null;
    subscription_active: boolean | null;
  }>(sql`
    select t.currency, t.locale, p.max_redeem_percent, p.welcome_bonus, p.birthday_bonus, p.survey_bonus,
           p.hold_ttl_seconds, p.expire_after_inactive_days,
           (select json_agg(json_build_object('id', lt.id, 'name', lt.name, 'accrualPercent', lt.accrual_percent,
                                              'minSpend', lt.min_spend) order by lt.min_spend)
              from loyalty_tiers lt where lt.active) as tiers,
           ${
             options.keyId
               ? sql`(select k.revoked_at is null from pos_api_keys k where k.id = ${options.keyId}) as key_active,
                     (select s.status in ('active', 'past_due')
                             or (s.status = 'trialing' and (s.trial_ends_at is null or s.trial_ends_at > now()))
                      from subscriptions s) as subscription_active`
               : sql`null as key_active, null as subscription_active`
           }
    from loyalty_programs p join tenants t on t.id = p.tenant_id`);
  if (!row) throw new Error("The tenant has no loyalty program");
  return {
    currency: row.currency,
    locale: row.locale,
    tiers: row.tiers ?? [],
    maxRedeemPercent: row.max_redeem_percent,
    welcomeBonus: row.welcome_bonus,
    birthdayBonus: row.birthday_bonus,
    surveyBonus: row.survey_bonus,
    holdTtlSeconds: row.hold_ttl_seconds,
    expireAfterInactiveDays: row.expire_after_inactive_days,
    key: options.keyId
      ? { active: row.key_active === true, subscriptionActive: row.subscription_active === true }
      : undefined,
  };
}

export function tierName(program: Program, tierId: string): string {
  return program.tiers.find((tier) => tier.id === tierId)?.name ?? "";
}
