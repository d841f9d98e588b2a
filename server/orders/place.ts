import { randomInt, randomUUID } from "node:crypto";
import { and, eq, gte, lt } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guests, orderItems, orders } from "@/db/schema";
import type { OrderItemModifier } from "@/db/schema/orders";
import { recordAudit } from "../audit/record";
import { assertFeature } from "../billing/entitlements";
import { AppError } from "../errors";
import { lockName } from "../locks";
import type { Program } from "../loyalty/program";
import { holdPoints } from "../loyalty/redemptions";
import { readMenu } from "../menu/menu";
import { variantOf } from "../menu/pricing";
import type { BasketLine, OfferChoice } from "../offers/types";
import { DISCOUNT_KINDS } from "../offers/types";
import { type PlannedOffer, planOffers, takeOffers } from "../offers/uses";
import { type OrderSummary, orderById } from "./queries";
import {
  addDays,
  asapSlot,
  bookedMinutes,
  type LocalDate,
  loadLocation,
  localDateOf,
  localDayRange,
  locationSlotStarts,
  MAX_DAYS_AHEAD,
  orderedPortions,
  pickupSlots,
} from "./slots";
import { notifyOrder } from "./transitions";

export type PlaceOrderInput = {
  tenantId: string;
  guestId: string;
  locationId: string;
  items: {
    productSku: string;
    /** The size, for a product with sizes. */
    variantSlug?: string;
    /** An integer ≥ 1. */
    quantity: number;
    modifiers?: { groupSlug: string; optionSlug: string; quantity?: number }[];
  }[];
  /** "asap" (the earliest slot that fits) or the ISO start of a pick-up slot. */
  pickup: "asap" | string;
  comment?: string;
  /** Points to pay with (held now, spent at pick-up); within the cap of the total after offers, and the balance. */
  pointsToUse: number;
  /**
   * Offers to apply (a personal offer by id, a promo code as typed): the server takes the most
   * each allows on this basket, holds its use with the order (spent at pick-up, released on
   * cancel). At most one of them may take money off.
   */
  offers?: OfferChoice[];
  /** Chosen by the client per checkout; a double submit returns the first order. */
  idempotencyKey: string;
  /** For tests; the clock otherwise. */
  now?: Date;
};

export type PlacedOrder = { order: OrderSummary; replayed: boolean };

/** How long after the pick-up time the points stay held for a late guest before they go back. */
export const ORDER_HOLD_GRACE_MINUTES = 180;
const MAX_LINES = 50;
const MAX_QUANTITY = 99;
/** Letters that read the same in Latin and Cyrillic, so a code read aloud is never misheard. */
const CODE_LETTERS = "ABCEHKMPTX";

const unprocessable = (reason: string, message: string, details?: unknown) =>
  new AppError("unprocessable", message, reason, details);

type PricedLine = {
  productId: string;
  sku: string;
  name: string;
  variantSlug: string | null;
  variantName: string | null;
  quantity: number;
  unitPrice: number;
  amount: number;
  prepMinutes: number;
  modifiers: OrderItemModifier[];
  dailyLimit: number | null;
  /** For offers: the size's own SKU and the menu category's slug. */
  variantSku: string | null;
  categorySlug: string | null;
};

/**
 * Places a pick-up pre-order for a guest, in the caller's transaction: checks the menu, the
 * location's availability and stop-list, prices the lines in minor units, takes the day's
 * limited portions and a slot race-free, holds the points until after pick-up, and stores the
 * order with snapshots of its lines. Idempotent by (guest, idempotencyKey).
 */
