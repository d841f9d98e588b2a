import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type Tx, withTenant } from "@/db/client";
import { offers, offerUses, receiptLines, receipts } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { AppError } from "../errors";
import { enrolGuest } from "../loyalty/guests";
import { loadProgram, type Program } from "../loyalty/program";
import { checkoutQuote } from "../orders/checkout";
import { releaseLapsedOrderOffers, releaseLapsedOrderOffersEverywhere } from "../orders/lapsed";
import { ORDER_HOLD_GRACE_MINUTES, type PlaceOrderInput, placeOrder } from "../orders/place";
import { insertTestMenu } from "../orders/testing";
import { transitionOrder } from "../orders/transitions";
import { createPosTenant, posClient } from "../pos/testing";
import { grantOffer } from "./grants";
import { createOffer } from "./manage";
import type { OfferInput } from "./types";

// Online orders with offers: the server prices the discount, holds the use with the order, spends
// it at pick-up (the online receipt reports it) and releases it on cancel — as points are held.

const db = await testDatabase();
let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let counter = 0;
/** 09:00 in Moscow on Monday 4 March 2030: far from the real clock, so slots are deterministic. */
const morning = new Date(Date.UTC(2030, 2, 4, 6, 0));
const staff = { kind: "staff" as const, userId: undefined };
const latte = { productSku: "latte", quantity: 1, modifiers: [{ groupSlug: "size", optionSlug: "s" }] };
const croissant = { productSku: "croissant", quantity: 1, modifiers: [] };

function inTenant<T>(work: (tx: Tx, program: Program) => Promise<T>): Promise<T> {
  return withTenant(cafe.tenantId, async (tx) => work(tx, await loadProgram(tx)), db.app);
}

async function enrol(): Promise<string> {
  counter += 1;
  const guest = await inTenant((tx, program) =>
    enrolGuest(tx, program, {
      tenantId: cafe.tenantId,
      phone: `+7927${String(1_000_000 + counter).slice(-7)}`,
      channel: "online",
      actor: { kind: "guest" },
    }),
  );
  return guest.id;
}

function makeOffer(input: Partial<OfferInput> & Pick<OfferInput, "kind" | "value">) {
  return inTenant((tx) =>
    createOffer(tx, { tenantId: cafe.tenantId, userId: null }, { title: { ru: "Тест" }, source: "personal", ...input }),
  );
}

function order(guestId: string, overrides: Partial<PlaceOrderInput> = {}): PlaceOrderInput {
  counter += 1;
  return {
    tenantId: cafe.tenantId,
    guestId,
    locationId: cafe.locationId,
    items: [latte, croissant],
    pickup: "asap",
    pointsToUse: 0,
    idempotencyKey: `offers-checkout-${counter}`,
    now: morning,
    ...overrides,
  };
}

const place = (input: PlaceOrderInput) => inTenant((tx, program) => placeOrder(tx, program, input));

async function refusal(promise: Promise<unknown>): Promise<{ code: string; reason?: string; details?: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, reason: error.reason, details: error.details };
    throw error;
  }
  throw new Error("expected a refusal");
}

async function pickUp(orderId: string) {
  let last: Awaited<ReturnType<typeof transitionOrder>> | null = null;
  for (const to of ["accepted", "ready", "picked_up"] as const) {
    last = await inTenant((tx, program) => transitionOrder(tx, program, { orderId, to, actor: staff }));
  }
  return last;
}

async function usesOf(offerId: string) {
  return db.admin.select().from(offerUses).where(eq(offerUses.offerId, offerId));
}

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "offers-orders");
  await withTenant(
    cafe.tenantId,
    (tx) =>
      insertTestMenu(tx, cafe.tenantId, [
        { sku: "latte", name: "Латте", price: 25_000, prepMinutes: 3 },
        { sku: "croissant", name: "Круассан", price: 15_000, prepMinutes: 1 },
      ]),
    db.app,
  );
});

