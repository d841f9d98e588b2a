import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

export type DailyRevenue = { day: string; revenue: number; receipts: number };
export type Summary = {
  receipts: number;
  revenue: number;
  averageCheck: number;
  guests: number;
  identifiedShare: number;
  daily: DailyRevenue[];
};

/**
 * The last `days` days of the tenant bound to `tx`, by the tenant's calendar: receipts, revenue
 * (minor units: the checks' totals before points and refunds), the average check, distinct guests, the share of checks with a known guest and
 * revenue per day (every day present, zero when closed).
 */
export async function salesSummary(tx: Tx, input: { days: number; timezone: string }): Promise<Summary> {
  // Sums of money arrive as bigint text and are converted exactly (well below 2^53 minor units).
  const daily = await tx.execute<{ day: string; revenue: string; receipts: number }>(sql`
    with days as (
      select generate_series(
        (now() at time zone ${input.timezone})::date - (${input.days - 1})::int,
        (now() at time zone ${input.timezone})::date, interval '1 day')::date as day
    )
    select to_char(d.day, 'YYYY-MM-DD') as day, coalesce(sum(r.total), 0)::bigint as revenue,
           count(r.id)::int as receipts
    from days d
    left join receipts r on (r.occurred_at at time zone ${input.timezone})::date = d.day
    group by d.day order by d.day`);
  const [totals] = await tx.execute<{ receipts: number; revenue: string; guests: number; identified: number }>(sql`
    select count(*)::int as receipts, coalesce(sum(total), 0)::bigint as revenue,
           count(distinct guest_id)::int as guests, count(guest_id)::int as identified
    from receipts
    where occurred_at >= ((now() at time zone ${input.timezone})::date - (${input.days - 1})::int) at time zone ${input.timezone}`);
  const receipts = totals?.receipts ?? 0;
  const revenue = Number(totals?.revenue ?? 0);
  return {
    receipts,
    revenue,
    averageCheck: receipts === 0 ? 0 : Math.round(revenue / receipts), // minor units, rounded to the kopeck
    guests: totals?.guests ?? 0,
    identifiedShare: receipts === 0 ? 0 : Math.round(((totals?.identified ?? 0) * 100) / receipts),
    daily: daily.map((row) => ({ day: row.day, revenue: Number(row.revenue), receipts: row.receipts })),
  };
}