export async function placeOrder(tx: Tx, program: Program, input: PlaceOrderInput): Promise<PlacedOrder> {
  // The online storefront is a plan feature (not on Start), and a lapsed café takes no orders.
  await assertFeature(tx, "storefront");
  validateShape(input);
  // A double-submitted checkout waits here for the first, then finds its order.
  await lockName(tx, `order:${input.tenantId}:${input.guestId}:${input.idempotencyKey}`);
  const [existing] = await tx
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.guestId, input.guestId), eq(orders.idempotencyKey, input.idempotencyKey)));
  if (existing) return { order: await orderById(tx, existing.id), replayed: true };

  const now = input.now ?? new Date();
  const guestQuery = tx
    .select({ id: guests.id, blockedAt: guests.blockedAt, deletedAt: guests.deletedAt })
    .from(guests)
    .where(eq(guests.id, input.guestId));
  // With offers, the guest's row is locked before their earlier uses are counted, so two orders
  // (or an order and a till) cannot both take an offer's last use per guest. With points too:
  // their hold locks the guest anyway, and taking that lock before the slot lock (as an order
  // with offers does) keeps two orders of one guest from deadlocking.
  const locksGuest = Boolean(input.offers?.length) || input.pointsToUse > 0;
  const [guest] = locksGuest ? await guestQuery.for("update", { of: guests }) : await guestQuery;
  if (!guest || guest.blockedAt || guest.deletedAt) {
    throw new AppError("not_found", "No guest with this id", "guest_not_found");
  }
  const location = await loadLocation(tx, input.locationId);
  if (!location.pickupEnabled || location.archivedAt) {
    throw unprocessable("pickup_off", "This location takes no pick-up orders");
  }
  const today = localDateOf(now, location.timezone);
  const requested = input.pickup === "asap" ? null : parsePickup(input.pickup);
  const date: LocalDate = requested ? localDateOf(requested, location.timezone) : today;
  if (date < today || date > addDays(today, MAX_DAYS_AHEAD)) {
    throw unprocessable("slot_unavailable", "The pick-up time is not within the days orders are taken for");
  }

  const lines = await priceLines(tx, input, date);
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const plannedOffers = await planOrderOffers(tx, input, { lines, subtotal, locationId: location.id, now });
  const offerDiscount = plannedOffers.reduce((sum, plan) => sum + plan.discount, 0);
  const prepMinutes = lines.reduce((sum, line) => sum + line.prepMinutes, 0);
  const { from: dayStart, to: dayEnd } = localDayRange(date, location.timezone);

  // Limited portions: two guests taking the last one queue on this lock, and the second then
  // counts the first's order. Locks in a fixed (sorted) order, so two baskets cannot deadlock.
  const limited = [...new Set(lines.filter((line) => line.dailyLimit !== null).map((line) => line.productId))].sort();
  for (const productId of limited) {
    await lockName(tx, `order-limit:${productId}:${location.id}:${date}`);
  }
  await enforceDailyLimits(tx, { lines, locationId: location.id, from: dayStart, to: dayEnd });

  // Slots and pickup codes of a location-day are decided one order at a time.
  await lockName(tx, `order-slots:${location.id}:${date}`);
  const booked = await bookedMinutes(tx, { locationId: location.id, from: dayStart, to: dayEnd });
  const slots = pickupSlots({
    starts: locationSlotStarts(location, date),
    now,
    prepMinutes,
    capacityMinutes: location.slotCapacityMinutes,
    booked,
    slotMinutes: location.slotMinutes,
  });
  const slot = requested ? slots.find((s) => s.startsAt.getTime() === requested.getTime()) : asapSlot(slots);
  if (!slot) {
    throw requested
      ? unprocessable("slot_unavailable", "The café is not taking pick-ups at this time")
      : unprocessable("no_slot_available", "No pick-up slot can fit this order today");
  }
  if (slot.tooSoon) throw unprocessable("slot_too_soon", "The order cannot be ready by this time");
  if (slot.full) throw unprocessable("slot_full", "This pick-up slot is fully booked");
  const pickupCode = await newPickupCode(tx, { locationId: location.id, from: dayStart, to: dayEnd });

  const orderId = randomUUID();
  let redemptionId: string | null = null;
  if (input.pointsToUse > 0) {
    // Cap first, then the balance (the loyalty engine's order); held until well after pick-up.
    const { redemption } = await holdPoints(tx, program, {
      guestId: input.guestId,
      locationId: location.id,
      points: input.pointsToUse,
      checkTotal: subtotal - offerDiscount,
      externalCheckId: `order-${orderId}`,
      expiresAt: new Date(slot.startsAt.getTime() + ORDER_HOLD_GRACE_MINUTES * 60_000),
    });
    redemptionId = redemption.id;
  }

  await tx.insert(orders).values({
    tenantId: input.tenantId,
    id: orderId,
    locationId: location.id,
    guestId: input.guestId,
    pickupCode,
    status: "new",
    asap: requested === null,
    pickupAt: slot.startsAt,
    prepMinutes,
    comment: input.comment?.trim() || null,
    subtotal,
    pointsApplied: input.pointsToUse,
    offerDiscount,
    redemptionId,
    idempotencyKey: input.idempotencyKey,
  });
  await tx.insert(orderItems).values(
    lines.map((line, index) => ({
      tenantId: input.tenantId,
      orderId,
      lineNo: index + 1,
      productId: line.productId,
      name: line.name,
      sku: line.sku,
      variantSlug: line.variantSlug,
      variantName: line.variantName,
      quantity: String(line.quantity),
      unitPrice: line.unitPrice,
      amount: line.amount,
      modifiers: line.modifiers,
    })),
  );
  if (plannedOffers.length > 0) {
    await takeOffers(tx, {
      tenantId: input.tenantId,
      locationId: location.id,
      guestId: input.guestId,
      planned: plannedOffers,
      orderId,
    });
  }
  await notifyOrder(tx, { tenantId: input.tenantId, locationId: location.id, orderId, status: "new" });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "guest",
    actorRef: input.guestId,
    action: "order.place",
    targetType: "order",
    targetId: orderId,
    meta: {
      subtotal,
      pointsApplied: input.pointsToUse,
      redemptionId,
      pickupAt: slot.startsAt.toISOString(),
      ...(plannedOffers.length
        ? { offerDiscount, offers: plannedOffers.map((plan) => ({ id: plan.offer.id, discount: plan.discount })) }
        : {}),
    },
  });
  return { order: await orderById(tx, orderId), replayed: false };
}

