import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type Tx, withTenant } from "@/db/client";
import { guests, locations, orders, productAvailability } from "@/db/schema";
import type { OpeningHours } from "@/db/schema/tenancy";
import { testDatabase } from "@/db/testing/database";
import { AppError } from "../errors";
import { enrolGuest } from "../loyalty/guests";
import { loadProgram, type Program } from "../loyalty/program";
import { getMenu } from "../menu/menu";
import { defaultModifiers, findProduct, fromPrice, priceBasket } from "../menu/pricing";
import { createPosTenant } from "../pos/testing";
import type { Context } from "../trpc/init";
import { createCaller } from "../trpc/root";
import { checkoutQuote, guestOrders, publicSlots } from "./checkout";
import { guestOrderStreamResponse, guestStreamScope } from "./guest-stream";
import { placeOrder } from "./place";
import { insertTestMenu } from "./testing";

const db = await testDatabase();

type Cafe = Awaited<ReturnType<typeof createPosTenant>> & { slug: string; westId: string };
let cafe: Cafe;
let other: Cafe;
let counter = 0;

/** 09:00 in Moscow on Monday 4 March 2030 plus `days`: far from the real clock. */
const morning = (days: number) => new Date(Date.UTC(2030, 2, 4 + days, 6, 0));
const allDay: [string, string][] = [["00:00", "00:00"]];
const ALL_WEEK: OpeningHours = {
  "1": allDay,
  "2": allDay,
  "3": allDay,
  "4": allDay,
  "5": allDay,
  "6": allDay,
  "7": allDay,
};

/** An Etc/GMT zone where it is about noon now, so "as soon as possible" has a slot today whatever the clock. */
function middayZone(): string {
  const offset = Math.max(-12, Math.min(14, 12 - new Date().getUTCHours()));
  return offset === 0 ? "Etc/GMT" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
}

function inCafe<T>(target: Cafe, work: (tx: Tx, program: Program) => Promise<T>): Promise<T> {
  return withTenant(target.tenantId, async (tx) => work(tx, await loadProgram(tx)), db.app);
}

/** The shop router as a guest signed in with `email` (or signed out) on the storefront of `slug`. */
function shopAs(email: string | null, slug: string) {
  const ctx: Context = {
    db: db.app,
    requestId: randomUUID(),
    ip: "203.0.113.7",
    headers: new Headers(),
    getStaffSession: async () => null,
    getGuestAccount: async () => (email ? { accountId: randomUUID(), email } : null),
    tenantSlug: slug,
    response: { headers: {} },
  };
  return createCaller(ctx).shop;
}

/** A guest enrolled online (welcome bonus: 100 points) with the email they sign in with. */
async function enrolled(target: Cafe) {
  counter += 1;
  const n = counter;
  const email = `shopper${n}@shop.example`;
  const guest = await inCafe(target, (tx, program) =>
    enrolGuest(tx, program, {
      tenantId: target.tenantId,
      phone: `+7926${String(5_000_000 + n).slice(-7)}`,
      email,
      channel: "online",
      actor: { kind: "guest" },
    }),
  );
  return { id: guest.id, email, shop: shopAs(email, target.slug) };
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; reason?: string | null }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) {
      return { code: error.code, reason: error.cause instanceof AppError ? error.cause.reason : error.message };
    }
    if (error instanceof AppError) return { code: error.code, reason: error.reason };
    throw error;
  }
  throw new Error("expected a refusal");
}

const latte = (size = "s", extra: { groupSlug: string; optionSlug: string }[] = []) => ({
  productSku: "latte",
  quantity: 1,
  modifiers: [{ groupSlug: "size", optionSlug: size }, ...extra],
});

