import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { AppError } from "../errors";
import {
  type Interval,
  minimumDetectableEffect,
  minimumDetectableMeanDifference,
  type Proportion,
  proportionDifference,
  type Sample,
  type Verdict,
  type VerdictReason,
  verdictOf,
  welchDifference,
} from "./stats";

/**
 * A campaign's results: what happened to its messages, and whether it brought guests back — the
 * target group (messages meant to go) against the control group (held out, and the café's global
 * control), each guest followed for the campaign's window (window_days after their row's
 * queued_at) through receipts, which hold the till's checks and the picked-up online orders alike.
 *
 * A row counts in the comparison only once its window has closed, so a running campaign compares
 * like with like. The target group is every target row the draw put there: guests without consent
 * or email are skipped before the draw and are in neither group, while a guest skipped after it
 * (frequency cap, unsubscribed before the send, account deleted, campaign archived) stays, as do
 * failed and bounced messages — an honest "intention to treat", since the held-out guests were
 * never checked for those. Guests who delete their account after the draw stay in both groups:
 * the control group cannot tell them apart at send time, and dropping them from the target alone
 * (or from both, when a message may have caused the deletion) would compare unlike groups; their
 * receipts stay with the anonymised guest row, so their visits still count. Margin is revenue less the
 * café's cost of goods (campaign_settings.cogs_percent: products carry no cost of their own).
 * One SQL statement aggregates every row, grouped by (month, group) and by group, so 100 000
 * guests cost one pass over their receipts.
 */

export type GroupFigures = {
  /** Rows (guest × occasion) whose window has closed. */
  n: number;
  cameBack: number;
  cameBackShare: number | null;
  /** Per guest: mean and sample variance. Revenue and margin in minor units. */
  visits: Sample;
  revenue: Sample;
  margin: Sample;
};

export type Incremental = {
  /** Difference of the shares who came back, in parts of 1 (0.08 = 8 points). */
  cameBack: Interval | null;
  visitsPerGuest: (Interval & { df: number }) | null;
  revenuePerGuest: (Interval & { df: number }) | null;
  marginPerGuest: (Interval & { df: number }) | null;
  /** Revenue per guest × target guests: the revenue the campaign added (minor units). */
  revenueTotal: { estimate: number; low: number; high: number } | null;
  /** The smallest difference of shares these group sizes would detect (α 0.05, power 0.8). */
  mde: number | null;
  /** The same for revenue per guest (minor units). */
  revenueMde: number | null;
};

export type PeriodResult = {
  /** The café's month of queued_at, "YYYY-MM". */
  month: string;
  target: GroupFigures;
  control: GroupFigures;
  cameBack: Interval | null;
  verdict: Verdict;
};

export type CampaignResults = {
  campaignId: string;
  windowDays: number;
  cogsPercent: number;
  from: Date | null;
  to: Date | null;
  counts: {
    eligible: number;
    target: number;
    queued: number;
    sent: number;
    delivered: number;
    failed: number;
    complained: number;
    unsubscribed: number;
    heldOut: number;
    globalControl: number;
    skipped: {
      no_consent: number;
      no_email: number;
      frequency_cap: number;
      unsubscribed: number;
      deleted: number;
      archived: number;
    };
    /** Rows whose window has not closed yet (not compared). */
    windowOpen: number;
  };
  target: GroupFigures;
  control: GroupFigures;
  incremental: Incremental;
  verdict: Verdict;
  verdictReason: VerdictReason;
  /**
   * What other systems report: every target guest who was sent a message and bought within the
   * window, and their revenue — without asking who would have come anyway.
   */
  attributed: { buyers: number; revenue: number; sent: number };
  /** Pooled "all time" above; here by month of queued_at (automations run continuously). */
  periods: PeriodResult[];
};

type GroupRow = {
  month: string | null;
  arm: "target" | "control";
  n: number;
  came_back: number;
  visits_mean: number | null;
  visits_var: number | null;
  revenue_mean: number | null;
  revenue_var: number | null;
};

type CountRow = Omit<CampaignResults["counts"], "skipped"> & {
  skipped_no_consent: number;
  skipped_no_email: number;
  skipped_frequency_cap: number;
  skipped_unsubscribed: number;
  skipped_deleted: number;
  skipped_archived: number;
  attributed_buyers: number;
  attributed_revenue: number;
  attributed_sent: number;
};

const EMPTY_SAMPLE: Sample = { n: 0, mean: 0, variance: 0 };

