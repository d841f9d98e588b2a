import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { guestOffers, guests } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { runNightlyAnalytics } from "../analytics/segments";
import { flushPosRequests } from "../pos/request-log";
import { createPosTenant, posClient } from "../pos/testing";
import { birthdaysAhead, grantBirthdayOffers, grantUsualPlusOne } from "./automation";
import { createOffer, setOfferStatus } from "./manage";
import type { OfferInput } from "./types";

// The offers that reach guests by themselves: the birthday offer and "the usual plus one".

const db = await testDatabase();
let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let pos: ReturnType<typeof posClient>;
let counter = 0;

const actor = () => ({ tenantId: cafe.tenantId, userId: null, ip: null });
const inCafe = <T>(work: Parameters<typeof withTenant<T>>[1]) => withTenant(cafe.tenantId, work, db.app);

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "offers-auto-cafe");
  pos = posClient(db.app, cafe.key);
});
afterAll(() => flushPosRequests());

async function guest(birthday: string | null = null, options: { deleted?: boolean } = {}) {
  counter += 1;
  const phone = `+7928${String(1_000_000 + counter).slice(-7)}`;
  const reply = await pos<{ guest: { id: string; cardCode: string } }>("POST", "/guests", { phone, consent: true });
  expect(reply.status).toBe(201);
  await db.admin
    .update(guests)
    .set({ birthday, deletedAt: options.deleted ? new Date() : null })
    .where(eq(guests.id, reply.body.guest.id));
  return reply.body.guest;
}

function offer(input: Partial<OfferInput> & Pick<OfferInput, "source">) {
  return inCafe((tx) =>
    createOffer(tx, actor(), {
      kind: "percent_off",
      value: 50,
      title: { ru: "Тест" },
      validFrom: new Date("2026-01-01T00:00:00Z"),
      ...input,
    }),
  );
}

const grantsOf = (offerId: string) =>
  db.admin.select().from(guestOffers).where(eq(guestOffers.offerId, offerId)).orderBy(guestOffers.grantKey);

describe("the birthday offer", () => {
  it("lists the coming birthdays, a 29 February one on the 28th in other years", () => {
    expect(birthdaysAhead("2027-02-25").map((day) => day.monthDay)).toEqual([
      "02-25",
      "02-26",
      "02-27",
      "02-28",
      "02-29",
      "03-01",
      "03-02",
      "03-03",
      "03-04",
    ]);
  });

  it("is given to guests whose birthday is within the next week, once per year, and only while active", async () => {
    const gift = await offer({ source: "birthday", title: { ru: "С днём рождения: −50 %" } });
    const soon = await guest("1990-03-12");
    const today = await guest("1985-03-10");
    const later = await guest("1992-03-25");
    const past = await guest("1992-03-09");
    const gone = await guest("1990-03-11", { deleted: true });
    const noBirthday = await guest();
    const now = new Date("2026-03-10T09:00:00Z"); // 12:00 in Moscow

    const first = await inCafe((tx) => grantBirthdayOffers(tx, { now }));
    expect(first.granted).toBe(2);
    const grants = await grantsOf(gift.id);
    expect(grants.map((grant) => grant.guestId).sort()).toEqual([soon.id, today.id].sort());
    expect(grants.every((grant) => grant.grantKey === "birthday:2026" && grant.source === "birthday")).toBe(true);
    // A week after the birthday, to the end of that day in Moscow.
    expect(grants.find((grant) => grant.guestId === soon.id)?.expiresAt?.toISOString()).toBe(
      "2026-03-19T21:00:00.000Z",
    );
    for (const nobody of [later, past, gone, noBirthday]) {
      expect(grants.some((grant) => grant.guestId === nobody.id)).toBe(false);
    }

    // The job runs every hour: the same birthday is given once.
    const again = await inCafe((tx) => grantBirthdayOffers(tx, { now: new Date(now.getTime() + 3_600_000) }));
    expect(again.granted).toBe(0);
    expect(await grantsOf(gift.id)).toHaveLength(2);

    // The next year, again.
    const nextYear = await inCafe((tx) => grantBirthdayOffers(tx, { now: new Date("2027-03-10T09:00:00Z") }));
    expect(nextYear.granted).toBe(2);
    expect((await grantsOf(gift.id)).map((grant) => grant.grantKey)).toEqual([
      "birthday:2026",
      "birthday:2026",
      "birthday:2027",
      "birthday:2027",
    ]);

    // Paused, it is given to nobody.
    await inCafe((tx) => setOfferStatus(tx, actor(), gift.id, "paused"));
    const paused = await inCafe((tx) => grantBirthdayOffers(tx, { now: new Date("2028-03-10T09:00:00Z") }));
    expect(paused.granted).toBe(0);
  });

  it("lasts the offer's grant days when it names them", async () => {
    const gift = await offer({ source: "birthday", grantDays: 3 });
    const soon = await guest("1991-06-03");
    const now = new Date("2026-06-01T09:00:00Z");
    await inCafe((tx) => grantBirthdayOffers(tx, { now }));
    const [grant] = (await grantsOf(gift.id)).filter((row) => row.guestId === soon.id);
    expect(grant?.expiresAt?.toISOString()).toBe("2026-06-04T09:00:00.000Z");
  });
});