async function setUpCafe(slug: string): Promise<Cafe> {
  const base = await createPosTenant(db.app, slug);
  const westId = await withTenant(
    base.tenantId,
    async (tx) => {
      const tenantId = base.tenantId;
      const id = await insertTestMenu(
        tx,
        tenantId,
        [
          { sku: "latte", name: "Латте", price: 25_000, prepMinutes: 3 },
          { sku: "croissant", name: "Круассан", price: 15_000, dailyLimit: 2 },
          { sku: "bun", name: "Булочка", price: 12_000, dailyLimit: 1 },
          { sku: "tart", name: "Тарт", price: 20_000, prepMinutes: 1 },
          { sku: "cake", name: "Торт", price: 30_000, prepMinutes: 1 },
        ],
        { regularMilk: true },
      );
      // A third location far west: the same stop-list date is another local day there.
      const [west] = await tx
        .insert(locations)
        .values({
          tenantId,
          slug: "west",
          name: "West",
          address: "West st. 3",
          timezone: "America/New_York",
          openingHours: ALL_WEEK,
        })
        .returning();
      if (!west) throw new Error("no west");
      await tx.insert(productAvailability).values([
        { tenantId, locationId: base.locationId, productId: id("cake"), available: false },
        { tenantId, locationId: base.locationId, productId: id("tart"), soldOutOn: "2030-03-05" },
        { tenantId, locationId: west.id, productId: id("tart"), soldOutOn: "2030-03-05" },
      ]);
      // The second location takes orders around the clock where it is midday now, for calls on the real clock.
      await tx
        .update(locations)
        .set({ timezone: middayZone(), openingHours: ALL_WEEK, slotCapacityMinutes: 600 })
        .where(eq(locations.id, base.secondLocationId));
      return west.id;
    },
    db.app,
  );
  return { ...base, slug, westId };
}

beforeAll(async () => {
  cafe = await setUpCafe("shop-cafe");
  other = await setUpCafe("shop-other");
});

describe("the menu at a location", () => {
  it("marks the stop-list's products sold out on the location's own today, and hides what it does not offer", async () => {
    // 21:30Z on 4 March: already 5 March in Moscow, still 4 March in New York.
    const now = new Date("2030-03-04T21:30:00Z");
    const soldOut = async (locationId: string) => {
      const menu = await inCafe(cafe, (tx) => getMenu(tx, { locationId, now }));
      return Object.fromEntries(menu.flatMap((c) => c.products).map((p) => [p.sku, p.soldOut]));
    };
    expect(await soldOut(cafe.locationId)).toEqual({ latte: false, croissant: false, bun: false, tart: true });
    expect(await soldOut(cafe.westId)).toEqual({
      latte: false,
      croissant: false,
      bun: false,
      tart: false,
      cake: false,
    });
    // The next local day the tart is back.
    const later = await inCafe(cafe, (tx) =>
      getMenu(tx, { locationId: cafe.locationId, now: new Date("2030-03-05T21:30:00Z") }),
    );
    expect(findProduct(later, "tart")?.soldOut).toBe(false);
    // Without a location: the whole active menu, nothing marked.
    const all = await inCafe(cafe, (tx) => getMenu(tx));
    expect(all.flatMap((c) => c.products).every((p) => !p.soldOut)).toBe(true);
    expect(findProduct(all, "cake")).toBeDefined();
  });

  it("marks a limited product sold out once the day's portions are ordered, until an order is cancelled", async () => {
    const guest = await enrolled(cafe);
    const now = morning(1);
    const place = (key: string) =>
      inCafe(cafe, (tx, program) =>
        placeOrder(tx, program, {
          tenantId: cafe.tenantId,
          guestId: guest.id,
          locationId: cafe.locationId,
          items: [{ productSku: "croissant", quantity: 1 }],
          pickup: "asap",
          pointsToUse: 0,
          idempotencyKey: key,
          now,
        }),
      );
    const croissant = async () =>
      findProduct(await inCafe(cafe, (tx) => getMenu(tx, { locationId: cafe.locationId, now })), "croissant")?.soldOut;
    await place("limit-1");
    expect(await croissant()).toBe(false);
    const { order } = await place("limit-2");
    expect(await croissant()).toBe(true);
    await withTenant(
      cafe.tenantId,
      (tx) => tx.update(orders).set({ status: "cancelled" }).where(eq(orders.id, order.id)),
      db.app,
    );
    expect(await croissant()).toBe(false);
  });

  it("is a 404 for another café's location (RLS hides it)", async () => {
    expect(await failure(inCafe(cafe, (tx) => getMenu(tx, { locationId: other.locationId })))).toMatchObject({
      code: "not_found",
      reason: "location_not_found",
    });
  });
});

