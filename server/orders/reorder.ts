import { asc, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { locations, orderItems } from "@/db/schema";
import { getMenu } from "../menu/menu";
import { type BasketItem, MAX_QUANTITY, priceBasket } from "../menu/pricing";
import { orderForGuest } from "./queries";

export type Reorder = {
  /** The lines still sold as they were (same size and options), for the cart. */
  items: BasketItem[];
  /** What cannot be had now (gone from the menu, sold out today, an option no longer offered), by name. */
  missing: string[];
};

/**
 * "Order again": the lines of one of the guest's own orders (anyone else's is a 404), checked
 * against today's menu at `locationId` (the guest's chosen location; the order's own when it is
 * none of this café's). Only what the checkout would accept as it is goes in; the rest is named.
 */
export async function reorderBasket(
  tx: Tx,
  input: { guestId: string; orderId: string; locationId?: string; locale?: string; now?: Date },
): Promise<Reorder> {
  const order = await orderForGuest(tx, input.guestId, input.orderId);
  const [chosen] = input.locationId
    ? await tx.select({ id: locations.id }).from(locations).where(eq(locations.id, input.locationId))
    : [];
  const menu = await getMenu(tx, { locationId: chosen?.id ?? order.locationId, locale: input.locale, now: input.now });
  const rows = await tx
    .select()
    .from(orderItems)
    .where(eq(orderItems.orderId, order.id))
    .orderBy(asc(orderItems.lineNo));
  const lines = rows.map((row) => ({
    name: row.name,
    item: {
      productSku: row.sku,
      ...(row.variantSlug ? { variantSlug: row.variantSlug } : {}),
      quantity: Math.min(MAX_QUANTITY, Math.max(1, Math.round(Number(row.quantity)))),
      modifiers: row.modifiers.map(({ groupSlug, optionSlug, quantity }) =>
        quantity && quantity > 1 ? { groupSlug, optionSlug, quantity } : { groupSlug, optionSlug },
      ),
    } satisfies BasketItem,
  }));
  const priced = priceBasket(
    menu,
    lines.map((line) => line.item),
  );
  const items: BasketItem[] = [];
  const missing: string[] = [];
  priced.lines.forEach((pricedLine, index) => {
    const line = lines[index];
    if (!line) return;
    if (pricedLine.problem === null) items.push(line.item);
    else if (!missing.includes(line.name)) missing.push(line.name);
  });
  return { items, missing };
}
