import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { ledgerEntries, offers, offerUses } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { grantOffer } from "../offers/grants";
import { createOffer, offerStats } from "../offers/manage";
import type { OfferInput } from "../offers/types";
import { createPosTenant, posClient } from "./testing";

// The contract's "Offers and coupons (v1, additive)" section (POS-API.md), through the REST API.

const db = await testDatabase();
const DAY = 24 * 60 * 60 * 1000;
const MONTH_AGO = new Date(Date.now() - 30 * DAY);

let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let rival: Awaited<ReturnType<typeof createPosTenant>>;
let pos: ReturnType<typeof posClient>;

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "offers-cafe");
  rival = await createPosTenant(db.app, "offers-rival");
  pos = posClient(db.app, cafe.key);
});

type Guest = { id: string; cardCode: string; balance: number };
let phoneCounter = 0;
async function enrol(client = pos): Promise<Guest> {
  phoneCounter += 1;
  const phone = `+7926${String(1_000_000 + phoneCounter).slice(-7)}`;
  const reply = await client<{ guest: Guest }>("POST", "/guests", { phone, name: "Ольга", consent: true });
  expect(reply.status).toBe(201);
  return reply.body.guest;
}

/** An offer of `tenantId`, valid since a month ago unless the test says otherwise. */
function makeOffer(tenantId: string, input: Partial<OfferInput> & Pick<OfferInput, "kind" | "value">) {
  return withTenant(
    tenantId,
    (tx) =>
      createOffer(
        tx,
        { tenantId, userId: null },
        { title: { ru: "Тест", en: "Test" }, source: "personal", validFrom: MONTH_AGO, ...input },
      ),
    db.app,
  );
}

function give(tenantId: string, offerId: string, guestIds: string[], expiresAt?: Date | null) {
  return withTenant(
    tenantId,
    (tx) => grantOffer(tx, { tenantId, userId: null }, { offerId, guestIds, expiresAt }),
    db.app,
  );
}

const cappuccino = {
  sku: "cappuccino",
  name: "Капучино",
  quantity: 1,
  unitPrice: 25000,
  amount: 25000,
  category: "coffee",
};
const croissant = {
  sku: "croissant",
  name: "Круассан",
  quantity: 1,
  unitPrice: 15000,
  amount: 15000,
  category: "bakery",
};

let receiptCounter = 0;
/** A receipt of now with these lines (amounts after the offers), total = their sum. */
function receipt(lines: (typeof cappuccino)[], extra: Record<string, unknown> = {}) {
  receiptCounter += 1;
  return {
    externalId: `OFR-${receiptCounter}`,
    occurredAt: new Date().toISOString(),
    lines,
    total: lines.reduce((sum, line) => sum + line.amount, 0),
    ...extra,
  };
}

type ReceiptReply = {
  receipt: { id: string; externalId: string; total: number; pointsEarned: number; pointsRedeemed: number };
  guest: { id: string; balance: number } | null;
  offersApplied?: { id: string; discount: number; pointsEarned: number }[];
};
type ErrorReply = { error: { code: string; message: string; details?: Record<string, unknown> } };
type OfferReply = {
  id: string;
  code?: string;
  title: string;
  applicable: boolean;
  reason?: string;
  validUntil: string | null;
};

describe("identify answers the guest's offers", () => {
  it("lists usable offers, evaluated against the basket when one is sent", async () => {
    const guest = await enrol();
    const other = await enrol();
    const latte = await makeOffer(cafe.tenantId, {
      kind: "percent_off",
      value: 20,
      skus: ["cappuccino"],
      title: { ru: "−20 % на капучино", en: "20 % off cappuccino" },
    });
    const big = await makeOffer(cafe.tenantId, { kind: "amount_off", value: 5000, minCheck: 50000 });
    const elsewhere = await makeOffer(cafe.tenantId, {
      kind: "bonus_points",
      value: 30,
      locationIds: [cafe.secondLocationId],
    });
    const expired = await makeOffer(cafe.tenantId, { kind: "bonus_points", value: 10 });
    for (const offer of [latte, big, elsewhere]) await give(cafe.tenantId, offer.id, [guest.id]);
    await give(cafe.tenantId, expired.id, [guest.id], new Date(Date.now() - DAY));

    type IdentifyReply = { offers: (OfferReply & { kind: string; value: number; skus?: string[] })[] };
    const plain = await pos<IdentifyReply>("POST", "/guests/identify", { identifier: guest.cardCode });
    expect(plain.status).toBe(200);
    const byId = new Map(plain.body.offers.map((offer) => [offer.id, offer]));
    // The expired grant is not usable, so it is not listed.
    expect([...byId.keys()].sort()).toEqual([latte.id, big.id, elsewhere.id].sort());
    expect(byId.get(latte.id)).toMatchObject({
      title: "−20 % на капучино",
      kind: "percent_off",
      value: 20,
      skus: ["cappuccino"],
      validUntil: null,
      applicable: true,
    });
    expect(byId.get(elsewhere.id)).toMatchObject({ applicable: false, reason: "wrong_location" });

    const withBasket = await pos<IdentifyReply>("POST", "/guests/identify", {
      identifier: guest.cardCode,
      basket: [croissant],
    });
    const verdicts = new Map(withBasket.body.offers.map((offer) => [offer.id, offer]));
    expect(verdicts.get(latte.id)).toMatchObject({ applicable: false, reason: "no_matching_items" });
    expect(verdicts.get(big.id)).toMatchObject({ applicable: false, reason: "min_check_not_met" });

    const coffee = await pos<IdentifyReply>("POST", "/guests/identify", {
      identifier: guest.cardCode,
      basket: [cappuccino],
    });
    expect(coffee.body.offers.find((offer) => offer.id === latte.id)).toMatchObject({
      applicable: true,
      maxDiscount: 5000,
    });

    const nobody = await pos<IdentifyReply>("POST", "/guests/identify", { identifier: other.cardCode });
    expect(nobody.body.offers).toEqual([]);
  });
});