describe("the usual plus one", () => {
  const line = (sku: string, price = 20000) => ({
    sku,
    name: sku,
    quantity: 1,
    unitPrice: price,
    amount: price,
    category: sku === "cappuccino" || sku === "latte" ? "coffee" : "bakery",
  });
  let receipts = 0;
  async function visit(guestId: string | null, day: string, skus: string[]) {
    receipts += 1;
    const lines = skus.map((sku) => line(sku));
    const reply = await pos("POST", "/receipts", {
      externalId: `USUAL-${receipts}`,
      occurredAt: `${day}T09:00:00+03:00`,
      lines,
      total: lines.reduce((sum, each) => sum + each.amount, 0),
      ...(guestId ? { guestId } : {}),
    });
    expect(reply.status).toBe(201);
  }

  it("gives the café's usual-plus-one offer on the pair of the drink a guest bought three visits in a row", async () => {
    const template = await offer({
      source: "usual_plus_one",
      kind: "percent_off",
      value: 50,
      title: { ru: "Ваш обычный плюс один: −50 %" },
    });
    const regular = await guest();
    const twoOfThree = await guest();
    const both = await guest();
    // What the café's checks pair: cappuccino with croissant (3), with muffin (2), latte with cake (2).
    for (const day of ["2026-11-01", "2026-11-02", "2026-11-03"]) await visit(null, day, ["cappuccino", "croissant"]);
    for (const day of ["2026-11-04", "2026-11-05"]) await visit(null, day, ["cappuccino", "muffin"]);
    for (const day of ["2026-11-04", "2026-11-05"]) await visit(null, day, ["latte", "cake"]);
    // The regular: a cappuccino in each of the last three visits (a latte before).
    await visit(regular.id, "2026-12-01", ["latte"]);
    await visit(regular.id, "2026-12-02", ["cappuccino"]);
    await visit(regular.id, "2026-12-04", ["cappuccino", "cake"]);
    await visit(regular.id, "2026-12-06", ["cappuccino"]);
    // Cappuccino in two of the last three: no "usual".
    await visit(twoOfThree.id, "2026-12-02", ["cappuccino"]);
    await visit(twoOfThree.id, "2026-12-04", ["latte"]);
    await visit(twoOfThree.id, "2026-12-06", ["cappuccino"]);
    // Always cappuccino and croissant: the croissant is theirs already, the muffin is the plus one.
    for (const day of ["2026-12-03", "2026-12-05", "2026-12-06"])
      await visit(both.id, day, ["cappuccino", "croissant"]);

    const now = new Date("2026-12-07T01:00:00Z");
    await inCafe((tx) => runNightlyAnalytics(tx, { now }));
    const first = await inCafe((tx) => grantUsualPlusOne(tx, { now }));
    expect(first.granted).toBe(2);
    const grants = await grantsOf(template.id);
    const mine = grants.find((grant) => grant.guestId === regular.id);
    expect(mine).toMatchObject({
      source: "usual_plus_one",
      grantKey: "usual:cappuccino",
      skus: ["croissant"],
      requiredSkus: ["cappuccino"],
    });
    expect(grants.find((grant) => grant.guestId === both.id)).toMatchObject({ skus: ["muffin"] });
    expect(grants.some((grant) => grant.guestId === twoOfThree.id)).toBe(false);

    // Running again (the next hour, the next night) grants nothing new.
    const again = await inCafe((tx) => grantUsualPlusOne(tx, { now: new Date(now.getTime() + 3_600_000) }));
    expect(again.granted).toBe(0);
    expect(await grantsOf(template.id)).toHaveLength(2);

    // At the till it is the croissant, and only together with the cappuccino.
    type Identify = { offers: { id: string; applicable: boolean; reason?: string; skus?: string[] }[] };
    const verdict = async (skus: string[]) => {
      const reply = await pos<Identify>("POST", "/guests/identify", {
        identifier: regular.cardCode,
        basket: skus.map((sku) => line(sku)),
      });
      return reply.body.offers.find((each) => each.id === template.id);
    };
    expect(await verdict(["croissant"])).toMatchObject({ applicable: false, reason: "required_item_missing" });
    expect(await verdict(["cappuccino"])).toMatchObject({ applicable: false, reason: "no_matching_items" });
    expect(await verdict(["cappuccino", "croissant"])).toMatchObject({ applicable: true, skus: ["croissant"] });
  });

  it("gives nothing while the café has no active usual-plus-one offer", async () => {
    const [template] = await db.admin
      .select({ id: guestOffers.offerId })
      .from(guestOffers)
      .where(and(eq(guestOffers.tenantId, cafe.tenantId), eq(guestOffers.source, "usual_plus_one")));
    await inCafe((tx) => setOfferStatus(tx, actor(), template?.id as string, "paused"));
    const regular = await guest();
    for (const day of ["2026-12-02", "2026-12-04", "2026-12-06"]) await visit(regular.id, day, ["cappuccino"]);
    const result = await inCafe((tx) => grantUsualPlusOne(tx, { now: new Date("2026-12-07T02:00:00Z") }));
    expect(result.granted).toBe(0);
  });
});
