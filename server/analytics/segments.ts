import { sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";
import { compressHistories, expectedVisits, fitRhythm, probabilityActive, type RhythmFit } from "./rhythm";

/** The guest segments, by each guest's own rhythm (the keys the guests table filters by). */
export const SEGMENTS = ["new", "regular", "loyal", "sleeping", "lost"] as const;
export type Segment = (typeof SEGMENTS)[number];

/** A guest is new while their first visit is this recent. */
export const NEW_GUEST_DAYS = 30;
/** From this many visits on a guest has a rhythm of their own; below it the café's fixed days apply. */
export const RHYTHM_MIN_VISITS = 3;
export const SLEEPING_BELOW_P_ACTIVE = 0.5;
export const LOST_BELOW_P_ACTIVE = 0.15;
/** The window of "bought together". */
export const PAIR_DAYS = 90;
/** Fewer guests with a visit than this and the model is not fitted (the fixed days decide alone). */
const MIN_GUESTS_TO_FIT = 20;

export type SegmentFacts = {
  visits: number;
  daysSinceFirst: number;
  daysSinceLast: number;
  medianGapDays: number | null;
  /** From the fitted model; null when the café has too few guests for a fit. */
  pActive: number | null;
  topTier: boolean;
  rfm: { recency: number; frequency: number; monetary: number };
};

export type FixedDays = { sleepingAfterDays: number; lostAfterDays: number };

/**
 * One guest's segment. New (first visit within 30 days) comes first; then lost and sleeping — by
 * the guest's rhythm from 3 visits on (sleeping: away for more than twice their median gap, or
 * P(active) < 0.5; lost: P(active) < 0.15), by the café's fixed days below 3 — so that a top-tier
 * guest who stopped coming shows up where someone will act on it; then loyal (top tier, or RFM
 * champions 4-4-4 and above); regular for everyone else.
 */
export function segmentOf(guest: SegmentFacts, fixed: FixedDays): Segment {
  if (guest.daysSinceFirst <= NEW_GUEST_DAYS) return "new";
  if (guest.visits < RHYTHM_MIN_VISITS) {
    if (guest.daysSinceLast > fixed.lostAfterDays) return "lost";
    if (guest.daysSinceLast > fixed.sleepingAfterDays) return "sleeping";
  } else {
    const lost =
      guest.pActive !== null ? guest.pActive < LOST_BELOW_P_ACTIVE : guest.daysSinceLast > fixed.lostAfterDays;
    if (lost) return "lost";
    const overdue = guest.medianGapDays !== null && guest.daysSinceLast > 2 * guest.medianGapDays;
    if (overdue || (guest.pActive !== null && guest.pActive < SLEEPING_BELOW_P_ACTIVE)) return "sleeping";
  }
  const { recency, frequency, monetary } = guest.rfm;
  if (guest.topTier || (recency >= 4 && frequency >= 4 && monetary >= 4)) return "loyal";
  return "regular";
}

type GuestRow = {
  guest_id: string;
  visits: number;
  days_since_first: number;
  days_since_last: number;
  active_days: number;
  median_gap_days: number | null;
  top_tier: boolean;
  rfm_recency: number;
  rfm_frequency: number;
  rfm_monetary: number;
};

export type NightlyResult = {
  guests: number;
  fit: RhythmFit | null;
  segments: Record<Segment, number>;
  pairs: number;
  durationMs: number;
  /** Milliseconds by stage: reading the guests, the fit, writing the guests, the pairs. */
  stages: { read: number; fit: number; write: number; pairs: number };
};

/**
 * The nightly step of the café bound to `tx`: fits the MBG/NBD rhythm to its guests, stores each
 * guest's P(active), expected visits in the next 30 days, RFM quintiles and segment, records the
 * fit in rhythm_fits, and recomputes the pairs bought together over the last 90 days.
 */
export async function runNightlyAnalytics(tx: Tx, options: { now?: Date } = {}): Promise<NightlyResult> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const [settings] = await tx.execute<{ sleeping: number; lost: number }>(sql`
    select coalesce(max(sleeping_after_days), 30)::int as sleeping, coalesce(max(lost_after_days), 90)::int as lost
    from analytics_settings`);
  const fixed = { sleepingAfterDays: settings?.sleeping ?? 30, lostAfterDays: settings?.lost ?? 90 };
  // RFM quintiles per café: 5 is the most recent, the most frequent, the biggest spender.
  const guests = await tx.execute<GuestRow>(sql`
    with top_tier as (
      select id from loyalty_tiers
      where min_spend > 0 and min_spend >= (select max(min_spend) from loyalty_tiers where active))
    -- float8, not numeric: postgres.js hands numeric over as text, and the rhythm needs numbers.
    select s.guest_id, s.visits,
           (extract(epoch from ${at}::timestamptz - s.first_visit_at) / 86400.0)::float8 as days_since_first,
           (extract(epoch from ${at}::timestamptz - s.last_visit_at) / 86400.0)::float8 as days_since_last,
           (extract(epoch from s.last_visit_at - s.first_visit_at) / 86400.0)::float8 as active_days,
           s.median_gap_days, g.tier_id in (select id from top_tier) as top_tier,
           ntile(5) over (order by s.last_visit_at, s.guest_id)::int as rfm_recency,
           ntile(5) over (order by s.visits, s.last_visit_at, s.guest_id)::int as rfm_frequency,
           ntile(5) over (order by s.spend, s.visits, s.guest_id)::int as rfm_monetary
    from guest_stats s join guests g on g.id = s.guest_id
    where s.visits > 0 and s.first_visit_at <= ${at}::timestamptz`);

  const read = performance.now();
  const histories = guests.map((g) => ({
    x: g.visits - 1,
    tx: g.active_days,
    T: Math.max(g.days_since_first, g.active_days),
  }));
  let fit: RhythmFit | null = null;
  if (guests.length >= MIN_GUESTS_TO_FIT && histories.some((h) => h.x > 0)) {
    const candidate = fitRhythm(compressHistories(histories));
    if ([candidate.r, candidate.alpha, candidate.a, candidate.b, candidate.logLikelihood].every(Number.isFinite)) {
      fit = candidate;
    }
  }

  const fitted = performance.now();
  const segments = Object.fromEntries(SEGMENTS.map((key) => [key, 0])) as Record<Segment, number>;
  const rows = guests.map((g, index) => {
    const history = histories[index] as { x: number; tx: number; T: number };
    const pActive = fit ? probabilityActive(fit, history.x, history.tx, history.T) : null;
    const expected = fit ? expectedVisits(fit, history.x, history.tx, history.T, 30) : null;
    const segment = segmentOf(
      {
        visits: g.visits,
        daysSinceFirst: g.days_since_first,
        daysSinceLast: g.days_since_last,
        medianGapDays: g.median_gap_days,
        pActive,
        topTier: g.top_tier,
        rfm: { recency: g.rfm_recency, frequency: g.rfm_frequency, monetary: g.rfm_monetary },
      },
      fixed,
    );
    segments[segment] += 1;
    return {
      g: g.guest_id,
      p: pActive === null ? null : round(pActive, 4),
      e: expected === null || !Number.isFinite(expected) ? null : round(expected, 3),
      s: segment,
      r: g.rfm_recency,
      f: g.rfm_frequency,
      m: g.rfm_monetary,
    };
  });
  // Only rows whose figures moved are written (most active regulars keep P(active) 1.0000 and their
  // segment): a night's write is then a fraction of the café, and with the table's fillfactor these
  // are HOT updates that touch no index. rhythm_at says when a guest's figures last changed.
  await tx.execute(sql`
    update guest_stats s set p_active = v.p, expected_visits_30d = v.e, segment = v.s, rfm_recency = v.r,
           rfm_frequency = v.f, rfm_monetary = v.m, rhythm_at = ${at}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(g uuid, p real, e real, s text, r smallint, f smallint, m smallint)
    where s.guest_id = v.g
      and (s.p_active, s.expected_visits_30d, s.segment, s.rfm_recency, s.rfm_frequency, s.rfm_monetary)
          is distinct from (v.p, v.e, v.s, v.r, v.f, v.m)`);
  const written = performance.now();
  const pairs = await recomputeProductPairs(tx, at);
  const durationMs = Math.round(performance.now() - started);
  const stages = {
    read: Math.round(read - started),
    fit: Math.round(fitted - read),
    write: Math.round(written - fitted),
    pairs: Math.round(performance.now() - written),
  };
  if (fit) {
    await tx.execute(sql`
      insert into rhythm_fits (tenant_id, fitted_at, r, alpha, a, b, log_likelihood, guests, patterns, duration_ms)
      values (current_setting('app.tenant_id')::uuid, ${at}::timestamptz, ${fit.r}, ${fit.alpha}, ${fit.a}, ${fit.b},
              ${fit.logLikelihood}, ${fit.guests}, ${fit.patterns}, ${durationMs})
      on conflict (tenant_id, fitted_at) do nothing`);
  }
  return { guests: guests.length, fit, segments, pairs, durationMs, stages };
}