describe("GET /offers/{code}", () => {
  it("finds a code case-insensitively; unknown and another café's codes are 404", async () => {
    const offer = await makeOffer(cafe.tenantId, {
      kind: "percent_off",
      value: 25,
      source: "code",
      code: "OSEN25",
      title: { ru: "Осень −25 %" },
    });
    await makeOffer(rival.tenantId, { kind: "amount_off", value: 1000, source: "code", code: "RIVAL10" });

    const found = await pos<OfferReply>("GET", "/offers/osen25");
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      id: offer.id,
      code: "OSEN25",
      title: "Осень −25 %",
      kind: "percent_off",
      value: 25,
      validUntil: null,
      applicable: true,
      maxDiscount: 0,
    });
    const unknown = await pos<ErrorReply>("GET", "/offers/NOPE");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("offer_not_found");
    const foreign = await pos<ErrorReply>("GET", "/offers/RIVAL10");
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("offer_not_found");
    const noGuest = await pos<ErrorReply>("GET", `/offers/OSEN25?guestId=${crypto.randomUUID()}`);
    expect(noGuest.status).toBe(404);
    expect(noGuest.body.error.code).toBe("guest_not_found");
  });

  it("answers 422 offer_expired outside the dates and offer_used_up when the uses are taken", async () => {
    await makeOffer(cafe.tenantId, {
      kind: "amount_off",
      value: 1000,
      source: "code",
      code: "SUMMER",
      validFrom: new Date(Date.now() - 60 * DAY),
      validUntil: new Date(Date.now() - DAY),
    });
    await makeOffer(cafe.tenantId, {
      kind: "amount_off",
      value: 1000,
      source: "code",
      code: "SOON",
      validFrom: new Date(Date.now() + DAY),
    });
    const expired = await pos<ErrorReply>("GET", "/offers/SUMMER");
    expect(expired.status).toBe(422);
    expect(expired.body.error).toMatchObject({ code: "offer_expired", details: { reason: "expired" } });
    const early = await pos<ErrorReply>("GET", "/offers/SOON");
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ code: "offer_expired", details: { reason: "not_yet_valid" } });

    // One use per guest: after the guest's check, the code is used up for them, not for others.
    await makeOffer(cafe.tenantId, { kind: "amount_off", value: 1000, source: "code", code: "ONCE", perGuestLimit: 1 });
    const guest = await enrol();
    const used = await pos(
      "POST",
      "/receipts",
      receipt([{ ...cappuccino, amount: 24000 }], {
        guestId: guest.id,
        offers: [{ code: "once", discount: 1000 }],
      }),
    );
    expect(used.status).toBe(201);
    const mine = await pos<ErrorReply>("GET", `/offers/ONCE?guestId=${guest.id}`);
    expect(mine.status).toBe(422);
    expect(mine.body.error.code).toBe("offer_used_up");
    expect((await pos("GET", "/offers/ONCE")).status).toBe(200);

    await makeOffer(cafe.tenantId, { kind: "amount_off", value: 1000, source: "code", code: "LAST", totalLimit: 1 });
    await pos(
      "POST",
      "/receipts",
      receipt([{ ...cappuccino, amount: 24000 }], { offers: [{ code: "LAST", discount: 1000 }] }),
    );
    const gone = await pos<ErrorReply>("GET", "/offers/LAST");
    expect(gone.status).toBe(422);
    expect(gone.body.error.code).toBe("offer_used_up");
  });
});