function figuresOf(row: GroupRow | undefined, marginShare: number): GroupFigures {
  if (!row || row.n === 0) {
    return {
      n: 0,
      cameBack: 0,
      cameBackShare: null,
      visits: EMPTY_SAMPLE,
      revenue: EMPTY_SAMPLE,
      margin: EMPTY_SAMPLE,
    };
  }
  const revenueMean = Number(row.revenue_mean ?? 0);
  const revenueVariance = Number(row.revenue_var ?? 0);
  return {
    n: row.n,
    cameBack: row.came_back,
    cameBackShare: row.came_back / row.n,
    visits: { n: row.n, mean: Number(row.visits_mean ?? 0), variance: Number(row.visits_var ?? 0) },
    revenue: { n: row.n, mean: revenueMean, variance: revenueVariance },
    // Margin is revenue × (1 − COGS): the mean scales by the share, the variance by its square.
    margin: { n: row.n, mean: revenueMean * marginShare, variance: revenueVariance * marginShare * marginShare },
  };
}

const proportionOf = (group: GroupFigures): Proportion => ({ n: group.n, successes: group.cameBack });

function incrementalOf(target: GroupFigures, control: GroupFigures): Incremental {
  const revenue = welchDifference(target.revenue, control.revenue);
  return {
    cameBack: proportionDifference(proportionOf(target), proportionOf(control)),
    visitsPerGuest: welchDifference(target.visits, control.visits),
    revenuePerGuest: revenue,
    marginPerGuest: welchDifference(target.margin, control.margin),
    revenueTotal: revenue
      ? { estimate: revenue.estimate * target.n, low: revenue.low * target.n, high: revenue.high * target.n }
      : null,
    mde: minimumDetectableEffect(target.n, control.n, control.cameBackShare ?? 0),
    revenueMde: minimumDetectableMeanDifference(target.revenue, control.revenue),
  };
}

/**
 * The results of one campaign for the sends queued in [from, to) (either open: all time), at
 * `now` (windows closed by then are compared). Throws not_found for a campaign of no such id.
 */