/**
 * Pairs of SKUs in one check over the last 90 days, per location, named as last sold there (from
 * product_day_stats). Each check's distinct SKUs become one sorted array and its pairs are read
 * off the array: one pass over the lines instead of a join of lines with lines.
 */
async function recomputeProductPairs(tx: Tx, at: string): Promise<number> {
  await tx.execute(sql`delete from product_pair_stats`);
  const inserted = await tx.execute(sql`
    with baskets as (
      select r.location_id, array_agg(distinct l.sku order by l.sku) as skus
      from receipts r join receipt_lines l on l.receipt_id = r.id
      where r.occurred_at >= ${at}::timestamptz - make_interval(days => ${PAIR_DAYS}) and r.occurred_at < ${at}::timestamptz
      group by r.id, r.location_id having count(distinct l.sku) > 1),
    pairs as (
      select b.location_id, x.sku as sku_a, y.sku as sku_b, count(*)::int as receipts
      from baskets b, unnest(b.skus) with ordinality x(sku, i), unnest(b.skus) with ordinality y(sku, j)
      where x.i < y.j group by 1, 2, 3),
    names as (
      select distinct on (location_id, sku) location_id, sku, name from product_day_stats
      order by location_id, sku, day desc)
    insert into product_pair_stats (tenant_id, location_id, sku_a, sku_b, name_a, name_b, receipts, computed_at)
    select current_setting('app.tenant_id')::uuid, p.location_id, p.sku_a, p.sku_b, coalesce(na.name, p.sku_a),
           coalesce(nb.name, p.sku_b), p.receipts, ${at}::timestamptz
    from pairs p
    left join names na on na.location_id = p.location_id and na.sku = p.sku_a
    left join names nb on nb.location_id = p.location_id and nb.sku = p.sku_b`);
  return inserted.count;
}