describe("receipts with offers", () => {
  it("records a percent_off use: discount on the line, accrual on what was paid, one use", async () => {
    const guest = await enrol(); // 100 points, Bronze 5 %
    const offer = await makeOffer(cafe.tenantId, { kind: "percent_off", value: 20, skus: ["cappuccino"] });
    await give(cafe.tenantId, offer.id, [guest.id]);
    const body = receipt([{ ...cappuccino, amount: 20000 }, croissant], {
      guestId: guest.id,
      offers: [{ id: offer.id, discount: 5000, lines: [0] }],
    });
    const reply = await pos<ReceiptReply>("POST", "/receipts", body);
    expect(reply.status).toBe(201);
    // (20000 + 15000) × 5 / 10000 = 17.5 → 17.
    expect(reply.body).toEqual({
      receipt: {
        id: expect.any(String),
        externalId: body.externalId,
        total: 35000,
        pointsRedeemed: 0,
        pointsEarned: 17,
      },
      guest: { id: guest.id, balance: 117, tier: "Bronze" },
      offersApplied: [{ id: offer.id, discount: 5000, pointsEarned: 0 }],
    });
    const uses = await db.admin.select().from(offerUses).where(eq(offerUses.offerId, offer.id));
    expect(uses).toMatchObject([
      { status: "used", discount: 5000, guestId: guest.id, receiptId: reply.body.receipt.id },
    ]);
    const read = await pos<ReceiptReply>("GET", `/receipts/${body.externalId}`);
    expect(read.body.offersApplied).toEqual([{ id: offer.id, discount: 5000, pointsEarned: 0 }]);

    // Its one use is taken: the next check with it is refused, naming the offer.
    const again = await pos<ErrorReply>(
      "POST",
      "/receipts",
      receipt([{ ...cappuccino, amount: 20000 }], { guestId: guest.id, offers: [{ id: offer.id, discount: 5000 }] }),
    );
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({ code: "offer_used_up", details: { offerId: offer.id, path: "offers.0" } });
  });

  it("takes amount_off (capped by the check) and free_item (one unit of the SKU)", async () => {
    const guest = await enrol();
    const amount = await makeOffer(cafe.tenantId, { kind: "amount_off", value: 50000 });
    const free = await makeOffer(cafe.tenantId, { kind: "free_item", value: 1, skus: ["croissant"] });
    await give(cafe.tenantId, amount.id, [guest.id]);
    await give(cafe.tenantId, free.id, [guest.id]);
    // 500 ₽ off a 400 ₽ check is at most 400 ₽ off.
    const tooMuch = await pos<ErrorReply>(
      "POST",
      "/receipts",
      receipt(
        [
          { ...cappuccino, amount: 0 },
          { ...croissant, amount: 0 },
        ],
        {
          guestId: guest.id,
          offers: [{ id: amount.id, discount: 40001 }],
        },
      ),
    );
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({
      code: "offer_not_applicable",
      details: { offerId: amount.id, reason: "discount_exceeds_allowed", maxDiscount: 40000 },
    });
    const capped = await pos<ErrorReply>(
      "POST",
      "/receipts",
      receipt([{ ...cappuccino, amount: 5000 }], { guestId: guest.id, offers: [{ id: amount.id, discount: 25001 }] }),
    );
    expect(capped.status).toBe(422);
    expect(capped.body.error).toMatchObject({
      code: "offer_not_applicable",
      details: { offerId: amount.id, reason: "discount_exceeds_allowed", maxDiscount: 25000 },
    });
    const freeCroissant = await pos<ReceiptReply>(
      "POST",
      "/receipts",
      receipt([cappuccino, { ...croissant, quantity: 2, amount: 15000 }], {
        guestId: guest.id,
        offers: [{ id: free.id, discount: 15000 }],
      }),
    );
    expect(freeCroissant.status).toBe(201);
    expect(freeCroissant.body.offersApplied).toEqual([{ id: free.id, discount: 15000, pointsEarned: 0 }]);
    // Named lines bound the discount: on line 1 alone (two croissants, 300 ₽) at most 300 ₽.
    const beyond = await pos<ErrorReply>(
      "POST",
      "/receipts",
      receipt(
        [
          { ...cappuccino, amount: 24999 },
          { ...croissant, quantity: 2, amount: 0 },
        ],
        {
          guestId: guest.id,
          offers: [{ id: amount.id, discount: 30001, lines: [1] }],
        },
      ),
    );
    expect(beyond.body.error).toMatchObject({ code: "offer_not_applicable", details: { maxDiscount: 30000 } });
    const within = await pos(
      "POST",
      "/receipts",
      receipt([cappuccino, { ...croissant, quantity: 2, amount: 0 }], {
        guestId: guest.id,
        offers: [{ id: amount.id, discount: 30000, lines: [1] }],
      }),
    );
    expect(within.status).toBe(201);
  });

  it("applies an offer with required SKUs only when the check holds one of them", async () => {
    const guest = await enrol();
    const gift = await makeOffer(cafe.tenantId, {
      kind: "free_item",
      value: 1,
      skus: ["croissant"],
      requiredSkus: ["cappuccino"],
      title: { ru: "Круассан в подарок к капучино" },
    });
    await give(cafe.tenantId, gift.id, [guest.id]);
    type IdentifyReply = { offers: (OfferReply & { requiredSkus?: string[]; maxDiscount?: number })[] };
    const verdictFor = async (basket: (typeof cappuccino)[]) => {
      const reply = await pos<IdentifyReply>("POST", "/guests/identify", { identifier: guest.cardCode, basket });
      return reply.body.offers.find((offer) => offer.id === gift.id);
    };
    expect(await verdictFor([croissant])).toMatchObject({
      applicable: false,
      reason: "required_item_missing",
      requiredSkus: ["cappuccino"],
    });
    expect(await verdictFor([cappuccino])).toMatchObject({ applicable: false, reason: "no_matching_items" });
    expect(await verdictFor([cappuccino, croissant])).toMatchObject({ applicable: true, maxDiscount: 15000 });

    // Claimed on a check without a cappuccino: refused, nothing used.
    const alone = await pos<ErrorReply>(
      "POST",
      "/receipts",
      receipt([{ ...croissant, amount: 0 }], { guestId: guest.id, offers: [{ id: gift.id, discount: 15000 }] }),
    );
    expect(alone.status).toBe(422);
    expect(alone.body.error).toMatchObject({
      code: "offer_not_applicable",
      details: { offerId: gift.id, reason: "required_item_missing", path: "offers.0" },
    });
    // Naming only the croissant's line still counts the cappuccino elsewhere on the check.
    const together = await pos<ReceiptReply>(
      "POST",
      "/receipts",
      receipt([cappuccino, { ...croissant, amount: 0 }], {
        guestId: guest.id,
        offers: [{ id: gift.id, discount: 15000, lines: [1] }],
      }),
    );
    expect(together.status).toBe(201);
    expect(together.body.offersApplied).toEqual([{ id: gift.id, discount: 15000, pointsEarned: 0 }]);
    const [row] = await withTenant(
      cafe.tenantId,
      (tx) => tx.select().from(offers).where(eq(offers.id, gift.id)),
      db.app,
    );
    expect(row?.usesCount).toBe(1);
  });

  it("does not let the free unit of a required SKU be its own condition (a cappuccino free with a cappuccino)", async () => {
    const guest = await enrol();
    const second = await makeOffer(cafe.tenantId, {
      kind: "free_item",
      value: 1,
      skus: ["cappuccino"],
      requiredSkus: ["cappuccino"],
    });
    await give(cafe.tenantId, second.id, [guest.id]);
    const one = await pos<ErrorReply>(
      "POST",
      "/receipts",
      receipt([{ ...cappuccino, amount: 0 }], { guestId: guest.id, offers: [{ id: second.id, discount: 25000 }] }),
    );
    expect(one.status).toBe(422);
    expect(one.body.error.details).toMatchObject({ reason: "required_item_missing" });
    const two = await pos(
      "POST",
      "/receipts",
      receipt([{ ...cappuccino, quantity: 2, amount: 25000 }], {
        guestId: guest.id,
        offers: [{ id: second.id, discount: 25000 }],
      }),
    );
    expect(two.status).toBe(201);
  });

  it("adds points_multiplier and bonus_points as ledger entries naming the offer", async () => {
    const guest = await enrol(); // 100
    const triple = await makeOffer(cafe.tenantId, { kind: "points_multiplier", value: 3, categories: ["coffee"] });
    const bonus = await makeOffer(cafe.tenantId, { kind: "bonus_points", value: 50, minCheck: 30000 });
    await give(cafe.tenantId, triple.id, [guest.id]);
    await give(cafe.tenantId, bonus.id, [guest.id]);
    const body = receipt([cappuccino, croissant], {
      guestId: guest.id,
      offers: [
        { id: triple.id, discount: 0 },
        { id: bonus.id, discount: 0 },
      ],
    });
    const reply = await pos<ReceiptReply>("POST", "/receipts", body);
    expect(reply.status).toBe(201);
    // Own: 40000 × 5 % = 20. ×3 on coffee: floor(25000 × 5 / 10000) = 12, twice more = 24. Bonus 50.
    expect(reply.body.receipt.pointsEarned).toBe(94);
    expect(reply.body.guest?.balance).toBe(194);
    expect(reply.body.offersApplied).toEqual([
      { id: triple.id, discount: 0, pointsEarned: 24 },
      { id: bonus.id, discount: 0, pointsEarned: 50 },
    ]);
    const ledger = await db.admin
      .select({ kind: ledgerEntries.kind, delta: ledgerEntries.delta, offerId: ledgerEntries.offerId })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.receiptId, reply.body.receipt.id));
    expect(ledger).toEqual(
      expect.arrayContaining([
        { kind: "accrual", delta: 20, offerId: null },
        { kind: "offer_points", delta: 24, offerId: triple.id },
        { kind: "offer_points", delta: 50, offerId: bonus.id },
      ]),
    );
    expect(ledger).toHaveLength(3);
    // A points offer takes no money off.
    const greedy = await pos<ErrorReply>(
      "POST",
      "/receipts",
      receipt([cappuccino], { guestId: (await enrol()).id, offers: [{ id: triple.id, discount: 1 }] }),
    );
    expect(greedy.status).toBe(422);
  });

  it("refuses another guest's offer, an expired one, an unknown one and another café's", async () => {
    const owner = await enrol();
    const stranger = await enrol();
    const offer = await makeOffer(cafe.tenantId, { kind: "amount_off", value: 1000 });
    await give(cafe.tenantId, offer.id, [owner.id]);
    const notYours = await pos<ErrorReply>(
      "POST",
      "/receipts",
      receipt([{ ...cappuccino, amount: 24000 }], { guestId: stranger.id, offers: [{ id: offer.id, discount: 1000 }] }),
    );
    expect(notYours.status).toBe(422);
    expect(notYours.body.error).toMatchObject({
      code: "offer_not_applicable",
      details: { offerId: offer.id, reason: "not_for_this_guest", path: "offers.0" },
    });
    const anonymous = await pos<ErrorReply>(
      "POST",
      "/receipts",
      receipt([{ ...cappuccino, amount: 24000 }], { offers: [{ id: offer.id, discount: 1000 }] }),
    );
    expect(anonymous.body.error).toMatchObject({
      code: "offer_not_applicable",
      details: { reason: "not_for_this_guest" },
    });

    const lapsed = await makeOffer(cafe.tenantId, { kind: "amount_off", value: 1000 });
    await give(cafe.tenantId, lapsed.id, [owner.id], new Date(Date.now() - 1000));
    const expired = await pos<ErrorReply>(
      "POST",
      "/receipts",
      receipt([{ ...cappuccino, amount: 24000 }], { guestId: owner.id, offers: [{ id: lapsed.id, discount: 1000 }] }),
    );
    expect(expired.status).toBe(422);
    expect(expired.body.error).toMatchObject({
      code: "offer_not_applicable",
      details: { offerId: lapsed.id, reason: "expired" },
    });

    const foreign = await makeOffer(rival.tenantId, {
      kind: "amount_off",
      value: 1000,
      source: "code",
      code: "THEIRS",
    });
    for (const named of [{ id: foreign.id }, { code: "THEIRS" }, { id: crypto.randomUUID() }]) {
      const reply = await pos<ErrorReply>(
        "POST",
        "/receipts",
        receipt([{ ...cappuccino, amount: 24000 }], { guestId: owner.id, offers: [{ ...named, discount: 1000 }] }),
      );
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe("offer_not_found");
    }
    // Nothing was recorded by the refused checks.
    expect(await db.admin.select().from(offerUses).where(eq(offerUses.offerId, offer.id))).toEqual([]);
  });

  it("replays a receipt with its offers without using them twice, even when retries race", async () => {
    const guest = await enrol();
    const offer = await makeOffer(cafe.tenantId, { kind: "bonus_points", value: 40, totalLimit: 1 });
    await give(cafe.tenantId, offer.id, [guest.id]);
    const body = receipt([cappuccino], { guestId: guest.id, offers: [{ id: offer.id, discount: 0 }] });
    const replies = await Promise.all(Array.from({ length: 5 }, () => pos<ReceiptReply>("POST", "/receipts", body)));
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 200, 200, 200, 201]);
    for (const reply of replies) expect(reply.body).toEqual(replies[0]?.body);
    expect(replies[0]?.body.offersApplied).toEqual([{ id: offer.id, discount: 0, pointsEarned: 40 }]);
    const later = await pos<ReceiptReply>("POST", "/receipts", body);
    expect(later.status).toBe(200);
    expect(later.body).toEqual(replies[0]?.body);
    const uses = await db.admin.select().from(offerUses).where(eq(offerUses.offerId, offer.id));
    expect(uses).toHaveLength(1);
    const [stored] = await db.admin.select().from(offers).where(eq(offers.id, offer.id));
    expect(stored?.usesCount).toBe(1);
    const offerPoints = await db.admin
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.offerId, offer.id), eq(ledgerEntries.kind, "offer_points")));
    expect(offerPoints).toHaveLength(1);
  });

  it("lets exactly one of 20 simultaneous checks take the last use of a code", async () => {
    const offer = await makeOffer(cafe.tenantId, {
      kind: "amount_off",
      value: 1000,
      source: "code",
      code: "LASTONE",
      totalLimit: 3,
      perGuestLimit: null,
    });
    // Two of its three uses are gone already.
    for (let taken = 0; taken < 2; taken++) {
      const early = await pos(
        "POST",
        "/receipts",
        receipt([{ ...cappuccino, amount: 24000 }], {
          offers: [{ code: "LASTONE", discount: 1000 }],
        }),
      );
      expect(early.status).toBe(201);
    }
    const guests = await Promise.all(Array.from({ length: 20 }, () => enrol()));
    const replies = await Promise.all(
      guests.map((guest) =>
        pos<ErrorReply>(
          "POST",
          "/receipts",
          receipt([{ ...cappuccino, amount: 24000 }], {
            guestId: guest.id,
            offers: [{ code: "LASTONE", discount: 1000 }],
          }),
        ),
      ),
    );
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 422)).toHaveLength(19);
    for (const reply of replies.filter((candidate) => candidate.status === 422)) {
      expect(reply.body.error).toMatchObject({ code: "offer_used_up", details: { offerId: offer.id } });
    }
    const [stored] = await db.admin.select().from(offers).where(eq(offers.id, offer.id));
    expect(stored?.usesCount).toBe(3);
    expect(await db.admin.select().from(offerUses).where(eq(offerUses.offerId, offer.id))).toHaveLength(3);
    // The losers' checks were not recorded at all (the whole receipt is refused).
    const recorded = await db.admin.execute(
      sql`select count(*)::int as n from receipts where guest_id in ${guests.map((guest) => guest.id)}`,
    );
    expect(recorded[0]?.n).toBe(1);
  });
});