/** The order's lines as offers see them: the product's SKU (and its size's), the menu category's slug. */
function orderBasket(lines: PricedLine[]): BasketLine[] {
  return lines.map((line) => ({
    sku: line.sku,
    aliases: line.variantSku ? [line.variantSku] : [],
    category: line.categorySlug,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    amount: line.amount,
  }));
}

/**
 * The offers the guest chose, checked against the priced basket with the most each allows (the
 * server decides the discount, never the client). One money-off offer per order: two would have
 * to share lines, and the receipt at pick-up must spread each over its lines the same way.
 */
async function planOrderOffers(
  tx: Tx,
  input: PlaceOrderInput,
  basket: { lines: PricedLine[]; subtotal: number; locationId: string; now: Date },
): Promise<PlannedOffer[]> {
  if (!input.offers?.length) return [];
  const planned = await planOffers(tx, {
    locationId: basket.locationId,
    guestId: input.guestId,
    offers: input.offers.map((choice) => ({ ...choice, discount: "max" as const })),
    lines: orderBasket(basket.lines),
    total: basket.subtotal,
    at: basket.now,
    pointsRedeemed: 0,
    accrualPercent: null,
  });
  if (planned.filter((plan) => DISCOUNT_KINDS.includes(plan.offer.kind)).length > 1) {
    throw new AppError("invalid_request", "One discount per order", undefined, [
      { path: "offers", message: "At most one offer that takes money off" },
    ]);
  }
  return planned;
}

