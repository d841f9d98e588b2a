import { desc, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { locations, orderItems, orders } from "@/db/schema";
import { AppError } from "../errors";
import { maxRedeemablePoints } from "../loyalty/formulas";
import { refreshedGuest } from "../loyalty/guests";
import type { Program } from "../loyalty/program";
import { getMenu, type MenuCategory } from "../menu/menu";
import { type BasketItem, type PricedBasket, type PricedLine, priceBasket } from "../menu/pricing";
import { type BasketOffer, offersForBasket } from "../offers/basket";
import { type BasketLine, DISCOUNT_KINDS, type OfferChoice } from "../offers/types";
import { planOffers } from "../offers/uses";
import type { LocationStatus } from "../tenants/hours";
import { type OrderSummary, orderForGuest, toOrderSummary } from "./queries";
import { type LocalDate, loadLocation, pickupOffer, type SlotOffer } from "./slots";

export type { SlotOffer, SlotView } from "./slots";

export type StoreLocation = {
  id: string;
  name: string;
  address: string;
  timezone: string;
  /** Open now or when it opens next, and whether it takes pick-up orders (the storefront's picker). */
  status?: LocationStatus;
};

export type CheckoutQuote = PricedBasket &
  SlotOffer & {
    location: StoreLocation;
    /** Points the guest can spend now (held points already deducted). */
    balance: number;
    maxRedeemPercent: number;
    /** min(balance, the programme's cap for the total after offers): the slider's upper bound. */
    maxPoints: number;
    /** The typed promo codes and the guest's own offers, each evaluated against this basket. */
    offers: BasketOffer[];
    /** Money the chosen offers take off (the most each allows; one money-off offer per order). */
    offerDiscount: number;
    /** subtotal − offerDiscount: what points and money pay. */
    total: number;
  };

const toStoreLocation = (location: StoreLocation): StoreLocation => ({
  id: location.id,
  name: location.name,
  address: location.address,
  timezone: location.timezone,
});

/**
 * What the checkout shows a signed-in guest before placing: the basket re-priced from the
 * location's menu today (stored client prices are never used), the day's pick-up slots for its
 * preparation minutes, and how many points may pay for it — min(balance, the programme's cap).
 * `placeOrder` checks all of it again under its locks; this is the honest preview.
 */
export async function checkoutQuote(
  tx: Tx,
  program: Program,
  input: {
    guestId: string;
    locationId: string;
    items: BasketItem[];
    /** Offers the guest chose (a personal offer by id, a typed promo code); placeOrder takes the same. */
    offers?: OfferChoice[];
    now?: Date;
  },
): Promise<CheckoutQuote> {
  const now = input.now ?? new Date();
  const location = await loadLocation(tx, input.locationId);
  const guest = await refreshedGuest(tx, input.guestId);
  if (!guest || guest.blockedAt || guest.deletedAt) {
    throw new AppError("not_found", "No guest with this id", "guest_not_found");
  }
  const menu = await getMenu(tx, { locationId: location.id, now });
  const basket = priceBasket(menu, input.items);
  const offer = await pickupOffer(tx, { location, prepMinutes: basket.prepMinutes, now });
  const balance = Math.max(0, guest.balance);
  // Offers against the orderable lines, as placeOrder will check them (a code that cannot be used throws).
  const orderable = basket.lines.filter((line) => line.problem === null);
  const lines = offerBasket(menu, orderable);
  const choices = input.offers ?? [];
  const offers = await offersForBasket(tx, {
    guestId: guest.id,
    locationId: location.id,
    locale: program.locale,
    lines,
    codes: choices.flatMap((choice) => ("code" in choice ? [choice.code] : [])),
    now,
  });
  const chosen =
    choices.length && lines.length
      ? await planOffers(tx, {
          locationId: location.id,
          guestId: guest.id,
          offers: choices.map((choice) => ({ ...choice, discount: "max" as const })),
          lines,
          total: basket.subtotal,
          at: now,
          pointsRedeemed: 0,
          accrualPercent: null,
        })
      : [];
  if (chosen.filter((plan) => DISCOUNT_KINDS.includes(plan.offer.kind)).length > 1) {
    throw new AppError("invalid_request", "One discount per order", undefined, [
      { path: "offers", message: "At most one offer that takes money off" },
    ]);
  }
  const offerDiscount = chosen.reduce((sum, plan) => sum + plan.discount, 0);
  const total = basket.subtotal - offerDiscount;
  return {
    ...basket,
    location: toStoreLocation(location),
    ...offer,
    balance,
    maxRedeemPercent: program.maxRedeemPercent,
    maxPoints: total > 0 ? maxRedeemablePoints(balance, program.maxRedeemPercent, total) : 0,
    offers,
    offerDiscount,
    total,
  };
}

/** Priced lines as offers see them: the product's SKU and its size's, the category's slug. */
export function offerBasket(menu: MenuCategory[], lines: PricedLine[]): BasketLine[] {
  return lines.map((line) => {
    const category = menu.find((candidate) => candidate.products.some((product) => product.sku === line.productSku));
    const product = category?.products.find((candidate) => candidate.sku === line.productSku);
    const variantSku = product?.variants.find((variant) => variant.slug === line.variantSlug)?.sku;
    return {
      sku: line.productSku,
      aliases: variantSku ? [variantSku] : [],
      category: category?.slug ?? null,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      amount: line.amount,
    };
  });
}

/**
 * The public slot view of a location for a basket of `prepMinutes` (no guest needed): the given
 * day's, or — without one — today's or, when today has nothing free, the next day's, as the
 * checkout offers them.
 */
export async function publicSlots(
  tx: Tx,
  input: { locationId: string; prepMinutes: number; date?: LocalDate; now?: Date },
): Promise<SlotOffer & { location: StoreLocation }> {
  const location = await loadLocation(tx, input.locationId);
  const offer = await pickupOffer(tx, {
    location,
    prepMinutes: input.prepMinutes,
    date: input.date,
    now: input.now ?? new Date(),
  });
  return { location: toStoreLocation(location), ...offer };
}

export type GuestOrderView = { order: OrderSummary; location: StoreLocation; cancellable: boolean };

/** The guest's own order with its location (name, zone) for the status page; anyone else's is a 404. */
export async function guestOrderView(tx: Tx, guestId: string, orderId: string): Promise<GuestOrderView> {
  const order = await orderForGuest(tx, guestId, orderId);
  const location = await loadLocation(tx, order.locationId);
  return { order, location: toStoreLocation(location), cancellable: order.status === "new" };
}

export type GuestOrderListItem = Pick<
  OrderSummary,
  "id" | "pickupCode" | "status" | "pickupAt" | "subtotal" | "pointsApplied" | "toPay" | "createdAt"
> & { location: StoreLocation; itemCount: number };

/** The guest's latest orders, newest first (the "my orders" list). */
export async function guestOrders(tx: Tx, guestId: string, limit = 20): Promise<GuestOrderListItem[]> {
  const rows = await tx
    .select()
    .from(orders)
    .where(eq(orders.guestId, guestId))
    .orderBy(desc(orders.createdAt))
    .limit(Math.min(Math.max(1, limit), 50));
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [items, places] = await Promise.all([
    tx.select().from(orderItems).where(inArray(orderItems.orderId, ids)),
    tx
      .select()
      .from(locations)
      .where(
        inArray(
          locations.id,
          rows.map((row) => row.locationId),
        ),
      ),
  ]);
  return rows.flatMap((row) => {
    const place = places.find((candidate) => candidate.id === row.locationId);
    if (!place) return [];
    const order = toOrderSummary(row, items);
    return [
      {
        id: order.id,
        pickupCode: order.pickupCode,
        status: order.status,
        pickupAt: order.pickupAt,
        subtotal: order.subtotal,
        pointsApplied: order.pointsApplied,
        toPay: order.toPay,
        createdAt: order.createdAt,
        location: toStoreLocation(place),
        itemCount: order.items.reduce((sum, item) => sum + item.quantity, 0),
      },
    ];
  });
}
