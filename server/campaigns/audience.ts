import { createHash } from "node:crypto";
import { eq, type SQL, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { campaigns, tenants } from "@/db/schema";
import { DIRECTORY_SEGMENTS, filterConditions } from "../guests/directory";
import { parseDirectoryParams } from "../guests/directory-params";
import { loadCampaignSettings } from "./settings";

/** What one selection added: every new row is eligible; target = queued to be sent. */
export type AudienceCounts = {
  eligible: number;
  target: number;
  heldOut: number;
  skipped: number;
  skippedBy: { no_consent: number; no_email: number; frequency_cap: number };
};

/** A birthday campaign without its own lead time is sent this many days before. */
export const DEFAULT_BIRTHDAY_DAYS_BEFORE = 7;
/** The survey invitation goes to guests from this visit on. */
export const SURVEY_AFTER_VISITS = 3;

/** sha256 of the key, its first 8 hex digits as an unsigned 32-bit number. */
function score(key: string): number {
  return Number.parseInt(createHash("sha256").update(key, "utf8").digest("hex").slice(0, 8), 16);
}

/**
 * Whether a guest is in a campaign's hold-out: a deterministic hash of café, campaign and guest,
 * so the group never flips however often selection runs. Compared in integers (score × 100 <
 * percent × 2³²), exactly as the SQL below does, so the two never disagree at the boundary.
 */
export function inHoldout(tenantId: string, campaignId: string, guestId: string, percent: number): boolean {
  return score(`${tenantId}:${campaignId}:${guestId}`) * 100 < percent * 2 ** 32;
}

/** Whether a guest is in the café's global control group of a month (`yyyy-mm`, re-drawn monthly). */
export function inGlobalControl(tenantId: string, month: string, guestId: string, percent: number): boolean {
  return score(`${tenantId}:control:${month}:${guestId}`) * 100 < percent * 2 ** 32;
}

/** The SQL twin of `score` over a text key. */
const scoreSql = (key: SQL) =>
  sql`('x' || substr(encode(sha256(convert_to(${key}, 'UTF8')), 'hex'), 1, 8))::bit(32)::bigint`;

/** SQL: is the guest (column `guestId`) in the hold-out — the twin of `inHoldout`. */
export function holdoutSql(tenantId: string, campaignId: string, guestId: SQL, percent: number): SQL {
  return sql`(${scoreSql(sql`${`${tenantId}:${campaignId}:`} || ${guestId}::text`)} * 100 < ${percent}::bigint * 4294967296)`;
}

/** SQL: is the guest in the global control group of `month` — the twin of `inGlobalControl`. */
export function globalControlSql(tenantId: string, month: string, guestId: SQL, percent: number): SQL {
  return sql`(${scoreSql(sql`${`${tenantId}:control:${month}:`} || ${guestId}::text`)} * 100 < ${percent}::bigint * 4294967296)`;
}

type Campaign = typeof campaigns.$inferSelect;

/** The guests (g, with guest_stats gs) a campaign reaches now, with the occasion of each: (guest_id, occasion). */
function candidates(campaign: Campaign, timezone: string, now: Date): SQL {
  const from = sql`from guests g left join guest_stats gs on gs.tenant_id = g.tenant_id and gs.guest_id = g.id`;
  const alive = sql`g.deleted_at is null and g.blocked_at is null`;
  const today = sql`(${now.toISOString()}::timestamptz at time zone ${timezone})::date`;
  switch (campaign.kind) {
    case "win_back":
      // The occasion is the last visit before the guest fell asleep: one who comes back and
      // sleeps again has a new last visit, so can be won back again — once per sleep.
      return sql`select g.id as guest_id,
          to_char((gs.last_visit_at at time zone ${timezone})::date, 'YYYY-MM-DD') as occasion
        ${from} where ${alive} and gs.segment = 'sleeping' and gs.last_visit_at is not null`;
    case "birthday": {
      // Every birthday from today to N days ahead, so a day the job did not run loses nobody;
      // the occasion (the year) keeps it to one message per birthday. 29 February is kept on
      // 28 February in other years.
      const ahead = Math.max(0, campaign.daysBefore ?? DEFAULT_BIRTHDAY_DAYS_BEFORE);
      return sql`select g.id as guest_id, extract(year from d.day)::int::text as occasion
        ${from}
        join (select (${today} + k) as day from generate_series(0, ${ahead}::int) k) d
          on to_char(g.birthday, 'MM-DD') = to_char(d.day, 'MM-DD')
          or (to_char(g.birthday, 'MM-DD') = '02-29' and to_char(d.day, 'MM-DD') = '02-28'
              and to_char(d.day + 1, 'MM-DD') = '03-01')
        where ${alive} and g.birthday is not null`;
    }
    case "survey_invite":
      return sql`select g.id as guest_id, 'survey' as occasion
        ${from} where ${alive} and gs.visits >= ${SURVEY_AFTER_VISITS}`;
    case "one_off": {
      const audience = campaign.audience ?? {};
      const where: SQL[] = [alive];
      // Through the guests table's own conditions: "birthday" is no stored segment but days around it.
      const segment = DIRECTORY_SEGMENTS.find((known) => known === audience.segment);
      if (audience.segment && !segment) return sql`select null::uuid as guest_id, '' as occasion where false`;
      if (segment) where.push(...filterConditions({ segment }, { staffLocationIds: [] }, { timezone, now }));
      if (audience.directoryFilter) {
        const { filters } = parseDirectoryParams(audience.directoryFilter);
        where.push(...filterConditions(filters, { staffLocationIds: [] }, { timezone, now }));
      }
      return sql`select g.id as guest_id, '' as occasion ${from} where ${sql.join(where, sql` and `)}`;
    }
    default:
      // upsell and broadcast are older kinds the engine does not send.
      return sql`select null::uuid as guest_id, '' as occasion where false`;
  }
}

/**
 * Draws the guests a campaign reaches now and records each as one campaign_sends row, in one
 * INSERT … SELECT: no marketing consent → skipped 'no_consent' (counted, never sent), no email
 * → 'no_email'; the others are split by hash into the global control group (when the café
 * keeps one), the hold-out (held_out) and the target, where a guest already at the café's
 * frequency cap is skipped 'frequency_cap' and the rest are queued. The unique key (campaign,
 * guest, occasion) makes a second run — or a second server — add nothing.
 */
export async function selectAudience(tx: Tx, tenantId: string, campaignId: string, now: Date): Promise<AudienceCounts> {
  const [campaign] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!campaign) throw new Error(`No campaign ${campaignId}`);
  const [cafe] = await tx.select({ timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId));
  const timezone = cafe?.timezone ?? "UTC";
  const settings = await loadCampaignSettings(tx);
  const month = now.toISOString().slice(0, 7);
  const control = settings.globalControlEnabled
    ? globalControlSql(tenantId, month, sql`c.guest_id`, settings.globalControlPercent)
    : sql`false`;
  const holdout = holdoutSql(tenantId, campaignId, sql`c.guest_id`, campaign.holdoutPercent);
  const since = new Date(now.getTime() - settings.frequencyCapDays * 86_400_000).toISOString();

  const [counts] = await tx.execute<Record<string, string>>(sql`
    with drawn as (
      select c.guest_id, c.occasion,
             g.marketing_opt_in as consent, (coalesce(g.email, '') <> '') as has_email,
             ${control} as in_control, ${holdout} as in_holdout,
             (select count(*) from campaign_sends s
               where s.guest_id = c.guest_id and s."group" = 'target'
                 and s.status in ('queued', 'sending', 'sent', 'delivered', 'bounced', 'complained')
                 and coalesce(s.sent_at, s.queued_at) > ${since}::timestamptz) >= ${settings.frequencyCapCount} as capped
        from (${candidates(campaign, timezone, now)}) c
        join guests g on g.id = c.guest_id
       where not exists (select 1 from campaign_sends s
                          where s.campaign_id = ${campaignId} and s.guest_id = c.guest_id and s.occasion = c.occasion)
    ),
    added as (
      insert into campaign_sends (tenant_id, campaign_id, guest_id, occasion, "group", status, skip_reason, queued_at)
      select ${tenantId}, ${campaignId}, guest_id, occasion,
             (case when not consent or not has_email then 'target'
                   when in_control then 'global_control' when in_holdout then 'holdout'
                   else 'target' end)::campaign_send_group,
             (case when not consent or not has_email then 'skipped'
                   when in_control or in_holdout then 'held_out'
                   when capped then 'skipped' else 'queued' end)::campaign_send_status,
             (case when not consent then 'no_consent' when not has_email then 'no_email'
                   when in_control or in_holdout then null
                   when capped then 'frequency_cap' end)::campaign_skip_reason,
             ${now.toISOString()}::timestamptz
        from drawn
      on conflict on constraint campaign_sends_occasion_key do nothing
      returning status, skip_reason
    )
    select count(*)::text as eligible,
           count(*) filter (where status = 'queued')::text as target,
           count(*) filter (where status = 'held_out')::text as held_out,
           count(*) filter (where status = 'skipped')::text as skipped,
           count(*) filter (where skip_reason = 'no_consent')::text as no_consent,
           count(*) filter (where skip_reason = 'no_email')::text as no_email,
           count(*) filter (where skip_reason = 'frequency_cap')::text as frequency_cap
      from added`);
  const n = (key: string) => Number(counts?.[key] ?? 0);
  return {
    eligible: n("eligible"),
    target: n("target"),
    heldOut: n("held_out"),
    skipped: n("skipped"),
    skippedBy: { no_consent: n("no_consent"), no_email: n("no_email"), frequency_cap: n("frequency_cap") },
  };
}
