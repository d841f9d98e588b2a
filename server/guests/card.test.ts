import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type Tx, withTenant } from "@/db/client";
import {
  auditLog,
  guestStats,
  ledgerEntries,
  menuCategories,
  orderItems,
  orders,
  products,
  receipts,
  surveyResponses,
  users,
} from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { createTestSurvey } from "../cabinet/testing";
import { createPosTenant, posClient, receiptBody } from "../pos/testing";
import { adjustGuestPoints, guestCard, guestTimeline, type TimelineItem } from "./card";

const db = await testDatabase();
let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let pos: ReturnType<typeof posClient>;
let actor: { id: string; email: string };

const DAY = 86_400_000;
const inCafe = <T>(work: (tx: Tx) => Promise<T>) => withTenant(cafe.tenantId, work, db.app);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let counter = 0;
const next = () => ++counter;

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "card-cafe");
  pos = posClient(db.app, cafe.key);
  const [user] = await db.admin.insert(users).values({ email: "manager@card.test" }).returning();
  actor = { id: user?.id ?? "", email: "manager@card.test" };
});

async function enrol(): Promise<string> {
  const reply = await pos<{ guest: { id: string } }>("POST", "/guests", {
    phone: `+7916${String(3_000_000 + next()).slice(-7)}`,
    name: "Иван",
    consent: true,
  });
  expect(reply.status).toBe(201);
  return reply.body.guest.id;
}

const line = (sku: string, name: string, amount: number) => ({ sku, name, quantity: 1, unitPrice: amount, amount });

async function visit(guestId: string, at: Date, lines: ReturnType<typeof line>[]) {
  const total = lines.reduce((sum, item) => sum + item.amount, 0);
  const externalId = `C-${next()}`;
  const reply = await pos<{ receipt: { id: string } }>(
    "POST",
    "/receipts",
    receiptBody(externalId, total, { guestId, occurredAt: at.toISOString(), lines }),
  );
  expect(reply.status).toBe(201);
  return { id: reply.body.receipt.id, externalId };
}

/** An online order as the storefront leaves it (and, picked up, its online receipt). */
async function onlineOrder(guestId: string, at: Date, status: "picked_up" | "cancelled") {
  const [category] = await db.admin
    .insert(menuCategories)
    .values({ tenantId: cafe.tenantId, slug: `c-${next()}`, name: "Кофе" })
    .returning();
  const [product] = await db.admin
    .insert(products)
    .values({
      tenantId: cafe.tenantId,
      categoryId: category?.id ?? "",
      sku: `latte-${next()}`,
      name: "Латте",
      price: 25_000,
      prepMinutes: 3,
    })
    .returning();
  const [order] = await db.admin
    .insert(orders)
    .values({
      tenantId: cafe.tenantId,
      locationId: cafe.locationId,
      guestId,
      pickupCode: String(100 + next()),
      status,
      pickupAt: new Date(at.getTime() + 15 * 60_000),
      prepMinutes: 3,
      subtotal: 25_000,
      cancelReason: status === "cancelled" ? "guest" : null,
      idempotencyKey: `k-${next()}`,
      createdAt: at,
    })
    .returning();
  await db.admin.insert(orderItems).values({
    tenantId: cafe.tenantId,
    orderId: order?.id ?? "",
    lineNo: 1,
    productId: product?.id ?? "",
    name: "Латте",
    sku: product?.sku ?? "",
    variantName: "0,4 л",
    quantity: "1",
    unitPrice: 25_000,
    amount: 25_000,
    modifiers: [{ groupSlug: "milk", optionSlug: "oat", name: "Овсяное молоко", priceDelta: 0 }],
  });
  if (status === "picked_up") {
    await db.admin.insert(receipts).values({
      tenantId: cafe.tenantId,
      locationId: cafe.locationId,
      channel: "online",
      externalId: `order-${order?.id}`,
      payloadHash: "0".repeat(64),
      guestId,
      orderId: order?.id,
      occurredAt: new Date(at.getTime() + 20 * 60_000),
      total: 25_000,
      pointsEarned: 12,
      response: {},
    });
  }
  return order?.id ?? "";
}