describe("refunds of checks with offers", () => {
  it("reverses offer points in the check's proportion (ceil), and a whole refund gives the use back", async () => {
    const guest = await enrol(); // 100
    const triple = await makeOffer(cafe.tenantId, { kind: "points_multiplier", value: 3, categories: ["coffee"] });
    await give(cafe.tenantId, triple.id, [guest.id]);
    const body = receipt([cappuccino, croissant], { guestId: guest.id, offers: [{ id: triple.id, discount: 0 }] });
    const sale = await pos<ReceiptReply>("POST", "/receipts", body);
    // Own 20 + offer 24 = 44 earned.
    expect(sale.body.receipt.pointsEarned).toBe(44);
    expect(sale.body.guest?.balance).toBe(144);

    type RefundReply = { refund: { pointsReversed: number; pointsReturned: number }; guest: { balance: number } };
    const part = await pos<RefundReply>("POST", `/receipts/${body.externalId}/refunds`, {
      externalRefundId: `${body.externalId}-RF1`,
      amount: 10000,
    });
    expect(part.status).toBe(201);
    // ceil(44 × 10000 / 40000) = 11: the offer's ceil(24 / 4) = 6, the check's own 5.
    expect(part.body).toEqual({
      refund: { externalRefundId: `${body.externalId}-RF1`, amount: 10000, pointsReversed: 11, pointsReturned: 0 },
      guest: { balance: 133 },
    });
    const entries = async () =>
      db.admin
        .select({ kind: ledgerEntries.kind, delta: ledgerEntries.delta, offerId: ledgerEntries.offerId })
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.receiptId, sale.body.receipt.id), sql`${ledgerEntries.refundId} is not null`));
    expect(await entries()).toEqual(
      expect.arrayContaining([
        { kind: "refund_reversal", delta: -5, offerId: null },
        { kind: "offer_points_reversal", delta: -6, offerId: triple.id },
      ]),
    );
    // The partial refund keeps the use.
    let [use] = await db.admin.select().from(offerUses).where(eq(offerUses.offerId, triple.id));
    expect(use).toMatchObject({ status: "used", points: 24, pointsReversed: 6 });

    const rest = await pos<RefundReply>("POST", `/receipts/${body.externalId}/refunds`, {
      externalRefundId: `${body.externalId}-RF2`,
      amount: 30000,
    });
    expect(rest.body).toMatchObject({ refund: { pointsReversed: 33 }, guest: { balance: 100 } });
    const offerReversed = (await entries())
      .filter((entry) => entry.kind === "offer_points_reversal")
      .reduce((sum, entry) => sum + entry.delta, 0);
    expect(offerReversed).toBe(-24);
    [use] = await db.admin.select().from(offerUses).where(eq(offerUses.offerId, triple.id));
    expect(use).toMatchObject({ status: "returned", pointsReversed: 24 });
    const [stored] = await db.admin.select().from(offers).where(eq(offers.id, triple.id));
    expect(stored?.usesCount).toBe(0);

    // The single-use offer is the guest's again.
    const identify = await pos<{ offers: { id: string; applicable: boolean }[] }>("POST", "/guests/identify", {
      identifier: guest.cardCode,
    });
    expect(identify.body.offers.map((offer) => offer.id)).toContain(triple.id);
    const reuse = await pos(
      "POST",
      "/receipts",
      receipt([cappuccino], { guestId: guest.id, offers: [{ id: triple.id, discount: 0 }] }),
    );
    expect(reuse.status).toBe(201);
  });

  it("gives the figures on the offer's page: uses, guests, discount, revenue", async () => {
    const offer = await makeOffer(cafe.tenantId, {
      kind: "amount_off",
      value: 2000,
      source: "code",
      code: "STATS",
      perGuestLimit: null,
    });
    const guest = await enrol();
    await pos(
      "POST",
      "/receipts",
      receipt([{ ...cappuccino, amount: 23000 }], { guestId: guest.id, offers: [{ code: "STATS", discount: 2000 }] }),
    );
    await pos(
      "POST",
      "/receipts",
      receipt([{ ...croissant, amount: 13000 }], { guestId: guest.id, offers: [{ code: "STATS", discount: 2000 }] }),
    );
    await pos(
      "POST",
      "/receipts",
      receipt([{ ...croissant, amount: 14000 }], { offers: [{ code: "STATS", discount: 1000 }] }),
    );
    const stats = await withTenant(cafe.tenantId, (tx) => offerStats(tx, offer.id), db.app);
    expect(stats).toEqual({ uses: 3, held: 0, guests: 1, discount: 5000, revenue: 50000, points: 0 });
  });
});

