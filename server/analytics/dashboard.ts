import { type SQL, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { AppError } from "../errors";
import { addDays, cafeToday, type DayRange, daysOf, type Period, type PeriodInput, resolvePeriod } from "./period";
import { SEGMENTS, type Segment } from "./segments";

/**
 * The owner's dashboard. Figures over periods read only the roll-ups (location_hour_stats,
 * guest_location_days, product_day_stats, product_pair_stats, guest_stats), never the receipts, so
 * each query stays fast at a million receipts; "today" and the survey read their raw tables.
 * Every function takes `locationIds`: null for the whole café, or the locations to count (a
 * manager limited to some locations never gets null).
 */

export type Scope = { locationIds: string[] | null };
export type PeriodQuery = Scope & { period: PeriodInput; timezone: string; now?: Date };

/** The periods a query covers, resolved in the café's calendar. */
export function periodOf(input: PeriodQuery): Period {
  return resolvePeriod(input.period, cafeToday(input.timezone, input.now));
}

/** `{a,b}` — ids validated as uuids by the caller (zod, or read from the database). */
function uuidArray(ids: string[]): SQL {
  return sql`${`{${ids.join(",")}}`}::uuid[]`;
}

/** `column = any(ids)`, or nothing for the whole café. */
function inScope(column: SQL, scope: Scope): SQL {
  return scope.locationIds === null ? sql`` : sql` and ${column} = any(${uuidArray(scope.locationIds)})`;
}

/** Guests who visited one of the scope's locations (guest_stats.location_ids, GIN-indexed). */
function guestInScope(guestId: SQL, scope: Scope): SQL {
  return scope.locationIds === null
    ? sql``
    : sql` and ${guestId} in (select s.guest_id from guest_stats s where s.location_ids && ${uuidArray(scope.locationIds)})`;
}

const num = (value: string | number | null | undefined) => Number(value ?? 0);

// ---------------------------------------------------------------------------------------------
// Scope: which locations a member may look at

export type ScopeLocation = { id: string; name: string; archived: boolean };

/** The locations a member may pick (all of the café's, or the ones a limited member works at). */
export async function scopeLocations(tx: Tx, input: { memberLocationIds: string[] }): Promise<ScopeLocation[]> {
  const limited = input.memberLocationIds.length > 0;
  const rows = await tx.execute<{ id: string; name: string; archived: boolean }>(sql`
    select id, name, archived_at is not null as archived from locations
    where true${limited ? sql` and id = any(${uuidArray(input.memberLocationIds)})` : sql``}
    order by archived_at nulls first, name, id`);
  return rows.map((row) => ({ id: row.id, name: row.name, archived: row.archived }));
}

/**
 * The locations a dashboard query counts: the one asked for, else every one the member may see
 * (null = the whole café for an unlimited member). A location of another café (or none) is
 * not_found; one of this café outside a limited member's locations is forbidden.
 */
export async function dashboardScope(
  tx: Tx,
  input: { memberLocationIds: string[]; locationId?: string | null },
): Promise<Scope> {
  const limited = input.memberLocationIds.length > 0;
  if (!input.locationId) return { locationIds: limited ? input.memberLocationIds : null };
  const [found] = await tx.execute<{ id: string }>(sql`select id from locations where id = ${input.locationId}`);
  if (!found) throw new AppError("not_found", "No such location", "location_not_found");
  if (limited && !input.memberLocationIds.includes(found.id)) {
    throw new AppError("forbidden", "Not one of your locations", "location_forbidden");
  }
  return { locationIds: [found.id] };
}

// ---------------------------------------------------------------------------------------------
// Today, live from the raw tables

export type TodayFigures = {
  day: string;
  /** Minor units: today's checks' totals less today's refunds. */
  revenue: number;
  receipts: number;
  /** Online orders not yet picked up or cancelled (new, accepted, ready). */
  openOrders: number;
};

/** Today's revenue, checks and open orders, by the café's calendar, straight from the receipts. */
export async function dashboardToday(tx: Tx, input: Scope & { timezone: string; now?: Date }): Promise<TodayFigures> {
  const day = cafeToday(input.timezone, input.now);
  const start = sql`(${day}::date::timestamp at time zone ${input.timezone})`;
  const [row] = await tx.execute<{ receipts: number; revenue: string; refunded: string; open_orders: number }>(sql`
    with checks as (
      select count(*)::int as receipts, coalesce(sum(r.total), 0)::bigint as revenue from receipts r
      where r.occurred_at >= ${start}${inScope(sql`r.location_id`, input)}
    )
    select checks.receipts, checks.revenue,
      (select coalesce(sum(f.amount), 0)::bigint from refunds f
        where f.created_at >= ${start}${inScope(sql`f.location_id`, input)}) as refunded,
      (select count(*)::int from orders o
        where o.status in ('new', 'accepted', 'ready')${inScope(sql`o.location_id`, input)}) as open_orders
    from checks`);
  return {
    day,
    revenue: num(row?.revenue) - num(row?.refunded),
    receipts: row?.receipts ?? 0,
    openOrders: row?.open_orders ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------
// The period's figures beside the previous period's

export type Figures = {
  /** Minor units: checks' totals (before points) less refunds. */
  revenue: number;
  receipts: number;
  /** Minor units: checks' totals per check (refunds not deducted), rounded. */
  averageCheck: number;
  /** Guests with a loyalty card or an online order who came at least once. */
  activeGuests: number;
  /** Of the active guests, those whose first visit to the café was before the period. */
  returningGuests: number;
  /** Of the active guests, those whose first visit to the café falls in the period. */
  newGuests: number;
  identifiedReceipts: number;
  onlineReceipts: number;
  /** Minor units. */
  onlineRevenue: number;
  pointsIssued: number;
  pointsSpent: number;
  refunds: number;
  /** Share of checks with a known guest, 0–1. */
  identifiedShare: number;
  /** Share of active guests who had come before, 0–1. */
  returningShare: number;
  /** Share of checks that were online orders, 0–1. */
  onlineShare: number;
};

export type DailyPoint = { day: string; revenue: number; receipts: number };

export type PeriodFigures = {
  period: Period;
  current: Figures;
  previous: Figures;
  /** Day by day, the previous period's day at the same position beside (null past its end). */
  daily: { current: DailyPoint; previous: DailyPoint | null }[];
};

type DayRow = {
  day: string;
  receipts: number;
  revenue: string;
  identified: number;
  online: number;
  online_revenue: string;
  earned: string;
  redeemed: string;
  refunds: number;
  refunded: string;
};

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

function sumFigures(rows: DayRow[], guests: { active: number; new_guests: number } | undefined): Figures {
  let receipts = 0;
  let gross = 0;
  let identified = 0;
  let online = 0;
  let onlineRevenue = 0;
  let earned = 0;
  let redeemed = 0;
  let refunds = 0;
  let refunded = 0;
  for (const row of rows) {
    receipts += row.receipts;
    gross += num(row.revenue);
    identified += row.identified;
    online += row.online;
    onlineRevenue += num(row.online_revenue);
    earned += num(row.earned);
    redeemed += num(row.redeemed);
    refunds += row.refunds;
    refunded += num(row.refunded);
  }
  const active = guests?.active ?? 0;
  const returning = active - (guests?.new_guests ?? 0);
  return {
    revenue: gross - refunded,
    receipts,
    averageCheck: receipts === 0 ? 0 : Math.round(gross / receipts),
    activeGuests: active,
    returningGuests: returning,
    newGuests: active - returning,
    identifiedReceipts: identified,
    onlineReceipts: online,
    onlineRevenue,
    pointsIssued: earned,
    pointsSpent: redeemed,
    refunds,
    identifiedShare: share(identified, receipts),
    returningShare: share(returning, active),
    onlineShare: share(online, receipts),
  };
}

/**
 * Revenue, checks, average check, guests (active, returning, new), the share of checks with a
 * card, online orders and their share, points issued and spent on checks — for the period and the
 * one before — and revenue day by day for both.
 */
export async function dashboardFigures(tx: Tx, input: PeriodQuery): Promise<PeriodFigures> {
  const period = periodOf(input);
  const { current, previous } = period;
  const inPeriods = sql`(day between ${current.from}::date and ${current.to}::date
    or day between ${previous.from}::date and ${previous.to}::date)`;
  const days = await tx.execute<DayRow>(sql`
    select to_char(day, 'YYYY-MM-DD') as day, sum(receipts)::int as receipts, sum(revenue)::bigint as revenue,
           sum(identified_receipts)::int as identified, sum(online_receipts)::int as online,
           sum(online_revenue)::bigint as online_revenue, sum(points_earned)::bigint as earned,
           sum(points_redeemed)::bigint as redeemed, sum(refunds)::int as refunds,
           sum(refunded_amount)::bigint as refunded
    from location_hour_stats
    where ${inPeriods}${inScope(sql`location_id`, input)}
    group by day`);
  // A guest is active in a period when they came on one of its days (at the scope's locations);
  // new when their first visit to the café falls in it, returning otherwise. The newcomers of both
  // periods are a range of guest_stats' first-visit index, so no guest's history is read.
  const startOf = (day: string) => sql`(${day}::date::timestamp at time zone ${input.timezone})`;
  const guests = await tx.execute<{ is_current: boolean; active: number; new_guests: number }>(sql`
    with active as (
      select guest_id, day >= ${current.from}::date as is_current
      from guest_location_days
      where ${inPeriods}${inScope(sql`location_id`, input)}
      group by 1, 2
    ), newcomers as (
      select guest_id, first_visit_at from guest_stats
      where first_visit_at >= ${startOf(previous.from)} and first_visit_at < ${startOf(addDays(current.to, 1))}
    )
    select a.is_current, count(*)::int as active,
           count(n.guest_id) filter (
             where case when a.is_current then n.first_visit_at >= ${startOf(current.from)}
                        else n.first_visit_at < ${startOf(addDays(previous.to, 1))} end
           )::int as new_guests
    from active a left join newcomers n on n.guest_id = a.guest_id
    group by a.is_current`);
  const byDay = new Map(days.map((row) => [row.day, row]));
  const within = (range: DayRange) => days.filter((row) => row.day >= range.from && row.day <= range.to);
  const point = (day: string): DailyPoint => {
    const row = byDay.get(day);
    return { day, revenue: row ? num(row.revenue) - num(row.refunded) : 0, receipts: row?.receipts ?? 0 };
  };
  const previousDays = daysOf(previous);
  return {
    period,
    current: sumFigures(
      within(current),
      guests.find((row) => row.is_current),
    ),
    previous: sumFigures(
      within(previous),
      guests.find((row) => !row.is_current),
    ),
    daily: daysOf(current).map((day, index) => {
      const before = previousDays[index];
      return { current: point(day), previous: before ? point(before) : null };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// When guests come: checks by weekday × hour

/** 7 × 24 counts of checks: `checks[weekday][hour]`, weekday 0 = Monday, hours in the café's time. */
export type Heatmap = { checks: number[][]; max: number };

export async function dashboardHeatmap(tx: Tx, input: PeriodQuery): Promise<Heatmap> {
  const { current } = periodOf(input);
  const rows = await tx.execute<{ weekday: number; hour: number; receipts: number }>(sql`
    select (extract(isodow from day)::int - 1) as weekday, hour::int as hour, sum(receipts)::int as receipts
    from location_hour_stats
    where day between ${current.from}::date and ${current.to}::date${inScope(sql`location_id`, input)}
    group by 1, 2`);
  const checks = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  let max = 0;
  for (const row of rows) {
    const week = checks[row.weekday];
    if (!week || row.hour < 0 || row.hour > 23) continue;
    week[row.hour] = row.receipts;
    max = Math.max(max, row.receipts);
  }
  return { checks, max };
}

// ---------------------------------------------------------------------------------------------
// Retention cohorts by month of first visit

export const COHORT_MONTHS = 6;

/**
 * Guests first seen in `month`, and how many of them came again in each month since or later
 * (`retained[k]`: last visit in month k after the first or later; `retained[0]` is everyone).
 */
export type Cohort = { month: string; guests: number; retained: number[] };

const nextMonth = (month: string) => `${addDays(month, 31).slice(0, 7)}-01`;

/**
 * The six months' cohorts up to the period's end, by each guest's first and last visit to the café
 * (guest_stats: one row per guest, so this stays fast at any number of receipts). A guest counts
 * as retained up to the month of their latest visit ("came back then or later"); for a limited
 * scope, the guests who visited its locations.
 */
export async function dashboardCohorts(tx: Tx, input: PeriodQuery): Promise<Cohort[]> {
  const { current } = periodOf(input);
  const lastMonth = `${current.to.slice(0, 7)}-01`;
  let since = lastMonth;
  for (let step = 1; step < COHORT_MONTHS; step += 1) since = `${addDays(since, -1).slice(0, 7)}-01`;
  const local = (column: SQL) => sql`to_char(${column} at time zone ${input.timezone}, 'YYYY-MM')`;
  const rows = await tx.execute<{ cohort: string; last: string; guests: number }>(sql`
    select ${local(sql`first_visit_at`)} as cohort, ${local(sql`last_visit_at`)} as last, count(*)::int as guests
    from guest_stats
    where first_visit_at >= (${since}::date::timestamp at time zone ${input.timezone})
      and first_visit_at < (${nextMonth(lastMonth)}::date::timestamp at time zone ${input.timezone})
      ${input.locationIds === null ? sql`` : sql`and location_ids && ${uuidArray(input.locationIds)}`}
    group by 1, 2`);
  const cohorts: Cohort[] = [];
  for (let month = since; month <= lastMonth; month = nextMonth(month)) {
    const key = month.slice(0, 7);
    const mine = rows.filter((row) => row.cohort === key);
    const retained: number[] = [];
    for (let later = month; later <= lastMonth; later = nextMonth(later)) {
      const target = later.slice(0, 7);
      retained.push(mine.filter((row) => row.last >= target).reduce((sum, row) => sum + row.guests, 0));
    }
    cohorts.push({ month: key, guests: retained[0] ?? 0, retained });
  }
  return cohorts;
}

// ---------------------------------------------------------------------------------------------
// The guests as they are now: tiers, segments, points owed

/** The segments of the nightly rhythm fit (guest_stats.segment), in the order an owner reads them. */
export const DASHBOARD_SEGMENTS = SEGMENTS;
export type SegmentKey = Segment;

export type GuestBase = {
  tiers: { id: string; name: string; minSpend: number; guests: number }[];
  segments: { key: SegmentKey; guests: number }[];
  /** Guests the nightly fit has not placed yet (fewer visits than a rhythm needs, or not run). */
  unsegmented: number;
  /** Points on the guests' balances now: what the café owes (1 point pays 1 major unit). */
  pointsOutstanding: number;
  /** The same in minor units of the café's currency. */
  liability: number;
};

/** Guests per tier and per segment, and the points the café owes them — now, not per period. */
export async function dashboardGuestBase(tx: Tx, input: Scope): Promise<GuestBase> {
  const tiers = await tx.execute<{ id: string; name: string; min_spend: string; active: boolean }>(
    sql`select id, name, min_spend, active from loyalty_tiers order by min_spend, name`,
  );
  // Per tier: guests and their points; a limited scope starts from its guests' stats (GIN index).
  const held = await tx.execute<{ tier_id: string; guests: number; points: string }>(
    input.locationIds === null
      ? sql`select tier_id, count(*)::int as guests, coalesce(sum(balance), 0)::bigint as points
            from guests where deleted_at is null group by tier_id`
      : sql`select g.tier_id, count(*)::int as guests, coalesce(sum(g.balance), 0)::bigint as points
            from guest_stats s join guests g on g.id = s.guest_id
            where s.location_ids && ${uuidArray(input.locationIds)} and g.deleted_at is null
            group by g.tier_id`,
  );
  const segments = await tx.execute<{ segment: string | null; guests: number }>(sql`
    select segment, count(*)::int as guests from guest_stats
    where true${input.locationIds === null ? sql`` : sql` and location_ids && ${uuidArray(input.locationIds)}`}
    group by segment`);
  const byTier = new Map(held.map((row) => [row.tier_id, row]));
  const bySegment = new Map(segments.map((row) => [row.segment, row.guests]));
  const points = held.reduce((sum, row) => sum + num(row.points), 0);
  return {
    tiers: tiers
      .map((tier) => ({
        id: tier.id,
        name: tier.name,
        minSpend: num(tier.min_spend),
        guests: byTier.get(tier.id)?.guests ?? 0,
        active: tier.active,
      }))
      // A tier a later version of the rules dropped is shown while guests still hold it.
      .filter((tier) => tier.active || tier.guests > 0)
      .map(({ active: _active, ...tier }) => tier),
    segments: DASHBOARD_SEGMENTS.map((key) => ({ key, guests: bySegment.get(key) ?? 0 })),
    unsegmented: segments
      .filter((row) => !DASHBOARD_SEGMENTS.includes(row.segment as SegmentKey))
      .reduce((sum, row) => sum + row.guests, 0),
    pointsOutstanding: points,
    liability: points * 100,
  };
}

// ---------------------------------------------------------------------------------------------
// What sells, and what sells together

export type TopProduct = { sku: string; name: string; quantity: number; revenue: number; receipts: number };
export type TopPair = { skuA: string; nameA: string; skuB: string; nameB: string; receipts: number };
export type ProductFigures = { products: TopProduct[]; pairs: TopPair[] };

export const TOP_LIMIT = 10;

/**
 * The period's ten best-selling products by revenue, and the ten pairs most often bought in one
 * check (the nightly count over the last 90 days, not the period).
 */
export async function dashboardProducts(tx: Tx, input: PeriodQuery): Promise<ProductFigures> {
  const { current } = periodOf(input);
  const inRange = sql`day between ${current.from}::date and ${current.to}::date${inScope(sql`location_id`, input)}`;
  const top = await tx.execute<{ sku: string; quantity: number; revenue: string; receipts: number }>(sql`
    select sku, sum(quantity)::float8 as quantity, sum(revenue)::bigint as revenue, sum(receipts)::int as receipts
    from product_day_stats
    where ${inRange}
    group by sku
    order by sum(revenue) desc, sku
    limit ${TOP_LIMIT}`);
  // The latest name each of the ten was sold under in the period.
  const names =
    top.length === 0
      ? []
      : await tx.execute<{ sku: string; name: string }>(sql`
          select distinct on (sku) sku, name from product_day_stats
          where ${inRange} and sku in (${sql.join(
            top.map((row) => sql`${row.sku}`),
            sql`, `,
          )})
          order by sku, day desc, location_id`);
  const nameOf = new Map(names.map((row) => [row.sku, row.name]));
  const products = top.map((row) => ({ ...row, name: nameOf.get(row.sku) ?? row.sku }));
  const pairs = await tx.execute<{
    sku_a: string;
    sku_b: string;
    name_a: string;
    name_b: string;
    receipts: number;
  }>(sql`
    select sku_a, sku_b, max(name_a) as name_a, max(name_b) as name_b, sum(receipts)::int as receipts
    from product_pair_stats
    where true${inScope(sql`location_id`, input)}
    group by sku_a, sku_b
    order by sum(receipts) desc, sku_a, sku_b
    limit ${TOP_LIMIT}`);
  return {
    products: products.map((row) => ({
      sku: row.sku,
      name: row.name,
      quantity: Number(row.quantity),
      revenue: num(row.revenue),
      receipts: row.receipts,
    })),
    pairs: pairs.map((row) => ({
      skuA: row.sku_a,
      nameA: row.name_a,
      skuB: row.sku_b,
      nameB: row.name_b,
      receipts: row.receipts,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// The survey's answers

export type SurveyQuestionSummary =
  | { id: string; text: string; kind: "rating"; answers: number; average: number | null; counts: number[] }
  | { id: string; text: string; kind: "choice"; answers: number; options: { option: string; count: number }[] }
  | { id: string; text: string; kind: "text"; answers: number };

export type SurveySummary = {
  id: string;
  title: string;
  active: boolean;
  responses: number;
  questions: SurveyQuestionSummary[];
};

/**
 * Every survey with its answers summed up: ratings' average and how many gave each of 1–5,
 * choices' counts (options no longer offered too), and how many wrote a comment. For a limited
 * manager, the answers of guests who visited their locations.
 */
export async function surveySummaries(tx: Tx, input: Scope): Promise<SurveySummary[]> {
  const surveys = await tx.execute<{ id: string; title: string; active: boolean; responses: number }>(sql`
    select s.id, s.title, s.active,
           (select count(*)::int from survey_responses r
             where r.survey_id = s.id${guestInScope(sql`r.guest_id`, input)}) as responses
    from surveys s order by s.active desc, s.created_at desc, s.id`);
  if (surveys.length === 0) return [];
  const questions = await tx.execute<{
    id: string;
    survey_id: string;
    text: string;
    kind: "rating" | "choice" | "text";
    options: string[];
  }>(sql`select id, survey_id, text, kind, options from survey_questions order by sort_order, id`);
  const answers = await tx.execute<{ question_id: string; value: string; count: number }>(sql`
    select a.key as question_id, a.value #>> '{}' as value, count(*)::int as count
    from survey_responses r cross join lateral jsonb_each(r.answers) a
    where true${guestInScope(sql`r.guest_id`, input)}
    group by a.key, a.value #>> '{}'`);
  const countsOf = (questionId: string) => answers.filter((row) => row.question_id === questionId);
  return surveys.map((survey) => ({
    id: survey.id,
    title: survey.title,
    active: survey.active,
    responses: survey.responses,
    questions: questions
      .filter((question) => question.survey_id === survey.id)
      .map((question): SurveyQuestionSummary => {
        const rows = countsOf(question.id);
        const total = rows.reduce((sum, row) => sum + row.count, 0);
        if (question.kind === "rating") {
          const counts = [1, 2, 3, 4, 5].map((score) => rows.find((row) => Number(row.value) === score)?.count ?? 0);
          const rated = counts.reduce((sum, count) => sum + count, 0);
          const points = counts.reduce((sum, count, index) => sum + count * (index + 1), 0);
          return {
            id: question.id,
            text: question.text,
            kind: "rating",
            answers: rated,
            average: rated ? points / rated : null,
            counts,
          };
        }
        if (question.kind === "choice") {
          const offered = question.options.map((option) => ({
            option,
            count: rows.find((row) => row.value === option)?.count ?? 0,
          }));
          const others = rows
            .filter((row) => !question.options.includes(row.value))
            .map((row) => ({ option: row.value, count: row.count }));
          return {
            id: question.id,
            text: question.text,
            kind: "choice",
            answers: total,
            options: [...offered, ...others],
          };
        }
        return { id: question.id, text: question.text, kind: "text", answers: total };
      }),
  }));
}

export type SurveyComment = {
  responseId: string;
  at: Date;
  surveyTitle: string;
  question: string;
  text: string;
  guestId: string;
  guestName: string | null;
};

export const COMMENTS_PAGE_SIZE = 10;

/** The guests' written answers, newest first, a page at a time. */
export async function surveyComments(
  tx: Tx,
  input: Scope & { page: number },
): Promise<{ comments: SurveyComment[]; total: number; page: number; pages: number }> {
  const [counted] = await tx.execute<{ total: number }>(sql`
    select count(*)::int as total
    from survey_responses r join survey_questions q on q.survey_id = r.survey_id and q.kind = 'text'
    where r.answers ? q.id::text${guestInScope(sql`r.guest_id`, input)}`);
  const total = counted?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / COMMENTS_PAGE_SIZE));
  const page = Math.min(Math.max(1, input.page), pages);
  const rows = await tx.execute<{
    response_id: string;
    at: string;
    survey_title: string;
    question: string;
    text: string;
    guest_id: string;
    guest_name: string | null;
  }>(sql`
    select r.id as response_id, to_json(r.created_at) #>> '{}' as at, s.title as survey_title, q.text as question,
           r.answers ->> q.id::text as text, r.guest_id, g.name as guest_name
    from survey_responses r
    join survey_questions q on q.survey_id = r.survey_id and q.kind = 'text'
    join surveys s on s.id = r.survey_id
    join guests g on g.id = r.guest_id
    where r.answers ? q.id::text${guestInScope(sql`r.guest_id`, input)}
    order by r.created_at desc, r.id, q.sort_order, q.id
    limit ${COMMENTS_PAGE_SIZE} offset ${(page - 1) * COMMENTS_PAGE_SIZE}`);
  return {
    comments: rows.map((row) => ({
      responseId: row.response_id,
      at: new Date(row.at),
      surveyTitle: row.survey_title,
      question: row.question,
      text: row.text,
      guestId: row.guest_id,
      guestName: row.guest_name,
    })),
    total,
    page,
    pages,
  };
}

/** Every dashboard query by name, as the page calls them (bench:analytics times each). */
export const DASHBOARD_QUERIES = {
  today: dashboardToday,
  figures: dashboardFigures,
  heatmap: dashboardHeatmap,
  cohorts: dashboardCohorts,
  guestBase: dashboardGuestBase,
  products: dashboardProducts,
  survey: surveySummaries,
  comments: surveyComments,
} as const;