const ledgerSum = async (guestId: string) => {
  const [row] = await db.admin
    .select({ sum: sql<string>`coalesce(sum(${ledgerEntries.delta}), 0)` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.guestId, guestId));
  return Number(row?.sum);
};
const balanceOf = async (guestId: string) =>
  (await inCafe((tx) => guestCard(tx, { guestId, staffLocationIds: [] }))).balance;

async function wholeTimeline(guestId: string, limit: number, scope: string[] = []): Promise<TimelineItem[]> {
  const items: TimelineItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const result = await inCafe((tx) => guestTimeline(tx, { guestId, cursor, limit, staffLocationIds: scope }));
    items.push(...result.items);
    if (!result.nextCursor) return items;
    cursor = result.nextCursor;
  }
  throw new Error("too many pages");
}

describe("the guest card", () => {
  let guestId: string;
  const now = Date.now();
  const ago = (days: number) => new Date(now - days * DAY);

  beforeAll(async () => {
    guestId = await enrol();
    const cappuccino = line("cappuccino", "Капучино", 20_000);
    const croissant = line("croissant", "Миндальный круассан", 19_000);
    await visit(guestId, ago(10), [cappuccino, croissant]);
    const refunded = await visit(guestId, ago(8), [cappuccino, croissant]);
    await visit(guestId, ago(3), [cappuccino]);
    await onlineOrder(guestId, ago(5), "cancelled");
    await onlineOrder(guestId, ago(2), "picked_up");
    const survey = await inCafe((tx) => createTestSurvey(tx, cafe.tenantId, 3));
    await db.admin.insert(surveyResponses).values({
      tenantId: cafe.tenantId,
      surveyId: survey.id,
      guestId,
      answers: { [survey.rating]: 5, [survey.text]: "Больше круассанов" },
      createdAt: ago(1),
    });
    await sleep(5);
    const hold = await pos<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId,
      points: 10,
      checkTotal: 30_000,
    });
    expect((await pos("DELETE", `/redemptions/${hold.body.redemption.id}`)).status).toBe(200);
    await sleep(5);
    const refund = await pos("POST", `/receipts/${refunded.externalId}/refunds`, {
      externalRefundId: `RF-${next()}`,
      amount: 19_000,
    });
    expect(refund.status).toBe(201);
    // The roll-up's row, as the nightly job leaves it: a usual gap of 3 days, last seen 2 days ago.
    await db.admin.insert(guestStats).values({
      tenantId: cafe.tenantId,
      guestId,
      visits: 4,
      posVisits: 3,
      onlineVisits: 1,
      firstVisitAt: ago(10),
      lastVisitAt: ago(2),
      spend: 98_000,
      medianGapDays: 3,
      usualWeekday: 1,
      usualHour: 8,
      favouriteSku: "cappuccino",
      favouriteName: "Капучино",
      favouriteCount: 3,
      locationIds: [cafe.locationId],
      pActive: 0.8,
      expectedVisits30d: 6.5,
      segment: "regular",
    });
  });

  it("merges POS visits, online orders, points, holds, refunds and survey answers into one timeline, newest first", async () => {
    const items = await wholeTimeline(guestId, 100);
    expect(items.map((item) => item.kind)).toEqual([
      "refund",
      "hold",
      "points",
      "survey",
      "order",
      "visit",
      "order",
      "visit",
      "visit",
    ]);
    const [refund, hold, bonus, survey, pickedUp, lastVisit, cancelled] = items;
    expect(refund).toMatchObject({ kind: "refund", amount: 19_000, locationName: "Main" });
    expect(hold).toMatchObject({ kind: "hold", points: 10, status: "voided" });
    expect(bonus).toMatchObject({ kind: "points", ledgerKind: "welcome_bonus" });
    expect(survey).toMatchObject({
      kind: "survey",
      answers: [
        { question: "Оценка", answer: "5" },
        { question: "Что улучшить?", answer: "Больше круассанов" },
      ],
    });
    // A picked-up order is one item with what its receipt earned, not an order and a visit.
    expect(pickedUp).toMatchObject({
      kind: "order",
      status: "picked_up",
      pointsEarned: 12,
      lines: [{ name: "Латте", quantity: 1, amount: 25_000, detail: "0,4 л, Овсяное молоко" }],
    });
    expect(lastVisit).toMatchObject({ kind: "visit", channel: "pos", lines: [{ name: "Капучино", amount: 20_000 }] });
    expect(cancelled).toMatchObject({ kind: "order", status: "cancelled", cancelReason: "guest" });
    for (let i = 1; i < items.length; i++) {
      expect((items[i - 1] as TimelineItem).at.getTime()).toBeGreaterThanOrEqual(
        (items[i] as TimelineItem).at.getTime(),
      );
    }
    // Any page size gives the same items: no repeats, no gaps.
    for (const limit of [1, 2, 4]) {
      expect((await wholeTimeline(guestId, limit)).map((item) => item.key)).toEqual(items.map((item) => item.key));
    }
    await expect(
      inCafe((tx) => guestTimeline(tx, { guestId, cursor: "bm9wZQ", staffLocationIds: [] })),
    ).rejects.toMatchObject({ reason: "invalid_cursor" });
  });

  it("shows tier, balance, spend, usual times, favourites and pairs, and the rhythm against the usual gap", async () => {
    const card = await inCafe((tx) => guestCard(tx, { guestId, staffLocationIds: [], now: new Date(now) }));
    expect(card.balance).toBe(await ledgerSum(guestId));
    expect(card.balanceValue).toBe(Math.max(0, card.balance) * 100);
    expect(card.consents).toEqual([expect.objectContaining({ kind: "personal_data", granted: true, channel: "pos" })]);
    expect(card.tier.name).toBeTruthy();
    expect(card.nextTier?.remaining).toBe((card.nextTier?.minSpend ?? 0) - card.lifetimePaid);
    expect(card.stats).toMatchObject({ visits: 4, posVisits: 3, onlineVisits: 1, spend: 98_000, averageCheck: 24_500 });
    expect(card.stats?.locationNames).toEqual(["Main"]);
    expect(card.favourites.map((item) => [item.name, item.checks])).toEqual([
      ["Капучино", 3],
      ["Миндальный круассан", 2],
    ]);
    expect(card.pairs).toEqual([{ nameA: "Капучино", nameB: "Миндальный круассан", checks: 2 }]);
    expect(card.weekdays.reduce((sum, n) => sum + n, 0)).toBe(4);
    expect(card.rhythm).toMatchObject({ medianGapDays: 3, daysSinceLastVisit: 2, pActive: 0.8 });
    expect(card.rhythm.gapRatio).toBeCloseTo(2 / 3);
    expect(card.rhythm.expectedNextVisitAt?.getTime()).toBe(now - 2 * DAY + 3 * DAY);
  });

  it("a guest with no visit yet has a card without statistics", async () => {
    const newcomer = await enrol();
    const card = await inCafe((tx) => guestCard(tx, { guestId: newcomer, staffLocationIds: [] }));
    expect(card.stats).toBeNull();
    expect(card.rhythm).toMatchObject({ daysSinceLastVisit: null, gapRatio: null, expectedNextVisitAt: null });
    expect(card.favourites).toEqual([]);
  });

  it("is 404 to a member limited to other locations, and for a deleted or unknown guest", async () => {
    const elsewhere = [cafe.secondLocationId];
    const notFound = { code: "not_found", reason: "guest_not_found" };
    await expect(inCafe((tx) => guestCard(tx, { guestId, staffLocationIds: elsewhere }))).rejects.toMatchObject(
      notFound,
    );
    await expect(inCafe((tx) => guestTimeline(tx, { guestId, staffLocationIds: elsewhere }))).rejects.toMatchObject(
      notFound,
    );
    await expect(
      inCafe((tx) =>
        adjustGuestPoints(tx, {
          guestId,
          delta: 5,
          reason: "from elsewhere",
          tenantId: cafe.tenantId,
          staffLocationIds: elsewhere,
          actor: { userId: actor.id, ip: null },
        }),
      ),
    ).rejects.toMatchObject(notFound);
    const card = await inCafe((tx) => guestCard(tx, { guestId, staffLocationIds: [cafe.locationId] }));
    expect(card.id).toBe(guestId);
    await expect(
      inCafe((tx) => guestCard(tx, { guestId: "00000000-0000-4000-8000-000000000000", staffLocationIds: [] })),
    ).rejects.toMatchObject(notFound);
    await expect(inCafe((tx) => guestCard(tx, { guestId: "not-a-uuid", staffLocationIds: [] }))).rejects.toMatchObject(
      notFound,
    );
  });
});