function validateShape(input: PlaceOrderInput): void {
  const problems: { path: string; message: string }[] = [];
  if (!input.idempotencyKey || input.idempotencyKey.length > 200) {
    problems.push({ path: "idempotencyKey", message: "Required, at most 200 characters" });
  }
  if (input.items.length === 0 || input.items.length > MAX_LINES) {
    problems.push({ path: "items", message: `From 1 to ${MAX_LINES} lines` });
  }
  input.items.forEach((item, index) => {
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY) {
      problems.push({ path: `items.${index}.quantity`, message: `An integer from 1 to ${MAX_QUANTITY}` });
    }
  });
  if (!Number.isSafeInteger(input.pointsToUse) || input.pointsToUse < 0) {
    problems.push({ path: "pointsToUse", message: "A non-negative integer" });
  }
  if ((input.comment?.length ?? 0) > 500) problems.push({ path: "comment", message: "At most 500 characters" });
  if (problems.length > 0) throw new AppError("invalid_request", "The order is not valid", undefined, problems);
}

function parsePickup(pickup: string): Date {
  const at = new Date(pickup);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(pickup) || Number.isNaN(at.getTime())) {
    throw new AppError("invalid_request", "pickup is 'asap' or an ISO date-time", undefined, [
      { path: "pickup", message: "Expected 'asap' or an ISO date-time" },
    ]);
  }
  // Slots start on whole minutes (their length is the location's; the slot list decides the rest).
  if (at.getTime() % 60_000 !== 0) {
    throw unprocessable("slot_unavailable", "The pick-up time is not the start of a slot");
  }
  return at;
}

/**
 * Looks the basket up in the menu model the storefront shows (`readMenu`, at the location, for
 * `date`) and prices it: unit price = the location's price of the size (or of the product) +
 * option deltas × their quantities, amount = unit × quantity (integers in minor units);
 * preparation minutes likewise. Refuses products that are unknown, archived, not offered at the
 * location or on its stop-list for `date`, a missing or unknown size, and modifiers outside the
 * product's groups, sold out at the location, or breaking a group's min/max selection.
 */
async function priceLines(tx: Tx, input: PlaceOrderInput, date: LocalDate): Promise<PricedLine[]> {
  const model = await readMenu(tx, { locationId: input.locationId, date });
  const bySku = new Map(model.products.map((product) => [product.sku, product]));
  const categorySlugs = new Map(model.categories.map((category) => [category.id, category.slug]));

  return input.items.map((item, index) => {
    const product = bySku.get(item.productSku);
    if (!product) {
      throw unprocessable("product_not_found", `No product ${item.productSku} on the menu`, { line: index });
    }
    if (!product.offered) {
      throw unprocessable("product_unavailable", `${product.name} is not offered at this location`, {
        sku: product.sku,
      });
    }
    if (product.stopListed) {
      throw unprocessable("product_sold_out", `${product.name} is sold out today`, { sku: product.sku });
    }
    const { variant, valid } = variantOf(product, item.variantSlug);
    if (!valid) {
      throw unprocessable(
        "variant_invalid",
        product.variants.length > 0 ? `Choose a size of ${product.name}` : `${product.name} has no sizes`,
        { sku: product.sku, variantSlug: item.variantSlug ?? null },
      );
    }
    const chosen: OrderItemModifier[] = [];
    let unitPrice = variant?.price ?? product.price;
    let unitPrep = product.prepMinutes + (variant?.prepMinutesDelta ?? 0);
    const perGroup = new Map<string, number>();
    const seen = new Set<string>();
    for (const modifier of item.modifiers ?? []) {
      const group = product.modifierGroups.find((g) => g.slug === modifier.groupSlug);
      const option = group?.options.find((o) => o.slug === modifier.optionSlug);
      if (!group || !option) {
        throw unprocessable(
          "modifier_invalid",
          `${modifier.groupSlug}/${modifier.optionSlug} is not a choice for ${product.name}`,
          { sku: product.sku, ...modifier },
        );
      }
      if (option.soldOut) {
        throw unprocessable("modifier_sold_out", `${option.name} is sold out today`, {
          sku: product.sku,
          ...modifier,
        });
      }
      const quantity = modifier.quantity ?? 1;
      const key = `${group.slug}/${option.slug}`;
      if (seen.has(key) || !Number.isInteger(quantity) || quantity < 1 || quantity > group.maxPerOption) {
        throw unprocessable(
          "modifier_invalid",
          seen.has(key) ? `${option.name} is chosen twice` : `${option.name}: at most ${group.maxPerOption}`,
          { sku: product.sku, ...modifier },
        );
      }
      seen.add(key);
      perGroup.set(group.id, (perGroup.get(group.id) ?? 0) + quantity);
      unitPrice += option.priceDelta * quantity;
      unitPrep += option.prepMinutesDelta * quantity;
      chosen.push({
        groupSlug: group.slug,
        optionSlug: option.slug,
        name: option.name,
        priceDelta: option.priceDelta,
        // Stored only when more than one, so single choices read as they always did.
        ...(quantity > 1 ? { quantity } : {}),
      });
    }
    // Options that take money off (no milk −20 ₽) may never make a line pay the guest.
    if (unitPrice < 0) {
      throw unprocessable("modifier_invalid", `${product.name} with these options would cost less than nothing`, {
        sku: product.sku,
      });
    }
    for (const group of product.modifierGroups) {
      const count = perGroup.get(group.id) ?? 0;
      if (count < group.minSelect || count > group.maxSelect) {
        throw unprocessable(
          "modifier_selection",
          `${group.name}: choose from ${group.minSelect} to ${group.maxSelect} for ${product.name}`,
          { sku: product.sku, groupSlug: group.slug, minSelect: group.minSelect, maxSelect: group.maxSelect },
        );
      }
    }
    return {
      productId: product.id,
      sku: product.sku,
      name: product.name,
      variantSlug: variant?.slug ?? null,
      variantName: variant?.name ?? null,
      quantity: item.quantity,
      unitPrice,
      amount: unitPrice * item.quantity,
      prepMinutes: Math.max(0, unitPrep) * item.quantity,
      modifiers: chosen,
      dailyLimit: product.dailyLimit,
      variantSku: variant?.sku ?? null,
      categorySlug: categorySlugs.get(product.categoryId) ?? null,
    };
  });
}

