import { type SQL, sql } from "drizzle-orm";
import { type Database, type Tx, withTenant } from "@/db/client";

/**
 * The roll-ups (location_hour_stats, guest_location_days, product_day_stats and guest_stats'
 * counters) are recomputed from the raw tables, never incremented: a bucket — a location and a
 * café-local day, or a guest — is replaced as a whole by what the receipts, lines and refunds say
 * now. Running a refresh twice, or after a crash halfway, therefore changes nothing.
 *
 * "Café-local" is the location's time zone (locations.timezone): an hour of the heatmap is the hour
 * on the clock of the café where the check was closed.
 */

/** The tenant the transaction is bound to (withTenant), for rows written by set-based SQL. */
const BOUND_TENANT = sql`current_setting('app.tenant_id')::uuid`;

/** Changes consumed per transaction: a backlog (after an outage) is worked off in slices. */
const REFRESH_BATCH = 20_000;

type Bucket = { location_id: string; day: string };

/** What a refresh or rebuild recomputes: everything, or the touched buckets and guests. */
type Scope = { all: true } | { all: false; buckets: Bucket[]; guestIds: string[] };

export type RefreshResult = { tenants: number; changes: number; buckets: number; guests: number };

/**
 * Consumes analytics_changes for every café and recomputes the buckets and guests they touch
 * (each café in its own transactions, bound to it). Safe to run on several servers at once: a
 * café's refreshes queue on an advisory lock, and the queue rows are deleted in the transaction
 * that recomputes them, so a change is worked off exactly once (or again after a rollback).
 */
export async function refreshAnalytics(db: Database, batch = REFRESH_BATCH): Promise<RefreshResult> {
  // Cross-tenant discovery through a SECURITY DEFINER function: the app role sees no queue row
  // without a tenant bound.
  const pending = await db.execute<{ tenant_id: string }>(sql`select tenant_id from analytics_pending_tenants()`);
  const total: RefreshResult = { tenants: pending.length, changes: 0, buckets: 0, guests: 0 };
  for (const { tenant_id } of pending) {
    for (;;) {
      const done = await withTenant(tenant_id, (tx) => refreshBoundTenant(tx, batch), db);
      total.changes += done.changes;
      total.buckets += done.buckets;
      total.guests += done.guests;
      if (done.changes < batch) break;
    }
  }
  return total;
}

/** One slice of the bound café's queue: consumed and recomputed in the caller's transaction. */
export async function refreshBoundTenant(tx: Tx, batch = REFRESH_BATCH) {
  await lockTenantRollups(tx);
  const consumed = await tx.execute<{ guest_id: string | null; location_id: string | null; day: string | null }>(sql`
    with consumed as (
      delete from analytics_changes
      where id in (select id from analytics_changes order by id limit ${batch})
      returning guest_id, location_id, occurred_at)
    select c.guest_id, c.location_id, to_char((c.occurred_at at time zone l.timezone)::date, 'YYYY-MM-DD') as day
    from consumed c left join locations l on l.id = c.location_id`);
  const buckets = new Map<string, Bucket>();
  const guestIds = new Set<string>();
  for (const row of consumed) {
    if (row.location_id && row.day)
      buckets.set(`${row.location_id}/${row.day}`, { location_id: row.location_id, day: row.day });
    if (row.guest_id) guestIds.add(row.guest_id);
  }
  if (consumed.length > 0) {
    await recompute(tx, { all: false, buckets: [...buckets.values()], guestIds: [...guestIds] });
  }
  return { changes: consumed.length, buckets: buckets.size, guests: guestIds.size };
}

/**
 * Recomputes every roll-up of the café bound to `tx` from scratch, and empties its queue (what the
 * queue named is recomputed here anyway). For the seed, a restore, or a change of the rules.
 */
export async function rebuildAnalytics(tx: Tx): Promise<void> {
  await lockTenantRollups(tx);
  await tx.execute(sql`delete from analytics_changes`);
  await recompute(tx, { all: true });
}

