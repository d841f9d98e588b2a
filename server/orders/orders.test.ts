import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { beforeAll, describe, expect, it } from "vitest";
import { type Tx, withTenant } from "@/db/client";
import { guests, locations, orders, productAvailability, receiptLines, receipts, redemptions } from "@/db/schema";
import type { OpeningHours } from "@/db/schema/tenancy";
import { testDatabase } from "@/db/testing/database";
import { deleteGuestAccount } from "../cabinet/profile";
import { AppError } from "../errors";
import { enrolGuest } from "../loyalty/guests";
import { loadProgram, type Program } from "../loyalty/program";
import { createPosTenant } from "../pos/testing";
import { GUEST_CANCEL_REASON } from "./cancel-reason";
import { type PlaceOrderInput, placeOrder } from "./place";
import { orderBoard, orderById, orderForGuest } from "./queries";
import {
  asapSlot,
  localDateOf,
  pickupSlots,
  slotOf,
  slotStarts,
  slotsForDay,
  zonedTime,
  zoneOffsetMinutes,
} from "./slots";
import { insertTestMenu } from "./testing";
import { cancelOrderByGuest, ORDERS_CHANNEL, transitionOrder } from "./transitions";

const db = await testDatabase();
let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let phone = 0;

/** 09:00 in Moscow on Monday 4 March 2030 plus `days`: far from the real clock, so tests are deterministic. */
const morning = (days: number) => new Date(Date.UTC(2030, 2, 4 + days, 6, 0));
const staff = { kind: "staff" as const, userId: undefined };

function inTenant<T>(work: (tx: Tx, program: Program) => Promise<T>): Promise<T> {
  return withTenant(cafe.tenantId, async (tx) => work(tx, await loadProgram(tx)), db.app);
}

async function enrol(): Promise<string> {
  phone += 1;
  const number = `+7926${String(1_000_000 + phone).slice(-7)}`;
  const guest = await inTenant((tx, program) =>
    enrolGuest(tx, program, {
      tenantId: cafe.tenantId,
      phone: number,
      channel: "online",
      actor: { kind: "guest" },
    }),
  );
  return guest.id;
}

async function balanceOf(guestId: string): Promise<number | undefined> {
  const [guest] = await db.admin.select({ balance: guests.balance }).from(guests).where(eq(guests.id, guestId));
  return guest?.balance;
}

function order(guestId: string, now: Date, overrides: Partial<PlaceOrderInput> = {}): PlaceOrderInput {
  phone += 1;
  return {
    tenantId: cafe.tenantId,
    guestId,
    locationId: cafe.locationId,
    items: [{ productSku: "latte", quantity: 1, modifiers: [{ groupSlug: "size", optionSlug: "s" }] }],
    pickup: "asap",
    pointsToUse: 0,
    idempotencyKey: `checkout-${phone}`,
    now,
    ...overrides,
  };
}

function place(input: PlaceOrderInput) {
  return inTenant((tx, program) => placeOrder(tx, program, input));
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; reason?: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, reason: error.reason };
    throw error;
  }
  throw new Error("expected a refusal");
}

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "orders-cafe");
  await withTenant(
    cafe.tenantId,
    async (tx) => {
      const tenantId = cafe.tenantId;
      const id = await insertTestMenu(tx, tenantId, [
        { sku: "latte", name: "Латте", price: 25_000, prepMinutes: 3 },
        { sku: "croissant", name: "Круассан", price: 15_000, prepMinutes: 1, dailyLimit: 1 },
        { sku: "tart", name: "Тарт", price: 20_000, prepMinutes: 1 },
        { sku: "cake", name: "Торт", price: 30_000, prepMinutes: 1 },
        { sku: "retired", name: "Старое", price: 1_000, active: false },
        { sku: "batch", name: "Поднос", price: 10_000, prepMinutes: 8 },
      ]);
      await tx.insert(productAvailability).values([
        { tenantId, locationId: cafe.locationId, productId: id("cake"), available: false },
        // On the stop-list for the day of morning(3) only.
        { tenantId, locationId: cafe.locationId, productId: id("tart"), soldOutOn: "2030-03-07" },
      ]);
      // The second location: a small counter, for the capacity test.
      await tx.update(locations).set({ slotCapacityMinutes: 10 }).where(eq(locations.id, cafe.secondLocationId));
    },
    db.app,
  );
});