/** 422 daily_limit_reached when today's ordered portions plus this basket's exceed a product's limit. */
async function enforceDailyLimits(
  tx: Tx,
  input: { lines: PricedLine[]; locationId: string; from: Date; to: Date },
): Promise<void> {
  const limits = [
    ...new Map(
      input.lines
        .filter((line) => line.dailyLimit !== null)
        .map((line) => [
          line.productId,
          { id: line.productId, name: line.name, sku: line.sku, dailyLimit: line.dailyLimit },
        ]),
    ).values(),
  ];
  const ordered = await orderedPortions(
    tx,
    input,
    limits.map((limit) => limit.id),
  );
  for (const limit of limits) {
    const already = ordered.get(limit.id) ?? 0;
    const wanted = input.lines
      .filter((line) => line.productId === limit.id)
      .reduce((sum, line) => sum + line.quantity, 0);
    const left = Math.max(0, (limit.dailyLimit ?? 0) - already);
    if (wanted > left) {
      throw unprocessable(
        "daily_limit_reached",
        left === 0 ? `${limit.name} is sold out for the day` : `Only ${left} × ${limit.name} left for the day`,
        { sku: limit.sku, left },
      );
    }
  }
}

/** "123K": 3 digits and a letter, unique per location and pick-up day (under the slot lock). */
async function newPickupCode(tx: Tx, input: { locationId: string; from: Date; to: Date }): Promise<string> {
  const taken = await tx
    .select({ code: orders.pickupCode })
    .from(orders)
    .where(
      and(eq(orders.locationId, input.locationId), gte(orders.pickupAt, input.from), lt(orders.pickupAt, input.to)),
    );
  const used = new Set(taken.map((row) => row.code));
  for (let attempt = 0; attempt < 200; attempt++) {
    const code = `${String(randomInt(0, 1000)).padStart(3, "0")}${CODE_LETTERS[randomInt(0, CODE_LETTERS.length)]}`;
    if (!used.has(code)) return code;
  }
  throw new Error("Could not allocate a pick-up code");
}