/** Serialises refreshes and rebuilds of one café (transaction-scoped; the first lock taken). */
async function lockTenantRollups(tx: Tx) {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended('analytics-rollups:' || current_setting('app.tenant_id'), 0))`,
  );
}

async function recompute(tx: Tx, scope: Scope) {
  if (scope.all || scope.buckets.length > 0) {
    await recomputeLocationHours(tx, scope);
    await recomputeGuestLocationDays(tx, scope);
    await recomputeProductDays(tx, scope);
  }
  if (scope.all || scope.guestIds.length > 0) await recomputeGuests(tx, scope);
}

/**
 * The buckets as time ranges: (location, day, starts, ends), the day's bounds on the location's
 * clock. The whole history is one bucket per location with open bounds.
 */
function bucketsCte(scope: Scope): SQL {
  if (scope.all) {
    return sql`buckets as (
      select l.id as location_id, null::date as day, '-infinity'::timestamptz as starts,
             'infinity'::timestamptz as ends, l.timezone
      from locations l)`;
  }
  return sql`buckets as (
    select b.location_id, b.day, (b.day::timestamp at time zone l.timezone) as starts,
           ((b.day + 1)::timestamp at time zone l.timezone) as ends, l.timezone
    from jsonb_to_recordset(${JSON.stringify(scope.buckets)}::jsonb) as b(location_id uuid, day date)
    join locations l on l.id = b.location_id)`;
}

/** Deletes a roll-up table's rows in the scope's buckets (all of them for a rebuild). */
async function clearBuckets(tx: Tx, table: SQL, scope: Scope) {
  if (scope.all) {
    await tx.execute(sql`delete from ${table}`);
    return;
  }
  await tx.execute(sql`
    delete from ${table} s
    using jsonb_to_recordset(${JSON.stringify(scope.buckets)}::jsonb) as b(location_id uuid, day date)
    where s.location_id = b.location_id and s.day = b.day`);
}

/** Receipts in the scope's buckets, with their café-local time. */
const BUCKET_RECEIPTS = sql`bucket_receipts as (
  select r.id, r.location_id, r.guest_id, r.channel, r.total, r.points_earned, r.points_redeemed, r.occurred_at,
         (r.occurred_at at time zone b.timezone) as local_at
  from buckets b
  join receipts r on r.location_id = b.location_id and r.occurred_at >= b.starts and r.occurred_at < b.ends)`;

async function recomputeLocationHours(tx: Tx, scope: Scope) {
  await clearBuckets(tx, sql`location_hour_stats`, scope);
  await tx.execute(sql`
    with ${bucketsCte(scope)}, ${BUCKET_RECEIPTS},
    sales as (
      select location_id, local_at::date as day, extract(hour from local_at)::smallint as hour,
             count(*)::int as receipts, sum(total)::bigint as revenue, count(guest_id)::int as identified,
             count(*) filter (where channel = 'online')::int as online_receipts,
             coalesce(sum(total) filter (where channel = 'online'), 0)::bigint as online_revenue,
             sum(points_earned)::int as points_earned, sum(points_redeemed)::int as points_redeemed
      from bucket_receipts group by 1, 2, 3),
    refunded as (
      select f.location_id, (f.created_at at time zone b.timezone)::date as day,
             extract(hour from f.created_at at time zone b.timezone)::smallint as hour,
             count(*)::int as refunds, sum(f.amount)::bigint as amount
      from buckets b
      join refunds f on f.location_id = b.location_id and f.created_at >= b.starts and f.created_at < b.ends
      group by 1, 2, 3)
    insert into location_hour_stats (tenant_id, location_id, day, hour, receipts, revenue, identified_receipts,
      online_receipts, online_revenue, points_earned, points_redeemed, refunds, refunded_amount)
    select ${BOUND_TENANT}, location_id, day, hour, coalesce(s.receipts, 0), coalesce(s.revenue, 0),
           coalesce(s.identified, 0), coalesce(s.online_receipts, 0), coalesce(s.online_revenue, 0),
           coalesce(s.points_earned, 0), coalesce(s.points_redeemed, 0), coalesce(x.refunds, 0), coalesce(x.amount, 0)
    from sales s full join refunded x using (location_id, day, hour)`);
}

async function recomputeGuestLocationDays(tx: Tx, scope: Scope) {
  await clearBuckets(tx, sql`guest_location_days`, scope);
  await tx.execute(sql`
    with ${bucketsCte(scope)}, ${BUCKET_RECEIPTS}
    insert into guest_location_days (tenant_id, guest_id, location_id, day, receipts, revenue)
    select ${BOUND_TENANT}, guest_id, location_id, local_at::date, count(*)::int, sum(total)::bigint
    from bucket_receipts where guest_id is not null
    group by guest_id, location_id, local_at::date`);
}

async function recomputeProductDays(tx: Tx, scope: Scope) {
  await clearBuckets(tx, sql`product_day_stats`, scope);
  await tx.execute(sql`
    with ${bucketsCte(scope)}, ${BUCKET_RECEIPTS}
    insert into product_day_stats (tenant_id, location_id, day, sku, name, quantity, revenue, receipts)
    select ${BOUND_TENANT}, r.location_id, r.local_at::date, l.sku,
           (array_agg(l.name order by r.occurred_at desc, r.id desc, l.line_no desc))[1],
           sum(l.quantity)::float8, sum(l.amount)::bigint, count(distinct r.id)::int
    from bucket_receipts r join receipt_lines l on l.receipt_id = r.id
    group by r.location_id, r.local_at::date, l.sku`);
}

/** Days between two instants, as a real number. */
const DAYS = (interval: SQL) => sql`(extract(epoch from ${interval}) / 86400.0)`;

/**
 * The guests' counters, from all their receipts: visits by channel, first and last visit, spend
 * less refunds, the median gap, the usual weekday and hour (from 3 visits on; the most frequent,
 * the earliest on a tie), the favourite product (in most checks; the latest wins a tie) and the
 * locations visited. A guest left with no receipt (a claim moved it) loses the row. The nightly
 * fields (rhythm, segment, RFM) are kept. Each guest is read through LATERAL subqueries on the
 * receipts' guest index: a predictable plan from 3 guests to 100 000 (joins of grouped CTEs were
 * planned as nested loops over estimates of a few rows).
 */
async function recomputeGuests(tx: Tx, scope: Scope) {
  const guests = scope.all
    ? sql`select distinct guest_id from receipts where guest_id is not null`
    : sql`select (jsonb_array_elements_text(${JSON.stringify(scope.guestIds)}::jsonb))::uuid as guest_id`;
  await tx.execute(sql`
    with scope_guests as (${guests})
    insert into guest_stats as s (tenant_id, guest_id, visits, pos_visits, online_visits, first_visit_at,
      last_visit_at, spend, median_gap_days, usual_weekday, usual_hour, favourite_sku, favourite_name,
      favourite_count, location_ids, segment, updated_at)
    select ${BOUND_TENANT}, g.guest_id, m.visits, m.pos_visits, m.online_visits, m.first_visit_at, m.last_visit_at,
           m.paid - coalesce(x.amount, 0), gaps.median,
           case when m.visits >= 3 then m.weekday end, case when m.visits >= 3 then m.hour end,
           f.sku, f.name, f.checks, m.location_ids,
           -- A guest's first row says "new" until the nightly step decides (their first visit is recent).
           case when m.first_visit_at > now() - interval '30 days' then 'new' end, now()
    from scope_guests g
    cross join lateral (
      select count(*)::int as visits, count(*) filter (where v.channel = 'pos')::int as pos_visits,
             count(*) filter (where v.channel = 'online')::int as online_visits,
             min(v.occurred_at) as first_visit_at, max(v.occurred_at) as last_visit_at, sum(v.total)::bigint as paid,
             array_agg(distinct v.location_id) as location_ids,
             (mode() within group (order by extract(isodow from v.local_at)::int - 1))::smallint as weekday,
             (mode() within group (order by extract(hour from v.local_at)::int))::smallint as hour
      from (select r.channel, r.occurred_at, r.total, r.location_id, r.occurred_at at time zone l.timezone as local_at
            from receipts r join locations l on l.id = r.location_id where r.guest_id = g.guest_id) v) m
    cross join lateral (
      select percentile_cont(0.5) within group (order by ${DAYS(sql`gap`)}) as median
      from (select occurred_at - lag(occurred_at) over (order by occurred_at, id) as gap
            from receipts where guest_id = g.guest_id) v) gaps
    left join lateral (
      select sum(f.amount)::bigint as amount
      from receipts r join refunds f on f.receipt_id = r.id where r.guest_id = g.guest_id) x on true
    left join lateral (
      select l.sku, (array_agg(l.name order by r.occurred_at desc, l.line_no desc))[1] as name,
             count(distinct r.id)::int as checks
      from receipts r join receipt_lines l on l.receipt_id = r.id
      where r.guest_id = g.guest_id
      group by l.sku order by count(distinct r.id) desc, max(r.occurred_at) desc, l.sku limit 1) f on true
    where m.visits > 0
    on conflict (tenant_id, guest_id) do update set
      visits = excluded.visits, pos_visits = excluded.pos_visits, online_visits = excluded.online_visits,
      first_visit_at = excluded.first_visit_at, last_visit_at = excluded.last_visit_at, spend = excluded.spend,
      median_gap_days = excluded.median_gap_days, usual_weekday = excluded.usual_weekday,
      usual_hour = excluded.usual_hour, favourite_sku = excluded.favourite_sku,
      favourite_name = excluded.favourite_name, favourite_count = excluded.favourite_count,
      location_ids = excluded.location_ids, updated_at = now()`);
  const gone = scope.all
    ? sql`true`
    : sql`s.guest_id in (select (jsonb_array_elements_text(${JSON.stringify(scope.guestIds)}::jsonb))::uuid)`;
  await tx.execute(sql`
    delete from guest_stats s
    where ${gone} and not exists (select from receipts r where r.guest_id = s.guest_id)`);
}