describe("several offers on one check", () => {
  it("may together take no more than the lines lost: two 50 % offers on the whole check", async () => {
    const guest = await enrol();
    const first = await makeOffer(cafe.tenantId, { kind: "percent_off", value: 50 });
    const second = await makeOffer(cafe.tenantId, { kind: "percent_off", value: 50 });
    for (const offer of [first, second]) await give(cafe.tenantId, offer.id, [guest.id]);
    // 400 ₽ of goods, paid 100 ₽ (50 % then 50 % of the rest): 300 ₽ off, not the 400 ₽ claimed.
    const halved = [
      { ...cappuccino, amount: 6250 },
      { ...croissant, amount: 3750 },
    ];
    const claimed = await pos<ErrorReply>(
      "POST",
      "/receipts",
      receipt(halved, {
        guestId: guest.id,
        offers: [
          { id: first.id, discount: 20000 },
          { id: second.id, discount: 20000 },
        ],
      }),
    );
    expect(claimed.status).toBe(422);
    expect(claimed.body.error).toMatchObject({
      code: "offer_not_applicable",
      details: { offerId: second.id, reason: "discount_exceeds_allowed", maxDiscount: 10000, path: "offers.1" },
    });
    expect(await db.admin.select().from(offerUses).where(eq(offerUses.guestId, guest.id))).toEqual([]);

    const honest = await pos<ReceiptReply>(
      "POST",
      "/receipts",
      receipt(halved, {
        guestId: guest.id,
        offers: [
          { id: first.id, discount: 20000 },
          { id: second.id, discount: 10000 },
        ],
      }),
    );
    expect(honest.status).toBe(201);
  });

  it("judges the minimum check on the lines' gross, not on an overstated discount", async () => {
    await makeOffer(cafe.tenantId, {
      kind: "amount_off",
      value: 5000,
      source: "code",
      code: "MIN450",
      minCheck: 45000,
      perGuestLimit: null,
    });
    // 400 ₽ of goods, nothing taken off, 50 ₽ "discount": the check was never 450 ₽.
    const inflated = await pos<ErrorReply>(
      "POST",
      "/receipts",
      receipt([cappuccino, croissant], { offers: [{ code: "MIN450", discount: 5000 }] }),
    );
    expect(inflated.status).toBe(422);
    expect(inflated.body.error).toMatchObject({
      code: "offer_not_applicable",
      details: { code: "MIN450", reason: "min_check_not_met" },
    });

    await makeOffer(cafe.tenantId, {
      kind: "amount_off",
      value: 5000,
      source: "code",
      code: "FIFTY",
      perGuestLimit: null,
    });
    const unpaid = await pos<ErrorReply>(
      "POST",
      "/receipts",
      receipt([cappuccino, croissant], { offers: [{ code: "FIFTY", discount: 5000 }] }),
    );
    expect(unpaid.status).toBe(422);
    expect(unpaid.body.error).toMatchObject({
      code: "offer_not_applicable",
      details: { code: "FIFTY", reason: "discount_exceeds_allowed", maxDiscount: 0 },
    });
  });
});