describe("the manual points adjustment", () => {
  const adjust = (guestId: string, delta: number, extra: { expectedBalance?: number; reason?: string } = {}) =>
    inCafe((tx) =>
      adjustGuestPoints(tx, {
        guestId,
        delta,
        reason: extra.reason ?? "Компенсация за ожидание",
        expectedBalance: extra.expectedBalance,
        tenantId: cafe.tenantId,
        staffLocationIds: [],
        actor: { userId: actor.id, ip: "10.1.2.3" },
      }),
    );

  it("adds points with its reason, audited, and the balance stays the sum of the ledger", async () => {
    const guestId = await enrol();
    const before = await balanceOf(guestId);
    const result = await adjust(guestId, 50, { expectedBalance: before });
    expect(result.balance).toBe(before + 50);
    expect(await balanceOf(guestId)).toBe(await ledgerSum(guestId));
    const [entry] = await db.admin
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "guest.points_adjusted"), eq(auditLog.targetId, guestId)));
    expect(entry).toMatchObject({
      actorUserId: actor.id,
      ip: "10.1.2.3",
      meta: { delta: 50, reason: "Компенсация за ожидание", balanceBefore: before, balanceAfter: before + 50 },
    });
    const [latest] = (await inCafe((tx) => guestTimeline(tx, { guestId, limit: 1, staffLocationIds: [] }))).items;
    expect(latest).toMatchObject({
      kind: "points",
      ledgerKind: "manual_adjustment",
      delta: 50,
      note: "Компенсация за ожидание",
      actorEmail: actor.email,
    });
  });

  it("never takes the balance below zero, refuses a stale balance, and needs a reason", async () => {
    const guestId = await enrol();
    const balance = await balanceOf(guestId);
    await expect(adjust(guestId, -(balance + 1))).rejects.toMatchObject({ reason: "balance_too_low" });
    await expect(adjust(guestId, -1, { expectedBalance: balance + 7 })).rejects.toMatchObject({
      reason: "balance_changed",
    });
    await expect(adjust(guestId, 5, { reason: " " })).rejects.toThrow();
    await expect(adjust(guestId, 0)).rejects.toThrow();
    expect(await balanceOf(guestId)).toBe(balance);
    await adjust(guestId, -balance);
    expect(await balanceOf(guestId)).toBe(0);
    expect(await ledgerSum(guestId)).toBe(0);
  });

  it("two adjustments at once that together would take more than the balance: one applies, the other is refused", async () => {
    const guestId = await enrol();
    await adjust(guestId, 100);
    const balance = await balanceOf(guestId);
    const take = Math.ceil(balance * 0.6);
    // A sale holds the guest's row while both adjustments arrive: both must wait for it, then
    // each other, and the second sees what the first left.
    const sale = inCafe(async (tx) => {
      await tx.execute(sql`select 1 from guests where id = ${guestId} for update`);
      await sleep(300);
    });
    await sleep(50);
    const results = await Promise.allSettled([adjust(guestId, -take), adjust(guestId, -take)]);
    await sale;
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(results.find((result) => result.status === "rejected")).toMatchObject({
      reason: expect.objectContaining({ reason: "balance_too_low" }),
    });
    expect(await balanceOf(guestId)).toBe(balance - take);
    expect(await ledgerSum(guestId)).toBe(balance - take);
  });
});
