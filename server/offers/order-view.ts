import { and, asc, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { offers, offerUses } from "@/db/schema";
import { titleIn } from "./store";

export type OrderOfferLine = { offerId: string; title: string; code: string | null; discount: number };

/** The offers an order took (held or used; a cancelled order's released ones are not shown), for its page. */
export async function orderOfferLines(tx: Tx, orderId: string, locale: string): Promise<OrderOfferLine[]> {
  const rows = await tx
    .select({ offerId: offers.id, title: offers.title, code: offers.code, discount: offerUses.discount })
    .from(offerUses)
    .innerJoin(offers, eq(offers.id, offerUses.offerId))
    .where(and(eq(offerUses.orderId, orderId), inArray(offerUses.status, ["held", "used"])))
    .orderBy(asc(offerUses.createdAt));
  return rows.map((row) => ({ ...row, title: titleIn(row.title, locale) }));
}
