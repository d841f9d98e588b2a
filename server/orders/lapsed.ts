import { and, asc, inArray, lte, sql } from "drizzle-orm";
import { type Database, type Tx, withTenant } from "@/db/client";
import { offerUses, orders, tenants } from "@/db/schema";
import { logger } from "../log";
import { releaseOrderOffers } from "../offers/uses";
import { ORDER_HOLD_GRACE_MINUTES } from "./place";

// An order that is never collected nor cancelled would keep the offer uses it holds forever (a
// promo code's last use, the guest's single-use offer). Once its points hold would have run out
// (the pick-up time plus the grace for a late guest), the uses go back, as the points do.

/**
 * Releases the held offer uses of the café's orders still open `ORDER_HOLD_GRACE_MINUTES` after
 * their pick-up time, in the caller's tenant-bound transaction. An order being collected or
 * cancelled at this moment is skipped (its row is locked) and looked at on the next run.
 * Returns how many uses were released.
 */
export async function releaseLapsedOrderOffers(tx: Tx, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - ORDER_HOLD_GRACE_MINUTES * 60_000);
  const lapsed = await tx
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        inArray(orders.status, ["new", "accepted", "ready"]),
        lte(orders.pickupAt, cutoff),
        sql`exists (select 1 from ${offerUses} u where u.order_id = ${orders.id} and u.status = 'held')`,
      ),
    )
    .orderBy(asc(orders.id))
    .for("update", { skipLocked: true });
  let released = 0;
  for (const order of lapsed) released += await releaseOrderOffers(tx, order.id);
  return released;
}

/** The background job: every café in turn, each in its own transaction. */
export async function releaseLapsedOrderOffersEverywhere(db: Database, now: Date = new Date()): Promise<number> {
  const cafes = await db.select({ id: tenants.id }).from(tenants).orderBy(asc(tenants.id));
  let released = 0;
  for (const cafe of cafes) {
    try {
      released += await withTenant(cafe.id, (tx) => releaseLapsedOrderOffers(tx, now), db);
    } catch (error) {
      // One café's failure must not keep the others' uses held.
      logger().error({ err: error, tenantId: cafe.id }, "releasing lapsed orders' offers failed");
    }
  }
  return released;
}