describe("a promo code at the online checkout", () => {
  it("lowers the quote and the order, holds the use, and a cancel gives it back", async () => {
    const guest = await enrol();
    const code = await makeOffer({ kind: "percent_off", value: 20, source: "code", code: "OSEN25", totalLimit: 1 });
    const quote = await inTenant((tx, program) =>
      checkoutQuote(tx, program, {
        guestId: guest,
        locationId: cafe.locationId,
        items: [latte, croissant],
        offers: [{ code: "osen25" }],
        now: morning,
      }),
    );
    expect(quote.subtotal).toBe(40_000);
    expect(quote.offerDiscount).toBe(8_000);
    expect(quote.total).toBe(32_000);
    // The cap is on what is left: 30 % of 320 ₽ = 96 points, but the balance is the welcome 100.
    expect(quote.maxPoints).toBe(96);
    expect(quote.offers[0]).toMatchObject({ id: code.id, code: "OSEN25", applicable: true, maxDiscount: 8_000 });

    const placed = await place(order(guest, { offers: [{ code: "OSEN25" }] }));
    expect(placed.order).toMatchObject({ subtotal: 40_000, offerDiscount: 8_000, toPay: 32_000 });
    expect(await usesOf(code.id)).toMatchObject([{ status: "held", discount: 8_000, orderId: placed.order.id }]);
    // The only use is held: another guest cannot have it meanwhile.
    const other = await enrol();
    expect(await refusal(place(order(other, { offers: [{ code: "OSEN25" }] })))).toMatchObject({
      reason: "offer_used_up",
    });

    await inTenant((tx, program) =>
      transitionOrder(tx, program, {
        orderId: placed.order.id,
        to: "cancelled",
        actor: { kind: "guest", guestId: guest },
      }),
    );
    expect(await usesOf(code.id)).toMatchObject([{ status: "released" }]);
    const [stored] = await db.admin.select().from(offers).where(eq(offers.id, code.id));
    expect(stored?.usesCount).toBe(0);
    const again = await place(order(other, { offers: [{ code: "OSEN25" }] }));
    expect(again.order.offerDiscount).toBe(8_000);
  });

  it("refuses unknown, expired and stacked discounts", async () => {
    const guest = await enrol();
    expect(await refusal(place(order(guest, { offers: [{ code: "NOSUCH" }] })))).toMatchObject({
      code: "not_found",
      reason: "offer_not_found",
    });
    await makeOffer({
      kind: "amount_off",
      value: 1_000,
      source: "code",
      code: "OLD",
      validFrom: new Date(Date.UTC(2029, 0, 1)),
      validUntil: new Date(Date.UTC(2029, 11, 31)),
    });
    expect(await refusal(place(order(guest, { offers: [{ code: "OLD" }] })))).toMatchObject({
      reason: "offer_not_applicable",
      details: { reason: "expired" },
    });
    await makeOffer({ kind: "amount_off", value: 1_000, source: "code", code: "TENOFF" });
    await makeOffer({ kind: "amount_off", value: 2_000, source: "code", code: "TWENTYOFF" });
    expect(await refusal(place(order(guest, { offers: [{ code: "TENOFF" }, { code: "TWENTYOFF" }] })))).toMatchObject({
      code: "invalid_request",
    });
  });
});

describe("a personal offer on an online order", () => {
  it("is spent at pick-up: the receipt reports it, its lines are after it, points accrue on what was paid", async () => {
    const guest = await enrol(); // 100 points, Bronze 5 %
    const free = await makeOffer({ kind: "free_item", value: 1, skus: ["croissant"] });
    const bonus = await makeOffer({ kind: "bonus_points", value: 30, categories: ["coffee"] });
    for (const offer of [free, bonus]) {
      await inTenant((tx) =>
        grantOffer(tx, { tenantId: cafe.tenantId, userId: null }, { offerId: offer.id, guestIds: [guest] }),
      );
    }
    // The points cap is on the total after the offer: 30 % of 250 ₽ = 75 points.
    expect(
      await refusal(place(order(guest, { offers: [{ offerId: free.id }, { offerId: bonus.id }], pointsToUse: 76 }))),
    ).toMatchObject({ reason: "redemption_limit_exceeded" });
    const placed = await place(
      order(guest, { offers: [{ offerId: free.id }, { offerId: bonus.id }], pointsToUse: 75 }),
    );
    expect(placed.order).toMatchObject({ offerDiscount: 15_000, pointsApplied: 75, toPay: 25_000 - 7_500 });

    const picked = await pickUp(placed.order.id);
    // (25000 − 7500) × 5 % = 8.75 → 8, plus the bonus 30.
    expect(picked?.receipt).toMatchObject({ receipt: { total: 25_000, pointsRedeemed: 75, pointsEarned: 38 } });
    expect(picked?.receipt?.offersApplied).toHaveLength(2);
    expect(picked?.receipt?.offersApplied).toEqual(
      expect.arrayContaining([
        { id: free.id, discount: 15_000, pointsEarned: 0 },
        { id: bonus.id, discount: 0, pointsEarned: 30 },
      ]),
    );
    const [receipt] = await db.admin.select().from(receipts).where(eq(receipts.orderId, placed.order.id));
    const lines = await db.admin
      .select()
      .from(receiptLines)
      .where(eq(receiptLines.receiptId, receipt?.id ?? ""));
    expect(lines.map((line) => [line.sku, line.amount]).sort()).toEqual([
      ["croissant", 0],
      ["latte", 25_000],
    ]);
    for (const offer of [free, bonus]) {
      expect(await usesOf(offer.id)).toMatchObject([
        { status: "used", receiptId: receipt?.id, orderId: placed.order.id },
      ]);
    }
    // Used once (per grant): not again.
    expect(await refusal(place(order(guest, { offers: [{ offerId: free.id }] })))).toMatchObject({
      reason: "offer_used_up",
    });
    const ledger = await db.admin.execute(
      sql`select g.balance, (select sum(delta)::int from ledger_entries l where l.guest_id = g.id) as ledger
          from guests g where g.id = ${guest}`,
    );
    expect(ledger[0]?.balance).toBe(ledger[0]?.ledger);
    expect(ledger[0]?.balance).toBe(100 - 75 + 38);
  });
});