describe("slot time math (pure)", () => {
  const weekdays = (hours: [string, string][]): OpeningHours => ({
    "1": hours,
    "2": hours,
    "3": hours,
    "4": hours,
    "5": hours,
    "6": hours,
    "7": [],
  });

  it("turns local opening hours into instants in the location's time zone, across DST", () => {
    expect(zonedTime("2030-03-04", 8 * 60, "Europe/Moscow").toISOString()).toBe("2030-03-04T05:00:00.000Z");
    // New York springs forward on 10 March 2030: 09:00 is 14:00Z the day before, 13:00Z that day.
    expect(zonedTime("2030-03-09", 9 * 60, "America/New_York").toISOString()).toBe("2030-03-09T14:00:00.000Z");
    expect(zonedTime("2030-03-10", 9 * 60, "America/New_York").toISOString()).toBe("2030-03-10T13:00:00.000Z");
    expect(zoneOffsetMinutes(new Date("2030-07-01T00:00:00Z"), "Asia/Kathmandu")).toBe(345);
    // 21:30Z is 00:30 in Moscow: already the next day there.
    expect(localDateOf(new Date("2030-03-04T21:30:00Z"), "Europe/Moscow")).toBe("2030-03-05");
    expect(localDateOf(new Date("2030-03-04T20:30:00Z"), "Europe/Moscow")).toBe("2030-03-04");
  });

  it("cuts the opening hours into whole 15-minute slots and none on a closed day", () => {
    const hours = weekdays([
      ["08:00", "09:00"],
      ["12:00", "12:40"],
    ]);
    const monday = slotStarts({ date: "2030-03-04", timeZone: "Europe/Moscow", openingHours: hours });
    expect(monday.map((slot) => slot.toISOString().slice(11, 16))).toEqual([
      "05:00",
      "05:15",
      "05:30",
      "05:45",
      "09:00",
      "09:15",
    ]);
    expect(slotStarts({ date: "2030-03-10", timeZone: "Europe/Moscow", openingHours: hours })).toEqual([]);
    // A +05:45 zone still lands on UTC quarter hours, so slots and bookings line up.
    const kathmandu = slotStarts({ date: "2030-03-04", timeZone: "Asia/Kathmandu", openingHours: hours });
    expect(kathmandu[0]?.toISOString()).toBe("2030-03-04T02:15:00.000Z");
    expect(kathmandu.every((slot) => slotOf(slot).getTime() === slot.getTime())).toBe(true);
  });

  it("fills slots by preparation minutes, not by the number of orders, and starts after now + prep", () => {
    const starts = slotStarts({
      date: "2030-03-04",
      timeZone: "Europe/Moscow",
      openingHours: weekdays([["08:00", "10:00"]]),
    });
    const at = (hhmm: string) => new Date(`2030-03-04T${hhmm}:00Z`).getTime();
    // 05:15 holds one big 25-minute order; 05:30 holds six 4-minute ones (24 minutes).
    const booked = new Map([
      [at("05:15"), 25],
      [at("05:30"), 24],
    ]);
    const now = new Date("2030-03-04T05:03:00Z");
    const small = pickupSlots({ starts, now, prepMinutes: 5, capacityMinutes: 30, booked });
    expect(small[0]).toMatchObject({ tooSoon: true, available: false });
    expect(small[1]).toMatchObject({ bookedMinutes: 25, full: false, available: true });
    expect(asapSlot(small)?.startsAt.toISOString()).toBe("2030-03-04T05:15:00.000Z");

    const bigger = pickupSlots({ starts, now, prepMinutes: 6, capacityMinutes: 30, booked });
    expect(bigger[1]).toMatchObject({ full: true, available: false });
    expect(bigger[2]).toMatchObject({ bookedMinutes: 24, full: false });
    expect(asapSlot(bigger)?.startsAt.toISOString()).toBe("2030-03-04T05:30:00.000Z");

    const late = pickupSlots({
      starts,
      now: new Date("2030-03-04T06:50:00Z"),
      prepMinutes: 20,
      capacityMinutes: 30,
      booked,
    });
    expect(asapSlot(late)).toBeNull();
  });
});