function round(value: number, digits: number) {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** A café's nightly step is due in its night (03:00–06:00 local) once a day, or after two days without one. */
const NIGHT_HOURS = [3, 6] as const;

/** Every café, and whether it is night there (its own time zone) at `now`. */
export async function cafesForNightlyAnalytics(db: Database, now: Date = new Date()) {
  const cafes = await db.execute<{ id: string; slug: string; hour: number }>(sql`
    select id, slug, extract(hour from ${now.toISOString()}::timestamptz at time zone timezone)::int as hour
    from tenants order by slug`);
  return cafes.map((cafe) => ({
    id: cafe.id,
    slug: cafe.slug,
    night: cafe.hour >= NIGHT_HOURS[0] && cafe.hour < NIGHT_HOURS[1],
  }));
}

/**
 * Whether the café bound to `tx` is due its nightly step: none for 20 hours and it is night there,
 * or none for 48 hours whatever the hour (a server that was down at night). The hourly job
 * (server/jobs.ts) asks it for every café and gives each due one a job of its own, which asks
 * again, so a retry or a second job after a run does nothing.
 */
export async function nightlyAnalyticsDue(tx: Tx, now: Date, night: boolean) {
  const [last] = await tx.execute<{ hours: number | null }>(sql`
    select extract(epoch from ${now.toISOString()}::timestamptz - max(rhythm_at)) / 3600.0 as hours
    from guest_stats`);
  const hoursSince = last?.hours ?? null;
  return hoursSince === null ? true : hoursSince >= 20 && (night || hoursSince >= 48);
}