export async function campaignResults(
  tx: Tx,
  tenantId: string,
  campaignId: string,
  options: { from?: Date | null; to?: Date | null; now?: Date } = {},
): Promise<CampaignResults> {
  const [campaign] = await tx.execute<{ window_days: number; cogs_percent: number; timezone: string }>(sql`
    select c.window_days, coalesce(cs.cogs_percent, 30) as cogs_percent, t.timezone
    from campaigns c
    join tenants t on t.id = c.tenant_id
    left join campaign_settings cs on cs.tenant_id = c.tenant_id
    where c.tenant_id = ${tenantId} and c.id = ${campaignId}`);
  if (!campaign) throw new AppError("not_found", "No such campaign", "campaign_not_found");
  const now = options.now ?? new Date();
  const from = options.from ?? null;
  const to = options.to ?? null;
  const nowAt = sql`${now.toISOString()}::timestamptz`;
  const marginShare = (100 - campaign.cogs_percent) / 100;

  const rowsInScope = sql`
    select s.id, s.guest_id, s."group", s.status, s.skip_reason, s.queued_at, s.sent_at, s.delivered_at,
           s.unsubscribed_at, s.queued_at + make_interval(days => ${campaign.window_days}) as window_end
    from campaign_sends s
    where s.tenant_id = ${tenantId} and s.campaign_id = ${campaignId}
      ${from ? sql`and s.queued_at >= ${from.toISOString()}::timestamptz` : sql``}
      ${to ? sql`and s.queued_at < ${to.toISOString()}::timestamptz` : sql``}`;

  // Guests without consent or email are skipped before the draw (server/campaigns/audience.ts),
  // so they are in neither group; a guest capped, unsubscribed or deleted after the draw stays in it
  // (send time marks a deleted account 'deleted', never 'no_email').
  const drawn = sql`coalesce(skip_reason::text, '') not in ('no_consent', 'no_email')`;
  const refunded = sql`
    select receipt_id, sum(amount)::bigint as amount from refunds where tenant_id = ${tenantId} group by receipt_id`;

  // Each compared row's visits and revenue (less refunds of those checks) within its window.
  const outcomes = sql`
    select w.id, w.arm, w.queued_at, w.sent_at,
           count(r.id)::int as visits,
           (coalesce(sum(r.total), 0) - coalesce(sum(f.amount), 0))::float8 as revenue
    from (
      select sc.*, case when sc."group" = 'target' then 'target' else 'control' end as arm
      from scoped sc
      where sc.window_end <= ${nowAt} and ${drawn}
    ) w
    left join receipts r
      on r.tenant_id = ${tenantId} and r.guest_id = w.guest_id
     and r.occurred_at > w.queued_at and r.occurred_at <= w.window_end
    left join refunded f on f.receipt_id = r.id
    group by w.id, w.arm, w.queued_at, w.sent_at`;

  const groups = await tx.execute<GroupRow>(sql`
    with scoped as (${rowsInScope}), refunded as (${refunded}), outcome as (${outcomes}),
    dated as (select o.*, to_char(o.queued_at at time zone ${campaign.timezone}, 'YYYY-MM') as month from outcome o)
    select month, arm,
           count(*)::int as n, count(*) filter (where visits > 0)::int as came_back,
           avg(visits)::float8 as visits_mean, coalesce(var_samp(visits), 0)::float8 as visits_var,
           avg(revenue)::float8 as revenue_mean, coalesce(var_samp(revenue), 0)::float8 as revenue_var
    from dated
    group by grouping sets ((month, arm), (arm))
    order by month nulls first, arm`);

  const [counts] = await tx.execute<CountRow>(sql`
    with scoped as (${rowsInScope}), refunded as (${refunded}),
    attributed as (
      select count(*)::int as sent,
             count(*) filter (where x.visits > 0)::int as buyers,
             coalesce(sum(x.revenue), 0)::float8 as revenue
      from (
        select w.id, count(r.id)::int as visits, coalesce(sum(r.total), 0) - coalesce(sum(f.amount), 0) as revenue
        from scoped w
        left join receipts r
          on r.tenant_id = ${tenantId} and r.guest_id = w.guest_id
         and r.occurred_at > w.sent_at and r.occurred_at <= w.sent_at + make_interval(days => ${campaign.window_days})
        left join refunded f on f.receipt_id = r.id
        where w."group" = 'target' and w.sent_at is not null
        group by w.id
      ) x
    )
    select count(*)::int as eligible,
           count(*) filter (where "group" = 'target' and ${drawn})::int as target,
           count(*) filter (where status in ('queued', 'sending'))::int as queued,
           count(*) filter (where sent_at is not null)::int as sent,
           count(*) filter (where status = 'delivered' or delivered_at is not null)::int as delivered,
           count(*) filter (where status in ('failed', 'bounced'))::int as failed,
           count(*) filter (where status = 'complained')::int as complained,
           count(*) filter (where unsubscribed_at is not null)::int as unsubscribed,
           count(*) filter (where "group" = 'holdout')::int as "heldOut",
           count(*) filter (where "group" = 'global_control')::int as "globalControl",
           count(*) filter (where status = 'skipped' and skip_reason = 'no_consent')::int as skipped_no_consent,
           count(*) filter (where status = 'skipped' and skip_reason = 'no_email')::int as skipped_no_email,
           count(*) filter (where status = 'skipped' and skip_reason = 'frequency_cap')::int as skipped_frequency_cap,
           count(*) filter (where status = 'skipped' and skip_reason = 'unsubscribed')::int as skipped_unsubscribed,
           count(*) filter (where status = 'skipped' and skip_reason = 'deleted')::int as skipped_deleted,
           count(*) filter (where status = 'skipped' and skip_reason = 'archived')::int as skipped_archived,
           count(*) filter (where window_end > ${nowAt} and ${drawn})::int
             as "windowOpen",
           (select buyers from attributed) as attributed_buyers,
           (select revenue from attributed) as attributed_revenue,
           (select sent from attributed) as attributed_sent
    from scoped`);

  const pooled = (arm: GroupRow["arm"]) => groups.find((row) => row.month === null && row.arm === arm);
  const target = figuresOf(pooled("target"), marginShare);
  const control = figuresOf(pooled("control"), marginShare);
  const { verdict, reason } = verdictOf(proportionOf(target), proportionOf(control));

  const months = [...new Set(groups.flatMap((row) => (row.month ? [row.month] : [])))];
  const periods = months.map((month) => {
    const of = (arm: GroupRow["arm"]) =>
      figuresOf(
        groups.find((row) => row.month === month && row.arm === arm),
        marginShare,
      );
    const monthTarget = of("target");
    const monthControl = of("control");
    return {
      month,
      target: monthTarget,
      control: monthControl,
      cameBack: proportionDifference(proportionOf(monthTarget), proportionOf(monthControl)),
      verdict: verdictOf(proportionOf(monthTarget), proportionOf(monthControl)).verdict,
    };
  });

  const c = counts as CountRow;
  return {
    campaignId,
    windowDays: campaign.window_days,
    cogsPercent: campaign.cogs_percent,
    from,
    to,
    counts: {
      eligible: c.eligible,
      target: c.target,
      queued: c.queued,
      sent: c.sent,
      delivered: c.delivered,
      failed: c.failed,
      complained: c.complained,
      unsubscribed: c.unsubscribed,
      heldOut: c.heldOut,
      globalControl: c.globalControl,
      skipped: {
        no_consent: c.skipped_no_consent,
        no_email: c.skipped_no_email,
        frequency_cap: c.skipped_frequency_cap,
        unsubscribed: c.skipped_unsubscribed,
        deleted: c.skipped_deleted,
        archived: c.skipped_archived,
      },
      windowOpen: c.windowOpen,
    },
    target,
    control,
    incremental: incrementalOf(target, control),
    verdict,
    verdictReason: reason,
    attributed: {
      buyers: c.attributed_buyers ?? 0,
      revenue: Math.round(Number(c.attributed_revenue ?? 0)),
      sent: c.attributed_sent ?? 0,
    },
    periods,
  };
}