describe("placing an order", () => {
  it("prices modifiers in minor units, sums prep minutes and holds the points until after pick-up", async () => {
    const guestId = await enrol();
    const now = morning(0);
    const { order: placed, replayed } = await place(
      order(guestId, now, {
        items: [
          {
            productSku: "latte",
            quantity: 2,
            modifiers: [
              { groupSlug: "size", optionSlug: "l" },
              { groupSlug: "milk", optionSlug: "oat" },
            ],
          },
        ],
        pointsToUse: 60,
        comment: "  без сахара  ",
      }),
    );
    expect(replayed).toBe(false);
    expect(placed).toMatchObject({
      status: "new",
      asap: true,
      subtotal: 82_000,
      pointsApplied: 60,
      toPay: 76_000,
      prepMinutes: 8,
      comment: "без сахара",
      // 09:00 + 8 minutes → the 09:15 slot.
      pickupAt: "2030-03-04T06:15:00.000Z",
    });
    expect(placed.pickupCode).toMatch(/^\d{3}[ABCEHKMPTX]$/);
    expect(placed.items).toEqual([
      expect.objectContaining({
        sku: "latte",
        name: "Латте",
        quantity: 2,
        unitPrice: 41_000,
        amount: 82_000,
        modifiers: [
          { groupSlug: "size", optionSlug: "l", name: "L", priceDelta: 10_000 },
          { groupSlug: "milk", optionSlug: "oat", name: "Овсяное", priceDelta: 6_000 },
        ],
      }),
    ]);
    expect(await balanceOf(guestId)).toBe(40);
    const [hold] = await db.admin
      .select()
      .from(redemptions)
      .where(eq(redemptions.id, placed.redemptionId ?? ""));
    expect(hold).toMatchObject({ status: "held", points: 60, checkTotal: 82_000 });
    expect(hold?.expiresAt.toISOString()).toBe("2030-03-04T09:15:00.000Z");

    const seen = await inTenant((tx) => orderForGuest(tx, guestId, placed.id));
    expect(seen.pickupCode).toBe(placed.pickupCode);
    const stranger = await enrol();
    expect(await refusal(inTenant((tx) => orderForGuest(tx, stranger, placed.id)))).toMatchObject({
      code: "not_found",
    });
  });

  it("enforces the program's cap, then the balance", async () => {
    const guestId = await enrol();
    // A 250-rouble latte: 30 % is 75 points.
    expect(await refusal(place(order(guestId, morning(0), { pointsToUse: 76 })))).toEqual({
      code: "unprocessable",
      reason: "redemption_limit_exceeded",
    });
    const big = [{ productSku: "latte", quantity: 5, modifiers: [{ groupSlug: "size", optionSlug: "s" }] }];
    expect(await refusal(place(order(guestId, morning(0), { items: big, pointsToUse: 101 })))).toEqual({
      code: "unprocessable",
      reason: "insufficient_points",
    });
    const { order: placed } = await place(order(guestId, morning(0), { pointsToUse: 75 }));
    expect(placed.toPay).toBe(17_500);
    expect(await balanceOf(guestId)).toBe(25);
  });

  it("returns the first order for a double-submitted checkout", async () => {
    const guestId = await enrol();
    const input = order(guestId, morning(1), { pointsToUse: 50 });
    const [first, second] = await Promise.all([place(input), place(input)]);
    expect(first.order.id).toBe(second.order.id);
    expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
    const rows = await db.admin.select().from(orders).where(eq(orders.guestId, guestId));
    expect(rows).toHaveLength(1);
    expect(await balanceOf(guestId)).toBe(50);
  });

  it("refuses unknown, inactive, unavailable and stopped products and wrong modifiers", async () => {
    const guestId = await enrol();
    const now = morning(3);
    const refused = (items: PlaceOrderInput["items"]) => refusal(place(order(guestId, now, { items })));
    expect(await refused([{ productSku: "nope", quantity: 1 }])).toMatchObject({ reason: "product_not_found" });
    expect(await refused([{ productSku: "retired", quantity: 1 }])).toMatchObject({ reason: "product_not_found" });
    expect(await refused([{ productSku: "cake", quantity: 1 }])).toMatchObject({ reason: "product_unavailable" });
    expect(await refused([{ productSku: "tart", quantity: 1 }])).toMatchObject({ reason: "product_sold_out" });
    expect(await refused([{ productSku: "latte", quantity: 1 }])).toMatchObject({ reason: "modifier_selection" });
    expect(
      await refused([
        {
          productSku: "latte",
          quantity: 1,
          modifiers: [
            { groupSlug: "size", optionSlug: "s" },
            { groupSlug: "size", optionSlug: "l" },
          ],
        },
      ]),
    ).toMatchObject({ reason: "modifier_selection" });
    expect(
      await refused([{ productSku: "batch", quantity: 1, modifiers: [{ groupSlug: "milk", optionSlug: "oat" }] }]),
    ).toMatchObject({ reason: "modifier_invalid" });
    expect(await refused([{ productSku: "latte", quantity: 1.5 }])).toMatchObject({ code: "invalid_request" });
    // The stop-list holds for its day only: the tart is back the next morning.
    const { order: nextDay } = await place(
      order(guestId, morning(4), { items: [{ productSku: "tart", quantity: 1 }] }),
    );
    expect(nextDay.subtotal).toBe(20_000);
    // Another location offers the cake.
    const { order: elsewhere } = await place(
      order(guestId, morning(3), { locationId: cafe.secondLocationId, items: [{ productSku: "cake", quantity: 1 }] }),
    );
    expect(elsewhere.locationId).toBe(cafe.secondLocationId);
  });

  it("gives the last limited portion to exactly one of two guests ordering at once", async () => {
    const [anna, boris] = await Promise.all([enrol(), enrol()]);
    const now = morning(5);
    const items = [{ productSku: "croissant", quantity: 1 }];
    const results = await Promise.allSettled([place(order(anna, now, { items })), place(order(boris, now, { items }))]);
    const won = results.filter((result) => result.status === "fulfilled");
    const lost = results.filter((result) => result.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const reason = (lost[0] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(AppError);
    expect((reason as AppError).reason).toBe("daily_limit_reached");
    // The portion is free again once the winner cancels.
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof place>>>).value.order;
    await inTenant((tx, program) => cancelOrderByGuest(tx, program, { guestId: winner.guestId, orderId: winner.id }));
    const loser = winner.guestId === anna ? boris : anna;
    const { order: second } = await place(order(loser, now, { items }));
    expect(second.status).toBe("new");
  });

  it("fills slots by booked preparation minutes and books asap into the next slot that fits", async () => {
    const guestId = await enrol();
    const now = morning(6);
    const batch = [{ productSku: "batch", quantity: 1 }];
    const slot = "2030-03-10T07:00:00.000Z";
    const second = { locationId: cafe.secondLocationId };
    const { order: first } = await place(order(guestId, now, { ...second, items: batch, pickup: slot }));
    expect(first).toMatchObject({ pickupAt: slot, asap: false, prepMinutes: 8 });
    // 8 of 10 minutes booked: a 3-minute latte no longer fits, whatever the order count.
    const latte = [{ productSku: "latte", quantity: 1, modifiers: [{ groupSlug: "size", optionSlug: "s" }] }];
    expect(await refusal(place(order(guestId, now, { ...second, items: latte, pickup: slot })))).toMatchObject({
      reason: "slot_full",
    });
    expect(
      await refusal(place(order(guestId, now, { ...second, items: latte, pickup: "2030-03-10T06:00:00.000Z" }))),
    ).toMatchObject({ reason: "slot_too_soon" });
    expect(
      await refusal(place(order(guestId, now, { ...second, items: latte, pickup: "2030-03-10T19:00:00.000Z" }))),
    ).toMatchObject({ reason: "slot_unavailable" });
    // Two asap batches: the first fills 06:15, the next goes on to 06:30.
    const a = await place(order(guestId, now, { ...second, items: batch }));
    const b = await place(order(guestId, now, { ...second, items: batch }));
    expect([a.order.pickupAt, b.order.pickupAt]).toEqual(["2030-03-10T06:15:00.000Z", "2030-03-10T06:30:00.000Z"]);
    const { slots } = await inTenant(async (tx) => {
      const [location] = await tx.select().from(locations).where(eq(locations.id, cafe.secondLocationId));
      if (!location) throw new Error("no location");
      return slotsForDay(tx, { location, prepMinutes: 3, now });
    });
    expect(slots.find((s) => s.startsAt.toISOString() === "2030-03-10T06:15:00.000Z")).toMatchObject({
      bookedMinutes: 8,
      full: true,
    });
  });
});

describe("order transitions", () => {
  it("lets the guest cancel a new order and gives the points back", async () => {
    const guestId = await enrol();
    const { order: placed } = await place(order(guestId, morning(7), { pointsToUse: 70 }));
    expect(await balanceOf(guestId)).toBe(30);
    const other = await enrol();
    expect(
      await refusal(inTenant((tx, program) => cancelOrderByGuest(tx, program, { guestId: other, orderId: placed.id }))),
    ).toMatchObject({ code: "not_found" });
    const { order: cancelled } = await inTenant((tx, program) =>
      cancelOrderByGuest(tx, program, { guestId, orderId: placed.id }),
    );
    expect(cancelled).toMatchObject({ status: "cancelled", cancelReason: GUEST_CANCEL_REASON });
    expect(await balanceOf(guestId)).toBe(100);
    const [hold] = await db.admin
      .select()
      .from(redemptions)
      .where(eq(redemptions.id, placed.redemptionId ?? ""));
    expect(hold?.status).toBe("voided");
  });

  it("lets the café hand over an order whose guest deleted the account meanwhile: paid in full, an anonymous sale", async () => {
    const guestId = await enrol();
    const { order: placed } = await place(order(guestId, morning(7), { pointsToUse: 50 }));
    const move = (to: "accepted" | "ready" | "picked_up") =>
      inTenant((tx, program) => transitionOrder(tx, program, { orderId: placed.id, to, actor: staff }));
    await move("accepted");
    await inTenant((tx) => deleteGuestAccount(tx, guestId, { kind: "guest", ip: null }));
    expect(await inTenant((tx) => orderById(tx, placed.id))).toMatchObject({
      status: "accepted",
      pointsApplied: 0,
      toPay: placed.subtotal,
    });
    await move("ready");
    const { receipt } = await move("picked_up");
    expect(receipt).toMatchObject({
      receipt: { total: placed.subtotal, pointsRedeemed: 0, pointsEarned: 0 },
      guest: null,
    });
  });

  it("refuses a guest cancel once accepted, and invalid staff moves, with 409", async () => {
    const guestId = await enrol();
    const { order: placed } = await place(order(guestId, morning(7)));
    expect(
      await refusal(
        inTenant((tx, program) => transitionOrder(tx, program, { orderId: placed.id, to: "picked_up", actor: staff })),
      ),
    ).toEqual({ code: "conflict", reason: "invalid_transition" });
    await inTenant((tx, program) => transitionOrder(tx, program, { orderId: placed.id, to: "accepted", actor: staff }));
    expect(
      await refusal(inTenant((tx, program) => cancelOrderByGuest(tx, program, { guestId, orderId: placed.id }))),
    ).toEqual({ code: "conflict", reason: "invalid_transition" });
    expect(
      await refusal(
        inTenant((tx, program) => transitionOrder(tx, program, { orderId: placed.id, to: "cancelled", actor: staff })),
      ),
    ).toMatchObject({ code: "invalid_request" });
    // A barista of another location does not see the order.
    expect(
      await refusal(
        inTenant((tx, program) =>
          transitionOrder(tx, program, {
            orderId: placed.id,
            to: "ready",
            actor: { kind: "staff", locationIds: [cafe.secondLocationId] },
          }),
        ),
      ),
    ).toMatchObject({ code: "not_found" });
    const { order: cancelled } = await inTenant((tx, program) =>
      transitionOrder(tx, program, { orderId: placed.id, to: "cancelled", actor: staff, reason: "Нет молока" }),
    );
    expect(cancelled).toMatchObject({ status: "cancelled", cancelReason: "Нет молока" });
  });

  it("writes the online receipt at pick-up: the hold is spent and the paid part accrues", async () => {
    const guestId = await enrol();
    const now = morning(8);
    const items = [
      {
        productSku: "latte",
        quantity: 2,
        modifiers: [
          { groupSlug: "size", optionSlug: "l" },
          { groupSlug: "milk", optionSlug: "oat" },
        ],
      },
    ];
    const { order: placed } = await place(order(guestId, now, { items, pointsToUse: 100 }));
    expect(await balanceOf(guestId)).toBe(0);

    const listener = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
    const events: { orderId: string; status: string; tenantId: string; locationId: string }[] = [];
    await listener.listen(ORDERS_CHANNEL, (payload) => events.push(JSON.parse(payload)));
    try {
      for (const to of ["accepted", "ready"] as const) {
        await inTenant((tx, program) => transitionOrder(tx, program, { orderId: placed.id, to, actor: staff }));
      }
      const board = await inTenant((tx) => orderBoard(tx, { locationIds: [cafe.locationId], now }));
      expect(board.ready.map((o) => o.id)).toContain(placed.id);
      expect(board.new.map((o) => o.id)).not.toContain(placed.id);

      const { order: done, receipt } = await inTenant((tx, program) =>
        transitionOrder(tx, program, { orderId: placed.id, to: "picked_up", actor: staff }),
      );
      expect(done.status).toBe("picked_up");
      // 820 roubles, 100 points (100 roubles) spent, 5 % of the 720 paid → 36 points.
      expect(receipt?.receipt).toMatchObject({ total: 82_000, pointsRedeemed: 100, pointsEarned: 36 });
      expect(receipt?.guest?.balance).toBe(36);
      expect(await balanceOf(guestId)).toBe(36);

      const [row] = await db.admin.select().from(receipts).where(eq(receipts.orderId, placed.id));
      expect(row).toMatchObject({
        channel: "online",
        guestId,
        redemptionId: placed.redemptionId,
        externalId: `order-${placed.pickupCode}-${placed.id}`,
        total: 82_000,
        pointsRedeemed: 100,
        pointsEarned: 36,
      });
      const lines = await db.admin
        .select()
        .from(receiptLines)
        .where(eq(receiptLines.receiptId, row?.id ?? ""));
      expect(lines).toEqual([
        expect.objectContaining({ sku: "latte", name: "Латте (L, Овсяное)", quantity: "2.000", amount: 82_000 }),
      ]);
      const [hold] = await db.admin
        .select()
        .from(redemptions)
        .where(eq(redemptions.id, placed.redemptionId ?? ""));
      expect(hold?.status).toBe("committed");
      const [guest] = await db.admin.select().from(guests).where(eq(guests.id, guestId));
      expect(guest?.lifetimePaid).toBe(72_000);

      expect(
        await refusal(
          inTenant((tx, program) =>
            transitionOrder(tx, program, { orderId: placed.id, to: "cancelled", actor: staff, reason: "x" }),
          ),
        ),
      ).toEqual({ code: "conflict", reason: "invalid_transition" });

      await expect.poll(() => events.filter((e) => e.orderId === placed.id).length).toBe(3);
      expect(events.filter((e) => e.orderId === placed.id)).toEqual(
        ["accepted", "ready", "picked_up"].map((status) => ({
          tenantId: cafe.tenantId,
          locationId: cafe.locationId,
          orderId: placed.id,
          status,
        })),
      );
    } finally {
      await listener.end();
    }
  });

  it("keeps every balance equal to the sum of its ledger", async () => {
    const rows = await db.admin.execute<{ id: string; balance: number; ledger: number }>(sql`
      select g.id, g.balance, coalesce((select sum(l.delta) from ledger_entries l where l.guest_id = g.id), 0)::int as ledger
      from guests g where g.tenant_id = ${cafe.tenantId}`);
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) expect(row.balance).toBe(row.ledger);
  });
});
