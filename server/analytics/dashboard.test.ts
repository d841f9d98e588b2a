import { randomUUID } from "node:crypto";
import type { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import {
  guestLocationDays,
  guestStats,
  guests,
  locationHourStats,
  loyaltyTiers,
  membershipLocations,
  memberships,
  orders,
  productDayStats,
  productPairStats,
  receipts,
  refunds,
  surveyQuestions,
  surveyResponses,
  surveys,
  users,
} from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import type { Role } from "../auth/permissions";
import { createStaffSession } from "../auth/sessions";
import { applyEnv } from "../env";
import type { AppError } from "../errors";
import { createTenant } from "../tenants/create";
import { createCaller } from "../trpc/root";
import {
  dashboardCohorts,
  dashboardFigures,
  dashboardGuestBase,
  dashboardHeatmap,
  dashboardProducts,
  dashboardScope,
  dashboardToday,
  type Scope,
  surveyComments,
  surveySummaries,
} from "./dashboard";
import { resolvePeriod } from "./period";

const db = await testDatabase();
// staffProcedure resolves the café through the app's global pool: point it at this file's database.
applyEnv({ APP_DATABASE_URL: db.appUrl });
afterAll(async () => {
  await (globalThis as { zernoDb?: { client: { end: () => Promise<void> } } }).zernoDb?.client.end();
});

/** Noon in Moscow on Wednesday 20 March 2030: far from the real clock, so "today" is known. */
const now = new Date(Date.UTC(2030, 2, 20, 9, 0));
const TZ = "Europe/Moscow";
/** February 2030 against January 2030 (a whole month, before "today"). */
const february = { kind: "month" as const, from: "2030-02-10" };

let tenantId = "";
let emptyTenantId = "";
let tverskaya = "";
let arbat = "";
let otherCafeLocation = "";
const guestIds: Record<string, string> = {};

const inCafe = <T>(work: Parameters<typeof withTenant<T>>[1], tenant = tenantId) => withTenant(tenant, work, db.app);
const all: Scope = { locationIds: null };
const only = (...locationIds: string[]): Scope => ({ locationIds });
const query = (scope: Scope) => ({ ...scope, period: february, timezone: TZ, now });

beforeAll(async () => {
  const created = await db.app.transaction((tx) =>
    createTenant(tx, {
      slug: "dash-cafe",
      name: "Dash",
      currency: "RUB",
      timezone: TZ,
      locale: "ru",
      locations: [
        { slug: "tverskaya", name: "Тверская", address: "Тверская, 1" },
        { slug: "arbat", name: "Арбат", address: "Арбат, 2" },
      ],
    }),
  );
  tenantId = created.tenant.id;
  tverskaya = created.locations[0]?.id ?? "";
  arbat = created.locations[1]?.id ?? "";
  const empty = await db.app.transaction((tx) =>
    createTenant(tx, {
      slug: "dash-empty",
      name: "Empty",
      currency: "RUB",
      timezone: TZ,
      locale: "ru",
      locations: [{ slug: "main", name: "Main", address: "Main, 1" }],
    }),
  );
  emptyTenantId = empty.tenant.id;
  otherCafeLocation = empty.locations[0]?.id ?? "";

  await inCafe(async (tx) => {
    const tiers = await tx.select().from(loyaltyTiers).orderBy(loyaltyTiers.minSpend);
    const [bronze, silver] = tiers;
    if (!bronze || !silver) throw new Error("no tiers");
    // g1 regular at Тверская; g2 new at Арбат; g3 at both; g4 only in March; g5 long before; g6 deleted.
    const people = [
      { key: "g1", name: "Иван", tier: silver.id, balance: 100 },
      { key: "g2", name: "Мария", tier: bronze.id, balance: 50 },
      { key: "g3", name: "Олег", tier: bronze.id, balance: 0 },
      { key: "g4", name: "Анна", tier: bronze.id, balance: 25 },
      { key: "g5", name: "Пётр", tier: bronze.id, balance: 10 },
      { key: "g6", name: null, tier: bronze.id, balance: 999, deleted: true },
    ];
    for (const [index, person] of people.entries()) {
      const [row] = await tx
        .insert(guests)
        .values({
          tenantId,
          name: person.name,
          phone: `+7916000000${index}`,
          cardCode: `CARD-${index}`,
          qrSecret: "SECRET",
          tierId: person.tier,
          balance: person.balance,
          deletedAt: person.deleted ? now : null,
        })
        .returning({ id: guests.id });
      guestIds[person.key] = row?.id ?? "";
    }
    const g = (key: string) => guestIds[key] ?? "";

    await tx.insert(locationHourStats).values([
      // Sunday 3 February, 9:00 at Тверская.
      {
        tenantId,
        locationId: tverskaya,
        day: "2030-02-03",
        hour: 9,
        receipts: 4,
        revenue: 100_000,
        identifiedReceipts: 3,
        onlineReceipts: 1,
        onlineRevenue: 30_000,
        pointsEarned: 50,
        pointsRedeemed: 20,
        refunds: 1,
        refundedAmount: 10_000,
      },
      // Monday 4 February, 18:00 at Арбат.
      {
        tenantId,
        locationId: arbat,
        day: "2030-02-04",
        hour: 18,
        receipts: 6,
        revenue: 200_000,
        identifiedReceipts: 2,
        pointsEarned: 40,
      },
      // Tuesday 15 January, 9:00 at Тверская.
      {
        tenantId,
        locationId: tverskaya,
        day: "2030-01-15",
        hour: 9,
        receipts: 5,
        revenue: 150_000,
        identifiedReceipts: 5,
        onlineReceipts: 2,
        onlineRevenue: 50_000,
        pointsEarned: 30,
        pointsRedeemed: 10,
      },
      // 1 March: neither period.
      { tenantId, locationId: tverskaya, day: "2030-03-01", hour: 9, receipts: 100, revenue: 9_000_000 },
    ]);
    const visit = (key: string, locationId: string, day: string) => ({
      tenantId,
      guestId: g(key),
      locationId,
      day,
      receipts: 1,
      revenue: 30_000,
    });
    await tx
      .insert(guestLocationDays)
      .values([
        visit("g1", tverskaya, "2029-12-20"),
        visit("g1", tverskaya, "2030-01-15"),
        visit("g1", tverskaya, "2030-02-03"),
        visit("g2", arbat, "2030-02-04"),
        visit("g3", tverskaya, "2030-01-15"),
        visit("g3", arbat, "2030-02-04"),
        visit("g4", arbat, "2030-03-01"),
        visit("g5", tverskaya, "2029-08-10"),
        visit("g5", tverskaya, "2029-10-05"),
      ]);
    // First and last visits at 9:00 in Moscow, as the visits above.
    const stats = (key: string, segment: string, locationIds: string[], first: string, last: string) => ({
      tenantId,
      guestId: g(key),
      visits: 1,
      segment,
      locationIds,
      firstVisitAt: new Date(`${first}T06:00:00Z`),
      lastVisitAt: new Date(`${last}T06:00:00Z`),
    });
    await tx
      .insert(guestStats)
      .values([
        stats("g1", "regular", [tverskaya], "2029-12-20", "2030-02-03"),
        stats("g2", "new", [arbat], "2030-02-04", "2030-02-04"),
        stats("g3", "sleeping", [tverskaya, arbat], "2030-01-15", "2030-02-04"),
        stats("g4", "new", [arbat], "2030-03-01", "2030-03-01"),
        stats("g5", "lost", [tverskaya], "2029-08-10", "2029-10-05"),
      ]);
    await tx.insert(productDayStats).values([
      {
        tenantId,
        locationId: tverskaya,
        day: "2030-02-03",
        sku: "latte",
        name: "Латте 0,3",
        quantity: 3,
        revenue: 60_000,
        receipts: 3,
      },
      {
        tenantId,
        locationId: arbat,
        day: "2030-02-04",
        sku: "latte",
        name: "Латте",
        quantity: 2,
        revenue: 40_000,
        receipts: 2,
      },
      {
        tenantId,
        locationId: arbat,
        day: "2030-02-04",
        sku: "croissant",
        name: "Круассан",
        quantity: 5,
        revenue: 95_000,
        receipts: 4,
      },
      {
        tenantId,
        locationId: tverskaya,
        day: "2030-01-15",
        sku: "espresso",
        name: "Эспрессо",
        quantity: 10,
        revenue: 1_000_000,
        receipts: 10,
      },
    ]);
    const pair = (locationId: string, skuA: string, nameA: string, skuB: string, nameB: string, count: number) => ({
      tenantId,
      locationId,
      skuA,
      nameA,
      skuB,
      nameB,
      receipts: count,
      computedAt: now,
    });
    await tx
      .insert(productPairStats)
      .values([
        pair(tverskaya, "croissant", "Круассан", "latte", "Латте", 7),
        pair(arbat, "croissant", "Круассан", "latte", "Латте", 3),
        pair(arbat, "cookie", "Печенье", "latte", "Латте", 5),
      ]);

    // Today (20 March in Moscow) and just before it.
    const receipt = (locationId: string, at: string, total: number) => ({
      tenantId,
      locationId,
      channel: "pos" as const,
      externalId: randomUUID(),
      payloadHash: "0".repeat(64),
      occurredAt: new Date(at),
      total,
      response: {},
    });
    const [morning] = await tx
      .insert(receipts)
      .values([
        receipt(tverskaya, "2030-03-20T05:00:00Z", 30_000),
        receipt(arbat, "2030-03-19T20:59:00Z", 99_900), // 23:59 on the 19th in Moscow
        receipt(arbat, "2030-03-19T21:01:00Z", 20_000), // 00:01 on the 20th in Moscow
      ])
      .returning({ id: receipts.id });
    await tx.insert(refunds).values({
      tenantId,
      receiptId: morning?.id ?? "",
      locationId: tverskaya,
      externalRefundId: "R-1",
      payloadHash: "0".repeat(64),
      amount: 5_000,
      pointsReversed: 0,
      pointsReturned: 0,
      response: {},
      createdAt: new Date("2030-03-20T06:00:00Z"),
    });
    const order = (locationId: string, status: "new" | "ready" | "picked_up", key: string) => ({
      tenantId,
      locationId,
      guestId: g("g1"),
      pickupCode: key,
      status,
      pickupAt: now,
      prepMinutes: 3,
      subtotal: 20_000,
      idempotencyKey: key,
    });
    await tx
      .insert(orders)
      .values([order(tverskaya, "new", "A1"), order(tverskaya, "picked_up", "A2"), order(arbat, "ready", "A3")]);

    // A survey: a rating, a choice and a comment; g3's is the newest.
    const [survey] = await tx.insert(surveys).values({ tenantId, title: "Как вам у нас?" }).returning();
    const surveyId = survey?.id ?? "";
    const [rating, choice, text] = await tx
      .insert(surveyQuestions)
      .values([
        { tenantId, surveyId, text: "Оцените кофе", kind: "rating", sortOrder: 0 },
        {
          tenantId,
          surveyId,
          text: "Чего не хватает?",
          kind: "choice",
          options: ["Десертов", "Всего хватает"],
          sortOrder: 1,
        },
        { tenantId, surveyId, text: "Что улучшить?", kind: "text", sortOrder: 2 },
      ])
      .returning();
    const answer = (key: string, at: string, values: [number, string, string?]) => ({
      tenantId,
      surveyId,
      guestId: g(key),
      createdAt: new Date(at),
      answers: {
        [rating?.id ?? ""]: values[0],
        [choice?.id ?? ""]: values[1],
        ...(values[2] ? { [text?.id ?? ""]: values[2] } : {}),
      },
    });
    await tx
      .insert(surveyResponses)
      .values([
        answer("g1", "2030-02-01T10:00:00Z", [5, "Десертов", "Отлично"]),
        answer("g2", "2030-02-02T10:00:00Z", [3, "Всего хватает"]),
        answer("g3", "2030-02-03T10:00:00Z", [4, "Десертов", "Больше пирожных"]),
      ]);
  });
});

describe("periods", () => {
  it("compares a month under way with the same days of the month before", () => {
    expect(resolvePeriod({ kind: "month" }, "2030-03-20")).toEqual({
      kind: "month",
      current: { from: "2030-03-01", to: "2030-03-20" },
      previous: { from: "2030-02-01", to: "2030-02-20" },
      partial: true,
    });
    // 31 March against February's 28 days, not into March.
    expect(resolvePeriod({ kind: "month" }, "2030-03-31").previous).toEqual({ from: "2030-02-01", to: "2030-02-28" });
  });

  it("compares a whole past month, week or day with the one before", () => {
    expect(resolvePeriod(february, "2030-03-20")).toMatchObject({
      current: { from: "2030-02-01", to: "2030-02-28" },
      previous: { from: "2030-01-01", to: "2030-01-31" },
      partial: false,
    });
    // Wednesday 20 March: Monday to today against Monday to Wednesday of the week before.
    expect(resolvePeriod({ kind: "week" }, "2030-03-20")).toMatchObject({
      current: { from: "2030-03-18", to: "2030-03-20" },
      previous: { from: "2030-03-11", to: "2030-03-13" },
    });
    expect(resolvePeriod({ kind: "week", from: "2030-03-10" }, "2030-03-20")).toMatchObject({
      current: { from: "2030-03-04", to: "2030-03-10" },
      previous: { from: "2030-02-25", to: "2030-03-03" },
      partial: false,
    });
    expect(resolvePeriod({ kind: "day" }, "2030-03-20")).toMatchObject({
      current: { from: "2030-03-20", to: "2030-03-20" },
      previous: { from: "2030-03-19", to: "2030-03-19" },
    });
  });

  it("compares a custom range with as many days just before it, cut at today", () => {
    expect(resolvePeriod({ kind: "custom", from: "2030-02-01", to: "2030-02-10" }, "2030-03-20")).toMatchObject({
      current: { from: "2030-02-01", to: "2030-02-10" },
      previous: { from: "2030-01-22", to: "2030-01-31" },
    });
    expect(resolvePeriod({ kind: "custom", from: "2030-03-15", to: "2030-04-30" }, "2030-03-20")).toMatchObject({
      current: { from: "2030-03-15", to: "2030-03-20" },
      previous: { from: "2030-03-09", to: "2030-03-14" },
      partial: true,
    });
    // Backwards or absurd input still makes a period.
    expect(resolvePeriod({ kind: "custom", from: "2030-02-10", to: "2030-02-01" }, "2030-03-20").current).toEqual({
      from: "2030-02-10",
      to: "2030-02-10",
    });
  });
});

describe("the period's figures against the previous period's", () => {
  it("sums the whole café's February and January", async () => {
    const figures = await inCafe((tx) => dashboardFigures(tx, query(all)));
    expect(figures.current).toEqual({
      revenue: 290_000, // 300 000 of checks less a 10 000 refund
      receipts: 10,
      averageCheck: 30_000,
      activeGuests: 3, // g1, g2, g3
      returningGuests: 2, // g1 (December), g3 (January)
      newGuests: 1, // g2
      identifiedReceipts: 5,
      onlineReceipts: 1,
      onlineRevenue: 30_000,
      pointsIssued: 90,
      pointsSpent: 20,
      refunds: 1,
      identifiedShare: 0.5,
      returningShare: 2 / 3,
      onlineShare: 0.1,
    });
    expect(figures.previous).toEqual({
      revenue: 150_000,
      receipts: 5,
      averageCheck: 30_000,
      activeGuests: 2, // g1, g3
      returningGuests: 1, // g1
      newGuests: 1, // g3
      identifiedReceipts: 5,
      onlineReceipts: 2,
      onlineRevenue: 50_000,
      pointsIssued: 30,
      pointsSpent: 10,
      refunds: 0,
      identifiedShare: 1,
      returningShare: 0.5,
      onlineShare: 0.4,
    });
    // 28 February days, each beside January's day at the same position.
    expect(figures.daily).toHaveLength(28);
    expect(figures.daily[2]).toEqual({
      current: { day: "2030-02-03", revenue: 90_000, receipts: 4 },
      previous: { day: "2030-01-03", revenue: 0, receipts: 0 },
    });
    expect(figures.daily[14]?.previous).toEqual({ day: "2030-01-15", revenue: 150_000, receipts: 5 });
  });

  it("counts only the asked locations' checks and guests", async () => {
    const arbatOnly = await inCafe((tx) => dashboardFigures(tx, query(only(arbat))));
    expect(arbatOnly.current).toMatchObject({
      revenue: 200_000,
      receipts: 6,
      averageCheck: 33_333,
      activeGuests: 2,
      // g3 first came to the café (Тверская) in January: returning; g2 is new.
      returningGuests: 1,
      newGuests: 1,
      identifiedShare: 2 / 6,
      onlineShare: 0,
    });
    expect(arbatOnly.previous.receipts).toBe(0);
    const tverskayaOnly = await inCafe((tx) => dashboardFigures(tx, query(only(tverskaya))));
    expect(tverskayaOnly.current).toMatchObject({ revenue: 90_000, receipts: 4, activeGuests: 1, returningGuests: 1 });
    expect(tverskayaOnly.previous).toMatchObject({ revenue: 150_000, receipts: 5, activeGuests: 2, newGuests: 1 });
  });

  it("puts checks on the weekday and hour they happened", async () => {
    const heatmap = await inCafe((tx) => dashboardHeatmap(tx, query(all)));
    expect(heatmap.max).toBe(6);
    expect(heatmap.checks[6]?.[9]).toBe(4); // Sunday 9:00
    expect(heatmap.checks[0]?.[18]).toBe(6); // Monday 18:00
    expect(heatmap.checks.flat().reduce((sum, count) => sum + count, 0)).toBe(10);
    const tverskayaOnly = await inCafe((tx) => dashboardHeatmap(tx, query(only(tverskaya))));
    expect(tverskayaOnly.checks[0]?.[18]).toBe(0);
  });

  it("follows each month's newcomers up to their latest visit", async () => {
    const cohorts = await inCafe((tx) => dashboardCohorts(tx, query(all)));
    // g5 first came before September; g4 after February.
    expect(cohorts).toEqual([
      { month: "2029-09", guests: 0, retained: [0, 0, 0, 0, 0, 0] },
      { month: "2029-10", guests: 0, retained: [0, 0, 0, 0, 0] },
      { month: "2029-11", guests: 0, retained: [0, 0, 0, 0] },
      { month: "2029-12", guests: 1, retained: [1, 1, 1] },
      { month: "2030-01", guests: 1, retained: [1, 1] },
      { month: "2030-02", guests: 1, retained: [1] },
    ]);
    const arbatOnly = await inCafe((tx) => dashboardCohorts(tx, query(only(arbat))));
    // Арбат's guests: g3 (first at Тверская in January, back in February) and g2.
    expect(arbatOnly.slice(-2)).toEqual([
      { month: "2030-01", guests: 1, retained: [1, 1] },
      { month: "2030-02", guests: 1, retained: [1] },
    ]);
  });

  it("ranks the period's products by revenue and the pairs bought together", async () => {
    const products = await inCafe((tx) => dashboardProducts(tx, query(all)));
    expect(products.products).toEqual([
      { sku: "latte", name: "Латте", quantity: 5, revenue: 100_000, receipts: 5 },
      { sku: "croissant", name: "Круассан", quantity: 5, revenue: 95_000, receipts: 4 },
    ]);
    expect(products.pairs).toEqual([
      { skuA: "croissant", nameA: "Круассан", skuB: "latte", nameB: "Латте", receipts: 10 },
      { skuA: "cookie", nameA: "Печенье", skuB: "latte", nameB: "Латте", receipts: 5 },
    ]);
    const tverskayaOnly = await inCafe((tx) => dashboardProducts(tx, query(only(tverskaya))));
    expect(tverskayaOnly.products).toEqual([
      { sku: "latte", name: "Латте 0,3", quantity: 3, revenue: 60_000, receipts: 3 },
    ]);
    expect(tverskayaOnly.pairs).toEqual([
      { skuA: "croissant", nameA: "Круассан", skuB: "latte", nameB: "Латте", receipts: 7 },
    ]);
  });
});

describe("the guests as they are now", () => {
  it("counts tiers, segments and the points owed, deleted guests left out", async () => {
    const base = await inCafe((tx) => dashboardGuestBase(tx, all));
    expect(base.tiers.map(({ name, guests }) => [name, guests])).toEqual([
      ["Bronze", 4],
      ["Silver", 1],
      ["Gold", 0],
    ]);
    expect(base.segments).toEqual([
      { key: "new", guests: 2 },
      { key: "regular", guests: 1 },
      { key: "loyal", guests: 0 },
      { key: "sleeping", guests: 1 },
      { key: "lost", guests: 1 },
    ]);
    expect(base.pointsOutstanding).toBe(185);
    expect(base.liability).toBe(18_500); // 1 point pays 1 rouble
    const tverskayaOnly = await inCafe((tx) => dashboardGuestBase(tx, only(tverskaya)));
    expect(tverskayaOnly.pointsOutstanding).toBe(110); // g1, g3, g5
    expect(tverskayaOnly.segments.filter((segment) => segment.guests > 0).map((segment) => segment.key)).toEqual([
      "regular",
      "sleeping",
      "lost",
    ]);
  });

  it("reads today's checks, refunds and open orders live, by the café's midnight", async () => {
    expect(await inCafe((tx) => dashboardToday(tx, { ...all, timezone: TZ, now }))).toEqual({
      day: "2030-03-20",
      revenue: 45_000, // 30 000 + 20 000 − a 5 000 refund; 23:59 yesterday is not today
      receipts: 2,
      openOrders: 2,
    });
    expect(await inCafe((tx) => dashboardToday(tx, { ...only(arbat), timezone: TZ, now }))).toEqual({
      day: "2030-03-20",
      revenue: 20_000,
      receipts: 1,
      openOrders: 1,
    });
  });

  it("sums up the survey's answers and pages its comments newest first", async () => {
    const [survey] = await inCafe((tx) => surveySummaries(tx, all));
    expect(survey?.responses).toBe(3);
    expect(survey?.questions).toEqual([
      expect.objectContaining({ kind: "rating", answers: 3, average: 4, counts: [0, 0, 1, 1, 1] }),
      expect.objectContaining({
        kind: "choice",
        answers: 3,
        options: [
          { option: "Десертов", count: 2 },
          { option: "Всего хватает", count: 1 },
        ],
      }),
      expect.objectContaining({ kind: "text", answers: 2 }),
    ]);
    const comments = await inCafe((tx) => surveyComments(tx, { ...all, page: 1 }));
    expect(comments.total).toBe(2);
    expect(comments.comments.map((comment) => [comment.text, comment.guestName])).toEqual([
      ["Больше пирожных", "Олег"],
      ["Отлично", "Иван"],
    ]);
    // Арбат's guests: g2 and g3.
    const [arbatSurvey] = await inCafe((tx) => surveySummaries(tx, only(arbat)));
    expect(arbatSurvey?.responses).toBe(2);
    expect(arbatSurvey?.questions[0]).toMatchObject({ average: 3.5, counts: [0, 0, 1, 1, 0] });
    const arbatComments = await inCafe((tx) => surveyComments(tx, { ...only(arbat), page: 5 }));
    expect(arbatComments).toMatchObject({ total: 1, page: 1, pages: 1 });
    expect(arbatComments.comments.map((comment) => comment.text)).toEqual(["Больше пирожных"]);
  });
});

describe("an empty café", () => {
  it("answers zeros and empty lists, not errors", async () => {
    const inEmpty = <T>(work: Parameters<typeof withTenant<T>>[1]) => inCafe(work, emptyTenantId);
    const figures = await inEmpty((tx) => dashboardFigures(tx, query(all)));
    expect(figures.current).toMatchObject({
      revenue: 0,
      receipts: 0,
      averageCheck: 0,
      activeGuests: 0,
      identifiedShare: 0,
    });
    expect(figures.daily.every((day) => day.current.revenue === 0)).toBe(true);
    expect((await inEmpty((tx) => dashboardHeatmap(tx, query(all)))).max).toBe(0);
    expect((await inEmpty((tx) => dashboardCohorts(tx, query(all)))).every((cohort) => cohort.guests === 0)).toBe(true);
    expect(await inEmpty((tx) => dashboardProducts(tx, query(all)))).toEqual({ products: [], pairs: [] });
    const base = await inEmpty((tx) => dashboardGuestBase(tx, all));
    expect(base.pointsOutstanding).toBe(0);
    expect(base.segments.every((segment) => segment.guests === 0)).toBe(true);
    expect(await inEmpty((tx) => surveySummaries(tx, all))).toEqual([]);
    expect(await inEmpty((tx) => surveyComments(tx, { ...all, page: 1 }))).toMatchObject({ total: 0, comments: [] });
    expect(await inEmpty((tx) => dashboardToday(tx, { ...all, timezone: TZ, now }))).toMatchObject({
      revenue: 0,
      receipts: 0,
      openOrders: 0,
    });
  });
});

describe("who sees which locations", () => {
  it("limits a member to their locations and refuses another café's", async () => {
    expect(await inCafe((tx) => dashboardScope(tx, { memberLocationIds: [] }))).toEqual({ locationIds: null });
    expect(await inCafe((tx) => dashboardScope(tx, { memberLocationIds: [arbat] }))).toEqual({ locationIds: [arbat] });
    expect(await inCafe((tx) => dashboardScope(tx, { memberLocationIds: [], locationId: arbat }))).toEqual({
      locationIds: [arbat],
    });
    await expect(
      inCafe((tx) => dashboardScope(tx, { memberLocationIds: [arbat], locationId: tverskaya })),
    ).rejects.toMatchObject({ code: "forbidden" } satisfies Partial<AppError>);
    await expect(
      inCafe((tx) => dashboardScope(tx, { memberLocationIds: [], locationId: otherCafeLocation })),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  async function callerFor(role: Role, locationIds: string[]) {
    const [user] = await db.app
      .insert(users)
      .values({ email: `${role}-${randomUUID()}@dash.test`, name: role })
      .returning({ id: users.id });
    const userId = user?.id ?? "";
    await inCafe(async (tx) => {
      const [membership] = await tx.insert(memberships).values({ tenantId, userId, role }).returning();
      if (locationIds.length > 0) {
        await tx
          .insert(membershipLocations)
          .values(locationIds.map((locationId) => ({ tenantId, membershipId: membership?.id ?? "", locationId })));
      }
    });
    const sid = await createStaffSession(db.app, { userId, mfa: "verified" });
    return createCaller({
      db: db.app,
      requestId: "dashboard-test",
      ip: null,
      headers: new Headers(),
      getStaffSession: async () => ({ sid, userId, mfa: "verified" }),
      tenantSlug: "dash-cafe",
      response: { headers: {} },
    });
  }

  it("shows a manager of Арбат Арбат's figures only, and a barista nothing", async () => {
    const manager = await callerFor("manager", [arbat]);
    const scope = await manager.analytics.scope();
    expect(scope.locations.map((location) => location.name)).toEqual(["Арбат"]);
    const figures = await manager.analytics.figures({ period: february });
    expect(figures.current).toMatchObject({ revenue: 200_000, receipts: 6 });
    const base = await manager.analytics.guestBase({});
    expect(base.pointsOutstanding).toBe(75); // g2, g3, g4
    await expect(manager.analytics.figures({ period: february, locationId: tverskaya })).rejects.toMatchObject({
      code: "FORBIDDEN",
    } satisfies Partial<TRPCError>);

    const owner = await callerFor("owner", []);
    expect((await owner.analytics.scope()).locations).toHaveLength(2);
    expect((await owner.analytics.figures({ period: february })).current.receipts).toBe(10);

    const barista = await callerFor("barista", [arbat]);
    await expect(barista.analytics.figures({ period: february })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(barista.analytics.scope()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
