import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { campaignSettings } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { activeLocationCount, tenantBilling } from "../billing/entitlements";
import { billingCurrencyOf, MONTHS_PAID_PER_YEAR, monthlyPrices } from "../billing/plans";
import { campaignResults } from "../campaigns/results";
import { loadCampaignSettings } from "../campaigns/settings";
import { AppError } from "../errors";

/**
 * The ROI report: the seed's arithmetic on the café's own data.
 *
 *   gain  = guests retained a month × their visits a month × average check
 *         + the average-check uplift of identified guests × identified checks a month
 *   net   = gain − cost of goods (gain × COGS %) − points redeemed × a point's cost − subscription
 *
 * Payback in months is the subscription over what the effect earns after goods and points: how
 * much of a month's effect pays for the month (null when it never does). Every input says where it
 * came from: measured from the receipts, billing or the program; the hold-out results of the
 * win-back campaigns; or an assumption the owner sets (campaign_settings; its default until then).
 */

export type Source = "measured" | "assumption" | "holdout";
export type Input = { value: number; source: Source };

export type RoiInputs = {
  /** Win-back: guests a month who came back because of the campaign. */
  retainedGuestsPerMonth: Input;
  /** Visits a month of a guest who comes (identified checks ÷ guests ÷ months). */
  visitsPerGuestPerMonth: Input;
  /** Minor units. */
  averageCheck: Input;
  /** Identified checks' average less anonymous checks' (minor units). */
  checkUplift: Input;
  identifiedChecksPerMonth: Input;
  cogsPercent: Input;
  pointsRedeemedPerMonth: Input;
  /** Minor units per point. */
  pointCost: Input;
  /** Minor units a month. */
  subscriptionPerMonth: Input;
  /** The assumption used while the hold-out cannot tell: % of sleeping guests won back a month. */
  winbackPercent: Input;
  sleepingGuests: Input;
};

export type RoiReport = {
  months: number;
  currency: string;
  inputs: RoiInputs;
  /** Minor units a month. */
  retentionGain: number;
  checkGain: number;
  costOfGoods: number;
  pointsCost: number;
  subscription: number;
  net: number;
  paybackMonths: number | null;
  /** The owner's assumptions as stored (null: taken from the data), for the form. */
  assumptions: RoiAssumptions;
  /** The win-back campaigns whose hold-out results fed retainedGuestsPerMonth. */
  holdoutCampaigns: { id: string; name: string; guests: number; incrementalShare: number }[];
};

/** A face-value point: 1 point pays 1 major unit (POS-API.md). */
const POINT_FACE_VALUE_MINOR = 100;
const DAY_MS = 24 * 3600 * 1000;