describe("basket pricing (pure)", () => {
  it("starts on the defaults, prices option deltas and flags what cannot be ordered", async () => {
    const menu = await inCafe(cafe, (tx) => getMenu(tx, { locationId: cafe.locationId, now: morning(3) }));
    const product = findProduct(menu, "latte");
    if (!product) throw new Error("no latte");
    expect(defaultModifiers(product)).toEqual([
      { groupSlug: "size", optionSlug: "s" },
      { groupSlug: "milk", optionSlug: "regular" },
    ]);
    expect(fromPrice(product)).toBe(25_000);
    const basket = priceBasket(menu, [
      { ...latte("l", [{ groupSlug: "milk", optionSlug: "oat" }]), quantity: 2 },
      { productSku: "tart", quantity: 1, modifiers: [] },
      { productSku: "gone", quantity: 1, modifiers: [] },
      latte("xl"),
      { productSku: "latte", quantity: 1, modifiers: [] },
    ]);
    expect(basket.lines.map((line) => [line.productSku, line.amount, line.problem])).toEqual([
      ["latte", 82_000, null],
      ["tart", 20_000, null],
      ["gone", 0, "not_found"],
      ["latte", 25_000, "options"],
      ["latte", 25_000, "options"],
    ]);
    expect(basket).toMatchObject({ subtotal: 102_000, prepMinutes: 8 + 1, orderable: false });
  });
});

describe("the checkout quote", () => {
  it("re-prices the basket, caps the points at min(balance, the programme's cap) and gives the slots with reasons", async () => {
    const guest = await enrolled(cafe);
    const now = morning(4);
    const quote = (items: Parameters<typeof checkoutQuote>[2]["items"]) =>
      inCafe(cafe, (tx, program) =>
        checkoutQuote(tx, program, { guestId: guest.id, locationId: cafe.locationId, items, now }),
      );
    // 250 ₽: 30 % is 75 points, below the balance of 100.
    const small = await quote([latte()]);
    expect(small).toMatchObject({
      subtotal: 25_000,
      balance: 100,
      maxRedeemPercent: 30,
      maxPoints: 75,
      orderable: true,
    });
    expect(small.location).toMatchObject({ id: cafe.locationId, timezone: "Europe/Moscow" });
    expect(small.date).toBe("2030-03-08");
    // 09:00 now and 3 minutes of work: 09:00 is too soon, 09:15 is the first free slot.
    expect(small.slots[0]).toMatchObject({ available: false, reason: "too_soon" });
    expect(small.asap).toBe("2030-03-08T06:15:00.000Z");
    // 820 ₽: the cap (246) is above the balance, so the balance bounds it.
    const big = await quote([{ ...latte("l", [{ groupSlug: "milk", optionSlug: "oat" }]), quantity: 2 }]);
    expect(big).toMatchObject({ subtotal: 82_000, maxPoints: 100 });
    // Sold-out lines are flagged and leave nothing to redeem against.
    const stopped = await inCafe(cafe, (tx, program) =>
      checkoutQuote(tx, program, {
        guestId: guest.id,
        locationId: cafe.locationId,
        items: [{ productSku: "tart", quantity: 1, modifiers: [] }],
        now: new Date("2030-03-04T21:30:00Z"),
      }),
    );
    expect(stopped).toMatchObject({ orderable: false, subtotal: 0, maxPoints: 0 });
    expect(stopped.lines[0]?.problem).toBe("sold_out");
  });
});

describe("the menu and the checkout agree on pick-up times", () => {
  it("give the same earliest time, mark the same slot full and list no slot already begun, from one computation", async () => {
    const guest = await enrolled(cafe);
    // Thursday 7 March 2030: the 11:30 slot in Moscow booked so that one more latte (3 minutes) does not fit.
    await inCafe(cafe, async (tx, program) => {
      const [place] = await tx.select().from(locations).where(eq(locations.id, cafe.locationId));
      const lattes = Math.floor((place?.slotCapacityMinutes ?? 0) / 3);
      return placeOrder(tx, program, {
        tenantId: cafe.tenantId,
        guestId: guest.id,
        locationId: cafe.locationId,
        items: [{ ...latte(), quantity: lattes }],
        pickup: "2030-03-07T08:30:00.000Z",
        pointsToUse: 0,
        idempotencyKey: randomUUID(),
        now: morning(3),
      });
    });
    // 11:20 in Moscow: a latte is ready at 11:23, the 11:30 slot is full for it, so 11:45.
    const now = new Date("2030-03-07T08:20:00Z");
    const menu = await inCafe(cafe, (tx) => publicSlots(tx, { locationId: cafe.locationId, prepMinutes: 3, now }));
    const checkout = await inCafe(cafe, (tx, program) =>
      checkoutQuote(tx, program, { guestId: guest.id, locationId: cafe.locationId, items: [latte()], now }),
    );
    expect(checkout.prepMinutes).toBe(3);
    expect(menu.asap).toBe("2030-03-07T08:45:00.000Z");
    expect(checkout).toMatchObject({ date: menu.date, today: true, asap: menu.asap, slots: menu.slots });
    expect(menu.slots.find((slot) => slot.startsAt === "2030-03-07T08:30:00.000Z")).toMatchObject({
      available: false,
      reason: "full",
    });
    // The slots start at 11:30: none of the morning's (begun or past) is listed, greyed or not.
    expect(menu.slots[0]?.startsAt).toBe("2030-03-07T08:30:00.000Z");
    expect(menu.slots.every((slot) => new Date(slot.startsAt) >= now)).toBe(true);
    // The first free slot is the one "as soon as possible" names.
    expect(menu.slots.find((slot) => slot.available)?.startsAt).toBe(menu.asap);
  });
});