describe("a whole refund of a check with a single-use and a repeatable offer", () => {
  it("gives back only the single-use offer's use, and reverses both offers' points", async () => {
    const guest = await enrol(); // 100 points, Bronze 5 %
    const once = await makeOffer(cafe.tenantId, { kind: "bonus_points", value: 10 });
    await give(cafe.tenantId, once.id, [guest.id]);
    const always = await makeOffer(cafe.tenantId, {
      kind: "bonus_points",
      value: 5,
      source: "code",
      code: "ALWAYS5",
      perGuestLimit: null,
    });
    const body = receipt([cappuccino], {
      guestId: guest.id,
      offers: [
        { id: once.id, discount: 0 },
        { code: "ALWAYS5", discount: 0 },
      ],
    });
    const sale = await pos<ReceiptReply>("POST", "/receipts", body);
    // Own 12 + 10 + 5.
    expect(sale.body.receipt.pointsEarned).toBe(27);

    const refund = await pos<{ refund: { pointsReversed: number }; guest: { balance: number } }>(
      "POST",
      `/receipts/${body.externalId}/refunds`,
      { externalRefundId: `${body.externalId}-RF`, amount: 25000 },
    );
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ refund: { pointsReversed: 27 }, guest: { balance: 100 } });

    const onlyUseOf = async (offerId: string) =>
      (await db.admin.select().from(offerUses).where(eq(offerUses.offerId, offerId)))[0];
    const countOf = async (offerId: string) =>
      (await db.admin.select().from(offers).where(eq(offers.id, offerId)))[0]?.usesCount;
    expect(await onlyUseOf(once.id)).toMatchObject({ status: "returned", pointsReversed: 10 });
    expect(await countOf(once.id)).toBe(0);
    // The repeatable offer was used on that check and stays used; its points are reversed all the same.
    expect(await onlyUseOf(always.id)).toMatchObject({ status: "used", pointsReversed: 5 });
    expect(await countOf(always.id)).toBe(1);
  });
});