/** The ROI report over the last `months` months (30-day months) before `now`. */
export async function roiReport(
  tx: Tx,
  tenantId: string,
  options: { months?: number; now?: Date } = {},
): Promise<RoiReport> {
  const months = Math.min(12, Math.max(1, Math.round(options.months ?? 3)));
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - months * 30 * DAY_MS);
  const settings = await loadCampaignSettings(tx);
  const [cafe] = await tx.execute<{ currency: string }>(sql`select currency from tenants where id = ${tenantId}`);
  if (!cafe) throw new AppError("not_found", "No such café", "tenant_not_found");

  const [sales] = await tx.execute<{
    checks: number;
    revenue: number;
    identified: number;
    identified_revenue: number;
    anonymous: number;
    anonymous_revenue: number;
    guests: number;
    points_redeemed: number;
  }>(sql`
    select count(*)::int as checks, coalesce(sum(total), 0)::float8 as revenue,
           count(guest_id)::int as identified,
           coalesce(sum(total) filter (where guest_id is not null), 0)::float8 as identified_revenue,
           count(*) filter (where guest_id is null)::int as anonymous,
           coalesce(sum(total) filter (where guest_id is null), 0)::float8 as anonymous_revenue,
           count(distinct guest_id)::int as guests,
           coalesce(sum(points_redeemed), 0)::float8 as points_redeemed
    from receipts
    where tenant_id = ${tenantId} and occurred_at >= ${since.toISOString()}::timestamptz
      and occurred_at < ${now.toISOString()}::timestamptz`);
  const [sleeping] = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from guest_stats where tenant_id = ${tenantId} and segment = 'sleeping'`,
  );

  const checks = sales?.checks ?? 0;
  const identified = sales?.identified ?? 0;
  const anonymous = sales?.anonymous ?? 0;
  const averageCheck = checks > 0 ? (sales?.revenue ?? 0) / checks : 0;
  const identifiedAverage = identified > 0 ? (sales?.identified_revenue ?? 0) / identified : 0;
  const anonymousAverage = anonymous > 0 ? (sales?.anonymous_revenue ?? 0) / anonymous : 0;
  const checkUplift: Input =
    identified > 0 && anonymous > 0
      ? { value: Math.round(identifiedAverage - anonymousAverage), source: "measured" }
      : // Without both kinds of checks there is nothing to compare: no uplift is claimed.
        { value: 0, source: "assumption" };
  const guests = sales?.guests ?? 0;
  const visitsPerGuestPerMonth = guests > 0 ? identified / guests / months : 0;

  // The hold-out results of the win-back campaigns, for the sends of these months.
  const winBacks = await tx.execute<{ id: string; name: string }>(sql`
    select c.id, c.name from campaigns c
    where c.tenant_id = ${tenantId} and c.kind = 'win_back'
      and exists (select 1 from campaign_sends s where s.tenant_id = c.tenant_id and s.campaign_id = c.id
                    and s.queued_at >= ${since.toISOString()}::timestamptz)
    order by c.created_at, c.id`);
  const holdoutCampaigns: RoiReport["holdoutCampaigns"] = [];
  let retained = 0;
  for (const campaign of winBacks) {
    const results = await campaignResults(tx, tenantId, campaign.id, { from: since, to: now, now });
    if (results.verdict === "not_enough_data") continue;
    // A detected effect counts at its estimate; "no effect detected" honestly counts as none.
    const share = results.verdict === "no_effect_detected" ? 0 : (results.incremental.cameBack?.estimate ?? 0);
    retained += share * results.target.n;
    holdoutCampaigns.push({ id: campaign.id, name: campaign.name, guests: results.target.n, incrementalShare: share });
  }
  const sleepingGuests = sleeping?.n ?? 0;
  const retainedGuestsPerMonth: Input =
    holdoutCampaigns.length > 0
      ? { value: retained / months, source: "holdout" }
      : { value: (sleepingGuests * settings.roiWinbackPercent) / 100, source: "assumption" };

  // What a redeemed point costs the café is no fact in the data: at face value it is the revenue
  // given up (the receipts' totals, and so the gains above, count the part paid with points); a
  // café that thinks of it as goods given away would say face value × its COGS %. Face value is
  // the default and an assumption either way, which the owner may change like the others.
  const pointCost: Input = { value: settings.pointCostMinor ?? POINT_FACE_VALUE_MINOR, source: "assumption" };
  const subscriptionPerMonth: Input =
    settings.subscriptionMinor === null
      ? { value: await subscriptionFromBilling(tx, cafe.currency), source: "measured" }
      : { value: settings.subscriptionMinor, source: "assumption" };

  const inputs: RoiInputs = {
    retainedGuestsPerMonth,
    visitsPerGuestPerMonth: { value: visitsPerGuestPerMonth, source: "measured" },
    averageCheck: { value: Math.round(averageCheck), source: "measured" },
    checkUplift,
    identifiedChecksPerMonth: { value: identified / months, source: "measured" },
    cogsPercent: { value: settings.cogsPercent, source: "assumption" },
    pointsRedeemedPerMonth: { value: (sales?.points_redeemed ?? 0) / months, source: "measured" },
    pointCost,
    subscriptionPerMonth,
    winbackPercent: { value: settings.roiWinbackPercent, source: "assumption" },
    sleepingGuests: { value: sleepingGuests, source: "measured" },
  };
  const assumptions: RoiAssumptions = {
    cogsPercent: settings.cogsPercent,
    pointCostMinor: settings.pointCostMinor,
    subscriptionMinor: settings.subscriptionMinor,
    winbackPercent: settings.roiWinbackPercent,
  };
  return { months, currency: cafe.currency, inputs, ...roiArithmetic(inputs), assumptions, holdoutCampaigns };
}

/** The arithmetic alone (minor units a month, rounded), from the inputs' values. */
export function roiArithmetic(inputs: RoiInputs) {
  const retentionGain = Math.round(
    inputs.retainedGuestsPerMonth.value * inputs.visitsPerGuestPerMonth.value * inputs.averageCheck.value,
  );
  const checkGain = Math.round(inputs.checkUplift.value * inputs.identifiedChecksPerMonth.value);
  const costOfGoods = Math.round(((retentionGain + checkGain) * inputs.cogsPercent.value) / 100);
  const pointsCost = Math.round(inputs.pointsRedeemedPerMonth.value * inputs.pointCost.value);
  const subscription = Math.round(inputs.subscriptionPerMonth.value);
  const contribution = retentionGain + checkGain - costOfGoods - pointsCost;
  return {
    retentionGain,
    checkGain,
    costOfGoods,
    pointsCost,
    subscription,
    net: contribution - subscription,
    paybackMonths: contribution > 0 ? subscription / contribution : null,
  };
}

/** The café's plan price for its open locations, a month (a yearly plan spread over 12 months). */
async function subscriptionFromBilling(tx: Tx, currency: string): Promise<number> {
  const billing = await tenantBilling(tx);
  const perLocation = monthlyPrices()[billing.planId][billingCurrencyOf(currency)];
  const locations = await activeLocationCount(tx);
  const monthly = billing.interval === "year" ? (perLocation * MONTHS_PAID_PER_YEAR) / 12 : perLocation;
  return Math.round(monthly * locations);
}

export type RoiAssumptions = {
  cogsPercent: number;
  /** null: a point costs its face value. */
  pointCostMinor: number | null;
  /** null: the plan's price from billing. */
  subscriptionMinor: number | null;
  winbackPercent: number;
};

/** Saves the owner's assumptions (audited, in the same transaction). */
export async function updateRoiAssumptions(
  tx: Tx,
  input: RoiAssumptions & { tenantId: string; actorUserId: string; ip?: string | null },
): Promise<void> {
  const values = {
    cogsPercent: input.cogsPercent,
    pointCostMinor: input.pointCostMinor,
    subscriptionMinor: input.subscriptionMinor,
    roiWinbackPercent: input.winbackPercent,
  };
  await tx
    .insert(campaignSettings)
    .values({ tenantId: input.tenantId, ...values })
    .onConflictDoUpdate({ target: campaignSettings.tenantId, set: { ...values, updatedAt: new Date() } });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actorUserId,
    action: "roi.assumptions_updated",
    targetType: "campaign_settings",
    targetId: input.tenantId,
    ip: input.ip ?? null,
    meta: values,
  });
}