describe("an offer's per-guest limit under races", () => {
  /** Opens the pool's connections first: else the first order commits while the others still connect. */
  async function warmPool(connections: number) {
    await Promise.all(Array.from({ length: connections }, () => db.app.execute(sql`select pg_sleep(0.05)`)));
  }

  async function singleUseOfferOf(guest: string) {
    const offer = await makeOffer({ kind: "percent_off", value: 10, perGuestLimit: 1, totalLimit: null });
    await inTenant((tx) =>
      grantOffer(tx, { tenantId: cafe.tenantId, userId: null }, { offerId: offer.id, guestIds: [guest] }),
    );
    return offer;
  }

  it("lets one of the guest's simultaneous orders take a single-use offer; the others are refused", async () => {
    const guest = await enrol();
    const offer = await singleUseOfferOf(guest);
    await warmPool(4);
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => place(order(guest, { offers: [{ offerId: offer.id }] }))),
    );
    const placed = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    expect(placed).toHaveLength(1);
    expect(placed[0]?.order.offerDiscount).toBe(4_000);
    for (const result of results.filter((candidate) => candidate.status === "rejected")) {
      expect(result.reason).toBeInstanceOf(AppError);
      expect(result.reason).toMatchObject({ reason: "offer_used_up", details: { offerId: offer.id } });
    }
    expect(await usesOf(offer.id)).toMatchObject([{ status: "held", orderId: placed[0]?.order.id }]);
  });

  it("lets an order and a till check of the same guest not both take it", async () => {
    const guest = await enrol();
    const offer = await singleUseOfferOf(guest);
    const pos = posClient(db.app, cafe.key);
    await warmPool(2);
    const [online, till] = await Promise.allSettled([
      place(order(guest, { offers: [{ offerId: offer.id }] })),
      pos<{ error?: { code: string } }>("POST", "/receipts", {
        externalId: `RACE-${guest}`,
        occurredAt: new Date().toISOString(),
        guestId: guest,
        lines: [{ sku: "latte", name: "Латте", quantity: 1, unitPrice: 25_000, amount: 22_500 }],
        total: 22_500,
        offers: [{ id: offer.id, discount: 2_500 }],
      }),
    ]);
    const orderWon = online?.status === "fulfilled";
    const tillWon = till?.status === "fulfilled" && till.value.status === 201;
    expect([orderWon, tillWon].filter(Boolean)).toHaveLength(1);
    if (orderWon) {
      expect(till).toMatchObject({
        status: "fulfilled",
        value: { status: 422, body: { error: { code: "offer_used_up" } } },
      });
    } else {
      expect(online).toMatchObject({ status: "rejected", reason: { reason: "offer_used_up" } });
    }
    expect(await usesOf(offer.id)).toHaveLength(1);
  });
});

describe("an order never collected nor cancelled", () => {
  it("gives its held offer uses back once its points hold would have run out", async () => {
    const guest = await enrol();
    const code = await makeOffer({ kind: "amount_off", value: 5_000, source: "code", code: "LAPSED", totalLimit: 1 });
    const placed = await place(order(guest, { offers: [{ code: "LAPSED" }], pointsToUse: 10 }));
    const pickupAt = new Date(placed.order.pickupAt);
    const graceEnds = pickupAt.getTime() + ORDER_HOLD_GRACE_MINUTES * 60_000;

    // A late guest still has the offer until the grace is over.
    expect(await inTenant((tx) => releaseLapsedOrderOffers(tx, new Date(graceEnds - 60_000)))).toBe(0);
    expect(await usesOf(code.id)).toMatchObject([{ status: "held" }]);

    // The job (over every café) releases it after; earlier tests' open orders of that morning too.
    expect(await releaseLapsedOrderOffersEverywhere(db.app, new Date(graceEnds))).toBeGreaterThanOrEqual(1);
    expect(await usesOf(code.id)).toMatchObject([{ status: "released", orderId: placed.order.id }]);
    const [stored] = await db.admin.select().from(offers).where(eq(offers.id, code.id));
    expect(stored?.usesCount).toBe(0);
    // The code's only use is free again.
    const other = await enrol();
    expect((await place(order(other, { offers: [{ code: "LAPSED" }] }))).order.offerDiscount).toBe(5_000);
  });

  it("leaves collected orders' uses alone", async () => {
    const guest = await enrol();
    const code = await makeOffer({ kind: "amount_off", value: 1_000, source: "code", code: "COLLECTED" });
    const placed = await place(order(guest, { offers: [{ code: "COLLECTED" }] }));
    await pickUp(placed.order.id);
    const later = new Date(new Date(placed.order.pickupAt).getTime() + 2 * ORDER_HOLD_GRACE_MINUTES * 60_000);
    // (Earlier tests' open orders of that morning may be released here; this one is not.)
    await inTenant((tx) => releaseLapsedOrderOffers(tx, later));
    expect(await usesOf(code.id)).toMatchObject([{ status: "used" }]);
    const [stored] = await db.admin.select().from(offers).where(eq(offers.id, code.id));
    expect(stored?.usesCount).toBe(1);
  });
});