describe("the checkout after the day's last slot", () => {
  it("offers the next day's times instead of a dead end, and the order is placed for one of them", async () => {
    const guest = await enrolled(cafe);
    // 21:30 in Moscow, after the 21:00 closing: nothing is left today.
    const now = new Date("2030-03-08T18:30:00Z");
    const quote = await inCafe(cafe, (tx, program) =>
      checkoutQuote(tx, program, { guestId: guest.id, locationId: cafe.locationId, items: [latte()], now }),
    );
    expect(quote).toMatchObject({ date: "2030-03-09", today: false, asap: null });
    const first = quote.slots.find((slot) => slot.available);
    // 08:00 in Moscow the next morning.
    expect(first?.startsAt).toBe("2030-03-09T05:00:00.000Z");
    const { order } = await inCafe(cafe, (tx, program) =>
      placeOrder(tx, program, {
        tenantId: cafe.tenantId,
        guestId: guest.id,
        locationId: cafe.locationId,
        items: [latte()],
        pickup: first?.startsAt ?? "",
        pointsToUse: 0,
        idempotencyKey: randomUUID(),
        now,
      }),
    );
    expect(order).toMatchObject({ status: "new", pickupAt: "2030-03-09T05:00:00.000Z" });
    // The storefront's public view says the same (its menu page then names the day and time).
    const publicView = await inCafe(cafe, (tx) =>
      publicSlots(tx, { locationId: cafe.locationId, prepMinutes: 3, now }),
    );
    expect(publicView).toMatchObject({ date: "2030-03-09", today: false, asap: null });
    expect(publicView.slots.find((slot) => slot.available)?.startsAt).toBe("2030-03-09T05:00:00.000Z");
    const asked = await inCafe(cafe, (tx) =>
      publicSlots(tx, { locationId: cafe.locationId, prepMinutes: 3, date: "2030-03-08", now }),
    );
    expect(asked).toMatchObject({ date: "2030-03-08", today: true, asap: null });
  });
});

