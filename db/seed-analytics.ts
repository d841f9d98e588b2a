import { sql } from "drizzle-orm";
import { rebuildAnalytics } from "../server/analytics/rollups";
import { runNightlyAnalytics } from "../server/analytics/segments";
import type { Tx } from "./client";

/**
 * The last steps of seeding a demo café (in its transaction, bound to it): some of the history
 * becomes picked-up online orders, then the roll-ups are built and the nightly step run, so a fresh
 * demo opens with full dashboards, rhythms and segments.
 */
export async function finishDemoAnalytics(tx: Tx, now: Date): Promise<void> {
  await turnChecksIntoPickups(tx);
  await rebuildAnalytics(tx);
  await runNightlyAnalytics(tx, { now });
}

/**
 * Guests who signed up online (no enrolment café) order ahead now and then: every third of their
 * checks becomes a collected pick-up order with the same lines, paid the same way, which the till
 * recorded as the order's online receipt (as server/orders/transitions.ts writes it). Money, points
 * and the ledger are unchanged; the order numbers are derived, so every run tells the same story.
 */
async function turnChecksIntoPickups(tx: Tx): Promise<void> {
  await tx.execute(sql`
    with ranked as (
      select r.id as receipt_id, r.location_id, r.guest_id, r.occurred_at, r.total, r.points_redeemed,
             r.redemption_id, r.external_id,
             row_number() over (partition by r.guest_id order by r.occurred_at, r.external_id) as visit_no
      from receipts r join guests g on g.tenant_id = r.tenant_id and g.id = r.guest_id
      -- The café in hand, also when run as a role past row-level security (benchmarks).
      where r.tenant_id = current_setting('app.tenant_id')::uuid and g.enrolled_location_id is null),
    chosen as materialized (
      select ranked.*, gen_random_uuid() as order_id,
             lpad(((visit_no * 37 + length(external_id) * 11) % 1000)::text, 3, '0') || 'A' as pickup_code
      from ranked where visit_no % 3 = 2),
    placed as (
      insert into orders (tenant_id, id, location_id, guest_id, pickup_code, status, asap, pickup_at, prep_minutes,
        subtotal, points_applied, redemption_id, idempotency_key, created_at, updated_at)
      select current_setting('app.tenant_id')::uuid, order_id, location_id, guest_id, pickup_code, 'picked_up', true,
             occurred_at - interval '5 minutes', 5, total, points_redeemed, redemption_id, 'seed-' || external_id,
             occurred_at - interval '20 minutes', occurred_at
      from chosen),
    items as (
      insert into order_items (tenant_id, order_id, line_no, product_id, name, sku, quantity, unit_price, amount)
      select current_setting('app.tenant_id')::uuid, c.order_id, l.line_no, p.id, l.name, l.sku, l.quantity,
             l.unit_price, l.amount
      from chosen c join receipt_lines l on l.receipt_id = c.receipt_id join products p on p.tenant_id = l.tenant_id and p.sku = l.sku)
    update receipts r
    set channel = 'online', order_id = c.order_id, external_id = 'order-' || c.pickup_code || '-' || c.external_id
    from chosen c where r.id = c.receipt_id`);
}