describe("the order of a receipt's errors with offers", () => {
  it("answers an unknown offer (404) before a reused externalId (409), and a repeated one (400) before both", async () => {
    const first = receipt([cappuccino]);
    expect((await pos("POST", "/receipts", first)).status).toBe(201);
    const reused = await pos<ErrorReply>("POST", "/receipts", {
      ...first,
      lines: [{ ...cappuccino, amount: 24000 }],
      total: 24000,
      offers: [{ code: "NO-SUCH-CODE", discount: 1000 }],
    });
    expect(reused.status).toBe(404);
    expect(reused.body.error).toMatchObject({ code: "offer_not_found", details: { path: "offers.0" } });

    const known = await makeOffer(cafe.tenantId, { kind: "amount_off", value: 500, source: "code", code: "TWICE" });
    const twice = await pos<ErrorReply>("POST", "/receipts", {
      ...first,
      lines: [{ ...cappuccino, amount: 24000 }],
      total: 24000,
      offers: [
        { code: "NO-SUCH-CODE", discount: 0 },
        { code: "TWICE", discount: 500 },
        { id: known.id, discount: 500 },
      ],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error).toMatchObject({ code: "invalid_request", details: [{ path: "offers.2" }] });

    // The same payload again still replays first.
    expect((await pos("POST", "/receipts", first)).status).toBe(200);
  });

  it("answers an unknown offer (404) before a voided hold (409)", async () => {
    const guest = await enrol();
    const hold = await pos<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId: guest.id,
      points: 10,
      checkTotal: 25000,
    });
    expect(hold.status).toBe(201);
    expect((await pos("DELETE", `/redemptions/${hold.body.redemption.id}`)).status).toBe(200);
    const reply = await pos<ErrorReply>(
      "POST",
      "/receipts",
      receipt([{ ...cappuccino, amount: 24000 }], {
        guestId: guest.id,
        redemptionId: hold.body.redemption.id,
        offers: [{ code: "NO-SUCH-CODE", discount: 1000 }],
      }),
    );
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("offer_not_found");
  });
});

describe("the ledger check", () => {
  it("still holds: every guest's balance is the sum of their ledger", async () => {
    const rows = await db.admin.execute(sql`
      select g.id, g.balance, coalesce(sum(l.delta), 0)::int as ledger
      from guests g left join ledger_entries l on l.guest_id = g.id and l.tenant_id = g.tenant_id
      where g.tenant_id = ${cafe.tenantId}
      group by g.id, g.balance
      having g.balance <> coalesce(sum(l.delta), 0)`);
    expect(rows).toEqual([]);
    const count = await db.admin.execute(sql`select count(*)::int as n from guests where tenant_id = ${cafe.tenantId}`);
    expect(count[0]?.n).toBeGreaterThan(20);
  });
});