describe("the shop router", () => {
  it("serves the menu and slots without sign-in, bound to the café the URL names", async () => {
    const anonymous = shopAs(null, cafe.slug);
    const view = await anonymous.menu({ locationId: cafe.westId });
    expect(view.location?.id).toBe(cafe.westId);
    expect(view.locations.map((place) => place.id).sort()).toEqual(
      [cafe.locationId, cafe.secondLocationId, cafe.westId].sort(),
    );
    expect(view.cafe.currency).toBe("RUB");
    // Another café's location is not one of ours: the menu falls back to our first location.
    const fallback = await anonymous.menu({ locationId: other.locationId });
    expect(view.locations.map((place) => place.id)).toContain(fallback.location?.id);
    expect(fallback.locations.map((place) => place.id)).not.toContain(other.locationId);
    const slots = await anonymous.slots({ locationId: cafe.secondLocationId, prepMinutes: 3 });
    expect(slots.asap).not.toBeNull();
    expect(await failure(anonymous.slots({ locationId: other.secondLocationId, prepMinutes: 3 }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(shopAs(null, "no-such-cafe").menu({}))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses guest procedures signed out, and to a signed-in email not enrolled at the café", async () => {
    const signedOut = shopAs(null, cafe.slug);
    expect(await failure(signedOut.quote({ locationId: cafe.locationId, items: [latte()] }))).toMatchObject({
      code: "UNAUTHORIZED",
    });
    const stranger = await enrolled(other);
    expect(await failure(shopAs(stranger.email, cafe.slug).orders())).toMatchObject({
      code: "FORBIDDEN",
      reason: "enrolment_required",
    });
  });

  it("places, shows, lists and cancels the guest's own order, and nobody else's", async () => {
    const guest = await enrolled(cafe);
    const key = randomUUID();
    const input = {
      locationId: cafe.secondLocationId,
      items: [{ ...latte("l", [{ groupSlug: "milk", optionSlug: "oat" }]), quantity: 1 }],
      pickup: "asap" as const,
      comment: "без сахара",
      pointsToUse: 40,
      idempotencyKey: key,
    };
    const placed = await guest.shop.place(input);
    // A double submit (same key) returns the same order; nothing else is held.
    expect(await guest.shop.place(input)).toEqual({ orderId: placed.orderId, replayed: true });
    const view = await guest.shop.order({ orderId: placed.orderId });
    expect(view).toMatchObject({
      cancellable: true,
      location: { id: cafe.secondLocationId },
      order: { subtotal: 41_000, pointsApplied: 40, toPay: 37_000, status: "new", comment: "без сахара" },
    });
    expect((await guest.shop.orders()).map((order) => order.id)).toEqual([placed.orderId]);

    const stranger = await enrolled(cafe);
    expect(await failure(stranger.shop.order({ orderId: placed.orderId }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(stranger.shop.cancel({ orderId: placed.orderId }))).toMatchObject({ code: "NOT_FOUND" });
    // A guest of another café naming this café's location or order finds neither.
    const elsewhere = await enrolled(other);
    expect(
      await failure(elsewhere.shop.place({ ...input, idempotencyKey: randomUUID(), pointsToUse: 0 })),
    ).toMatchObject({ code: "NOT_FOUND", reason: "location_not_found" });
    expect(await failure(elsewhere.shop.order({ orderId: placed.orderId }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(elsewhere.shop.cancel({ orderId: placed.orderId }))).toMatchObject({ code: "NOT_FOUND" });

    expect(await guest.shop.cancel({ orderId: placed.orderId })).toEqual({
      orderId: placed.orderId,
      status: "cancelled",
    });
    expect(await failure(guest.shop.cancel({ orderId: placed.orderId }))).toMatchObject({
      code: "CONFLICT",
      reason: "invalid_transition",
    });
    const [row] = await db.admin.select({ balance: guests.balance }).from(guests).where(eq(guests.id, guest.id));
    expect(row?.balance).toBe(100);
  });

  it("gives the last portion to exactly one of two guests ordering at once (parallel transactions)", async () => {
    const [anna, boris] = await Promise.all([enrolled(cafe), enrolled(cafe)]);
    const order = (who: typeof anna) =>
      who.shop.place({
        locationId: cafe.secondLocationId,
        items: [{ productSku: "bun", quantity: 1, modifiers: [] }],
        pickup: "asap",
        pointsToUse: 0,
        idempotencyKey: randomUUID(),
      });
    const results = await Promise.allSettled([order(anna), order(boris)]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((result) => result.status === "rejected");
    expect(await failure(Promise.reject(lost?.reason))).toEqual({
      code: "UNPROCESSABLE_CONTENT",
      reason: "daily_limit_reached",
    });
    const menu = await shopAs(null, cafe.slug).menu({ locationId: cafe.secondLocationId });
    expect(findProduct(menu.menu, "bun")?.soldOut).toBe(true);
  });

  it("lets one of two tabs spend the same points (different keys) and refuses the other", async () => {
    const guest = await enrolled(cafe);
    // Two 820 ₽ baskets: the cap allows 246 points each, the balance of 100 covers one 60-point payment.
    const tab = () =>
      guest.shop.place({
        locationId: cafe.secondLocationId,
        items: [{ ...latte("l", [{ groupSlug: "milk", optionSlug: "oat" }]), quantity: 2 }],
        pickup: "asap",
        pointsToUse: 60,
        idempotencyKey: randomUUID(),
      });
    const results = await Promise.allSettled([tab(), tab()]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((result) => result.status === "rejected");
    expect(await failure(Promise.reject(lost?.reason))).toEqual({
      code: "UNPROCESSABLE_CONTENT",
      reason: "insufficient_points",
    });
    const [row] = await db.admin.select({ balance: guests.balance }).from(guests).where(eq(guests.id, guest.id));
    expect(row?.balance).toBe(40);
    expect(await db.admin.select().from(orders).where(eq(orders.guestId, guest.id))).toHaveLength(1);
  });

  it("maps the domain's refusals to reasons the checkout translates", async () => {
    const guest = await enrolled(cafe);
    const base = {
      locationId: cafe.secondLocationId,
      items: [latte()],
      pickup: "asap" as const,
      pointsToUse: 0,
      idempotencyKey: randomUUID(),
    };
    expect(await failure(guest.shop.place({ ...base, pointsToUse: 76 }))).toMatchObject({
      reason: "redemption_limit_exceeded",
    });
    expect(
      await failure(
        guest.shop.place({ ...base, idempotencyKey: randomUUID(), items: [{ ...latte(), modifiers: [] }] }),
      ),
    ).toMatchObject({ reason: "modifier_selection" });
    expect(
      await failure(guest.shop.place({ ...base, idempotencyKey: randomUUID(), pickup: "2020-01-01T10:00:00Z" })),
    ).toMatchObject({ reason: "slot_unavailable" });
    expect(await failure(guest.shop.place({ ...base, idempotencyKey: "short" }))).toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("the guest's live stream", () => {
  it("follows only the signed-in guest's own order", async () => {
    const guest = await enrolled(cafe);
    const { orderId } = await guest.shop.place({
      locationId: cafe.secondLocationId,
      items: [latte()],
      pickup: "asap",
      pointsToUse: 0,
      idempotencyKey: randomUUID(),
    });
    const account = (email: string) => ({ accountId: randomUUID(), email });
    expect(await guestStreamScope(db.app, { tenantSlug: cafe.slug, orderId, account: account(guest.email) })).toEqual({
      tenantId: cafe.tenantId,
      locationIds: [cafe.secondLocationId],
      orderId,
    });
    const stranger = await enrolled(cafe);
    expect(
      await guestStreamScope(db.app, { tenantSlug: cafe.slug, orderId, account: account(stranger.email) }),
    ).toBeNull();
    expect(
      await guestStreamScope(db.app, { tenantSlug: other.slug, orderId, account: account(guest.email) }),
    ).toBeNull();
    expect(
      await guestStreamScope(db.app, { tenantSlug: cafe.slug, orderId: "not-a-uuid", account: account(guest.email) }),
    ).toBeNull();
    const request = new Request("http://localhost/api/orders/guest-stream");
    expect((await guestOrderStreamResponse(request, { tenantSlug: cafe.slug, orderId, account: null })).status).toBe(
      401,
    );
    const denied = await guestOrderStreamResponse(
      request,
      { tenantSlug: cafe.slug, orderId, account: account(stranger.email) },
      { db: db.app },
    );
    expect(denied.status).toBe(404);

    // The guest's stream hears their order change, and only theirs.
    const controller = new AbortController();
    const events: string[] = [];
    const listeners: ((payload: string) => void)[] = [];
    const response = await guestOrderStreamResponse(
      new Request("http://localhost/api/orders/guest-stream", { signal: controller.signal }),
      { tenantSlug: cafe.slug, orderId, account: account(guest.email) },
      {
        db: db.app,
        listen: async (_channel, onNotify) => {
          listeners.push(onNotify);
          return { unlisten: async () => {} };
        },
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    await expect.poll(() => listeners.length).toBe(1);
    const notify = (id: string) =>
      listeners[0]?.(
        JSON.stringify({ tenantId: cafe.tenantId, locationId: cafe.secondLocationId, orderId: id, status: "accepted" }),
      );
    notify(randomUUID());
    notify(orderId);
    for (let i = 0; i < 3 && !events.join("").includes("event: order"); i++) {
      const chunk = await reader?.read();
      if (chunk?.value) events.push(decoder.decode(chunk.value));
    }
    controller.abort();
    const text = events.join("");
    expect(text.match(/event: order/g)).toHaveLength(1);
    expect(text).toContain(orderId);
  });
});

describe("my orders", () => {
  it("lists the guest's orders newest first with their location", async () => {
    const guest = await enrolled(cafe);
    const now = morning(5);
    for (const key of ["mine-1", "mine-2"]) {
      await inCafe(cafe, (tx, program) =>
        placeOrder(tx, program, {
          tenantId: cafe.tenantId,
          guestId: guest.id,
          locationId: cafe.locationId,
          items: [latte()],
          pickup: "asap",
          pointsToUse: 0,
          idempotencyKey: key,
          now,
        }),
      );
    }
    const list = await inCafe(cafe, (tx) => guestOrders(tx, guest.id));
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ location: { id: cafe.locationId, name: "Main" }, itemCount: 1, subtotal: 25_000 });
    expect(new Date(list[0]?.createdAt ?? 0).getTime()).toBeGreaterThanOrEqual(
      new Date(list[1]?.createdAt ?? 0).getTime(),
    );
  });
});
