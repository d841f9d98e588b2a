import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { guests, ledgerEntries, redemptions, subscriptions, welcomeBonusClaims } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { deleteGuestAccount, updateProfile } from "../cabinet/profile";
import { applyEnv } from "../env";
import { lockGuest, postPoints } from "../loyalty/ledger";
import { qrPayload } from "../loyalty/qr";
import { welcomeBonusOffered, welcomeIdentityHashes } from "../loyalty/welcome-claims";
import { createPosKey, revokePosKey } from "./keys";
import { POS_REQUESTS_PER_SECOND } from "./rate-limit";
import { createPosTenant, posClient, receiptBody } from "./testing";

const db = await testDatabase();

/** Runs `work` with billing on (a Stripe key configured), as a paying installation runs. */
async function withBilling<T>(work: () => Promise<T>): Promise<T> {
  applyEnv({ STRIPE_SECRET_KEY: "sk_test_pos", STRIPE_WEBHOOK_SECRET: "whsec_pos" });
  try {
    return await work();
  } finally {
    applyEnv({ STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined });
  }
}
let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let rival: Awaited<ReturnType<typeof createPosTenant>>;
let pos: ReturnType<typeof posClient>;

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "pos-cafe");
  rival = await createPosTenant(db.app, "pos-rival");
  pos = posClient(db.app, cafe.key);
});

type GuestReply = { guest: { id: string; balance: number; tier: string; cardCode: string; name: string | null } };

let phoneCounter = 0;
/** Enrols a fresh guest and returns its id and card code. */
async function enrol(client = pos) {
  phoneCounter += 1;
  const phone = `+7916${String(1_000_000 + phoneCounter).slice(-7)}`;
  const reply = await client<GuestReply>("POST", "/guests", { phone, name: "Иван", consent: true });
  expect(reply.status).toBe(201);
  return { ...reply.body.guest, phone };
}

/** Moves a guest's balance by a manual adjustment (test setup through the ledger, never a bare update). */
async function adjust(tenantId: string, guestId: string, delta: number) {
  await withTenant(
    tenantId,
    async (tx) => {
      const guest = await lockGuest(tx, guestId);
      if (!guest) throw new Error("no guest");
      await postPoints(tx, guest, [{ kind: "manual_adjustment", delta, note: "test setup" }]);
    },
    db.app,
  );
}

describe("program and enrolment", () => {
  it("shows the loyalty rules", async () => {
    const reply = await pos("GET", "/program");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      currency: "RUB",
      tiers: [
        { name: "Bronze", accrualPercent: 5, minSpend: 0 },
        { name: "Silver", accrualPercent: 7, minSpend: 500000 },
        { name: "Gold", accrualPercent: 10, minSpend: 1500000 },
      ],
      maxRedeemPercent: 30,
      welcomeBonus: 100,
      holdTtlSeconds: 900,
    });
  });

  it("answers with a changed program from the very next request, though servers keep it in memory", async () => {
    const own = await createPosTenant(db.app, "pos-program");
    const till = posClient(db.app, own.key);
    type ProgramReply = {
      currency: string;
      maxRedeemPercent: number;
      tiers: { name: string; accrualPercent: number }[];
    };
    expect((await till<ProgramReply>("GET", "/program")).body.tiers[0]).toEqual({
      name: "Bronze",
      accrualPercent: 5,
      minSpend: 0,
    });
    await db.admin.execute(sql`update loyalty_tiers set accrual_percent = 6 where tenant_id = ${own.tenantId}
      and name = 'Bronze'`);
    const guest = await enrol(till);
    const receipt = await till<{ receipt: { pointsEarned: number } }>(
      "POST",
      "/receipts",
      receiptBody("PROGRAM-1", 10000, { guestId: guest.id }),
    );
    expect(receipt.body.receipt.pointsEarned).toBe(6);
    await db.admin.execute(sql`update loyalty_programs set max_redeem_percent = 25 where tenant_id = ${own.tenantId}`);
    expect((await till<ProgramReply>("GET", "/program")).body.maxRedeemPercent).toBe(25);
    await db.admin.execute(sql`update tenants set currency = 'EUR' where id = ${own.tenantId}`);
    expect((await till<ProgramReply>("GET", "/program")).body.currency).toBe("EUR");
    await db.admin.execute(sql`delete from loyalty_tiers where tenant_id = ${own.tenantId} and name = 'Gold'`);
    expect((await till<ProgramReply>("GET", "/program")).body.tiers.map((tier) => tier.name)).toEqual([
      "Bronze",
      "Silver",
    ]);
  });

  it("enrols a guest by phone in any common form, with the welcome bonus and recorded consent", async () => {
    const reply = await pos<GuestReply>("POST", "/guests", { phone: "8 (903) 555-12-34", name: "Анна", consent: true });
    expect(reply.status).toBe(201);
    expect(reply.body.guest).toMatchObject({ name: "Анна", tier: "Bronze", balance: 100 });
    expect(reply.body.guest.cardCode).toMatch(/^[1-9]\d{8}$/);
    const [stored] = await db.admin.select().from(guests).where(eq(guests.id, reply.body.guest.id));
    expect(stored?.phone).toBe("+79035551234");
    const consents = await db.admin.execute(sql`select * from guest_consents where guest_id = ${reply.body.guest.id}`);
    expect(consents[0]).toMatchObject({
      kind: "personal_data",
      granted: true,
      channel: "pos",
      location_id: cafe.locationId,
    });

    const again = await pos("POST", "/guests", { phone: "+7 903 5551234", consent: true });
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ error: { code: "guest_exists", message: expect.any(String) } });
  });

  it("pays the welcome bonus once per phone and email at a café, not again after the account was deleted", async () => {
    const phone = "+79161230001";
    const email = "olga.returns@example.com";
    const first = await pos<GuestReply>("POST", "/guests", { phone, email, name: "Ольга", consent: true });
    expect(first.status).toBe(201);
    expect(first.body.guest.balance).toBe(100);
    const offered = (address: string) =>
      withTenant(cafe.tenantId, (tx) => welcomeBonusOffered(tx, cafe.tenantId, address), db.app);
    expect(await offered("Olga.Returns@example.com")).toBe(0);
    await withTenant(cafe.tenantId, (tx) => deleteGuestAccount(tx, first.body.guest.id, { kind: "guest" }), db.app);
    // The welcome page does not promise the bonus again to the email that had it.
    expect(await offered("olga.returns@example.com")).toBe(0);
    expect(await offered("someone.new@example.com")).toBe(100);

    const samePhone = await pos<GuestReply>("POST", "/guests", { phone: "8 (916) 123-00-01", consent: true });
    expect(samePhone.status).toBe(201);
    expect(samePhone.body.guest.id).not.toBe(first.body.guest.id);
    expect(samePhone.body.guest.balance).toBe(0);
    const sameEmail = await pos<GuestReply>("POST", "/guests", {
      phone: "+79161230002",
      email: "Olga.Returns@example.com",
      consent: true,
    });
    expect(sameEmail.body.guest.balance).toBe(0);
    // A phone given up in the profile stays claimed when the account is deleted after.
    const mover = await enrol();
    // As a guest enrolled before claims were kept: no claim of the first phone yet.
    await db.admin
      .delete(welcomeBonusClaims)
      .where(inArray(welcomeBonusClaims.identityHash, welcomeIdentityHashes(cafe.tenantId, { phone: mover.phone })));
    await withTenant(
      cafe.tenantId,
      async (tx) => {
        await updateProfile(tx, mover.id, { phone: "+79161230003" });
        await deleteGuestAccount(tx, mover.id, { kind: "guest" });
      },
      db.app,
    );
    for (const reused of [mover.phone, "+79161230003"]) {
      expect((await pos<GuestReply>("POST", "/guests", { phone: reused, consent: true })).body.guest.balance).toBe(0);
    }
    // Another café owes its own welcome; a newcomer here gets it as always.
    const elsewhere = await posClient(db.app, rival.key)<GuestReply>("POST", "/guests", { phone, consent: true });
    expect(elsewhere.body.guest.balance).toBe(100);
    expect((await enrol()).balance).toBe(100);

    const bonuses = await db.admin
      .select({ guestId: ledgerEntries.guestId })
      .from(ledgerEntries)
      .where(
        sql`${ledgerEntries.kind} = 'welcome_bonus' and ${ledgerEntries.guestId} in (${samePhone.body.guest.id}, ${sameEmail.body.guest.id})`,
      );
    expect(bonuses).toEqual([]);
    // What is kept names no one by itself.
    const kept = JSON.stringify(await db.admin.select().from(welcomeBonusClaims));
    expect(kept).not.toContain("9161230001");
    expect(kept.toLowerCase()).not.toContain("olga");
  });

  it("refuses a second guest with an email already enrolled with its own 422, so the till does not look for the phone", async () => {
    const first = await pos("POST", "/guests", {
      phone: "+7 903 555-77-01",
      email: "Family@Example.com",
      consent: true,
    });
    expect(first.status).toBe(201);
    const second = await pos("POST", "/guests", {
      phone: "+7 903 555-77-02",
      email: "family@example.com",
      consent: true,
    });
    expect(second.status).toBe(422);
    expect(second.body).toMatchObject({ error: { code: "email_in_use" } });
    const withoutEmail = await pos<GuestReply>("POST", "/guests", { phone: "+7 903 555-77-02", consent: true });
    expect(withoutEmail.status).toBe(201);
    const samePhone = await pos("POST", "/guests", {
      phone: "+7 903 555-77-02",
      email: "family@example.com",
      consent: true,
    });
    expect(samePhone.body).toMatchObject({ error: { code: "guest_exists" } });
  });

  it("refuses enrolment without consent or with a bad phone, naming the fields", async () => {
    const reply = await pos("POST", "/guests", { phone: "12", consent: false });
    expect(reply.status).toBe(400);
    const details = (reply.body as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);
    expect(details).toEqual(expect.arrayContaining(["phone", "consent"]));
    const badPhone = await pos("POST", "/guests", { phone: "+7 000 000-00-00", consent: true });
    expect(badPhone.status).toBe(400);
  });
});

describe("identify", () => {
  it("finds the guest by card code, phone and the cabinet's QR, capping by the basket", async () => {
    const guest = await enrol();
    await adjust(cafe.tenantId, guest.id, 240); // 340 points
    for (const identifier of [guest.cardCode, guest.phone, `8${guest.phone.slice(2)}`]) {
      const reply = await pos("POST", "/guests/identify", { identifier });
      expect(reply.status, identifier).toBe(200);
      expect(reply.body).toMatchObject({
        guest: { id: guest.id, balance: 340, tier: "Bronze" },
        maxRedeemablePoints: 340,
      });
    }
    const [stored] = await db.admin.select().from(guests).where(eq(guests.id, guest.id));
    const qr = qrPayload(guest.id, stored?.qrSecret ?? "");
    const basket = [{ sku: "latte", name: "Латте", quantity: 1, unitPrice: 45000, amount: 45000 }];
    const byQr = await pos("POST", "/guests/identify", { identifier: qr, basket });
    expect(byQr.status).toBe(200);
    expect(byQr.body).toMatchObject({ guest: { id: guest.id }, maxRedeemablePoints: 135 });
  });

  it("does not accept a QR code older than two minutes", async () => {
    const guest = await enrol();
    const [stored] = await db.admin.select().from(guests).where(eq(guests.id, guest.id));
    const { authenticator } = await import("otplib");
    const stale = authenticator.clone({ step: 30, epoch: Date.now() - 5 * 60_000 }).generate(stored?.qrSecret ?? "");
    const reply = await pos("POST", "/guests/identify", { identifier: `zq1.${guest.id}.${stale}` });
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ error: { code: "guest_not_found" } });
  });

  it("hints the barista from the guest's habit, with the owner's rule when there is one", async () => {
    const guest = await enrol();
    for (let visit = 0; visit < 4; visit++) {
      const reply = await pos(
        "POST",
        "/receipts",
        receiptBody(`HINT-${guest.id}-${visit}`, 25000, { guestId: guest.id }),
      );
      expect(reply.status).toBe(201);
    }
    const plain = await pos<{ hints: unknown[] }>("POST", "/guests/identify", { identifier: guest.cardCode });
    expect(plain.body.hints).toEqual([{ kind: "habit", text: "Обычно берёт: Капучино 300 мл", sku: "cappuccino" }]);
    await withTenant(
      cafe.tenantId,
      (tx) =>
        tx.execute(sql`insert into hint_rules (tenant_id, if_sku, suggest_sku, text)
          values (${cafe.tenantId}, 'cappuccino', 'filter-ethiopia', 'Предложите новый сорт из Эфиопии (+50 ₽)')`),
      db.app,
    );
    const ruled = await pos<{ hints: unknown[] }>("POST", "/guests/identify", { identifier: guest.cardCode });
    expect(ruled.body.hints).toEqual([
      { kind: "upsell", text: "Предложите новый сорт из Эфиопии (+50 ₽)", sku: "filter-ethiopia" },
    ]);
  });
});

describe("two-phase redemption and receipts", () => {
  it("reproduces the contract's example: Silver guest, 340 points, hold 120 of a 450 ₽ check", async () => {
    const guest = await enrol();
    // 5 000 ₽ of earlier checks make the guest Silver; then bring the balance to exactly 340.
    const first = await pos("POST", "/receipts", receiptBody(`EX-${guest.id}`, 500000, { guestId: guest.id }));
    expect(first.body).toMatchObject({ receipt: { pointsEarned: 250 }, guest: { balance: 350, tier: "Silver" } });
    await adjust(cafe.tenantId, guest.id, -10);

    const hold = await pos<{ redemption: { id: string; expiresAt: string; status: string } }>("POST", "/redemptions", {
      guestId: guest.id,
      points: 120,
      checkTotal: 45000,
    });
    expect(hold.status).toBe(201);
    expect(hold.body).toMatchObject({ redemption: { points: 120, status: "held" }, guest: { balance: 220 } });
    const ttl = Date.parse(hold.body.redemption.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(890_000);
    expect(ttl).toBeLessThan(905_000);

    const receipt = await pos(
      "POST",
      "/receipts",
      receiptBody("R-000123", 45000, { guestId: guest.id, redemptionId: hold.body.redemption.id }),
    );
    expect(receipt.status).toBe(201);
    expect(receipt.body).toEqual({
      receipt: { id: expect.any(String), externalId: "R-000123", total: 45000, pointsRedeemed: 120, pointsEarned: 23 },
      guest: { id: guest.id, balance: 243, tier: "Silver" },
    });
    const ledger = await db.admin.select().from(ledgerEntries).where(eq(ledgerEntries.guestId, guest.id));
    expect(ledger.reduce((sum, entry) => sum + entry.delta, 0)).toBe(243);
    // Committing turned the hold into a spend without a second entry.
    expect(ledger.filter((entry) => entry.redemptionId === hold.body.redemption.id).map((e) => e.delta)).toEqual([
      -120,
    ]);

    const again = await pos("DELETE", `/redemptions/${hold.body.redemption.id}`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: "redemption_not_active" } });
  });

  it("checks the cap before the balance, and voids give the points back", async () => {
    const guest = await enrol(); // 100 points
    const tooMuch = await pos("POST", "/redemptions", { guestId: guest.id, points: 200, checkTotal: 10000 });
    expect(tooMuch.body).toMatchObject({ error: { code: "redemption_limit_exceeded" } });
    expect(tooMuch.status).toBe(422);
    const poor = await pos("POST", "/redemptions", { guestId: guest.id, points: 150, checkTotal: 100000 });
    expect(poor.status).toBe(422);
    expect(poor.body).toMatchObject({ error: { code: "insufficient_points" } });

    const hold = await pos<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId: guest.id,
      points: 60,
      checkTotal: 100000,
    });
    expect(hold.body).toMatchObject({ guest: { balance: 40 } });
    const voided = await pos("DELETE", `/redemptions/${hold.body.redemption.id}`);
    expect(voided.status).toBe(200);
    expect(voided.body).toEqual({
      redemption: { id: hold.body.redemption.id, status: "voided" },
      guest: { balance: 100 },
    });
  });

  it("releases a hold that was not committed in time, and then refuses to commit or void it", async () => {
    const guest = await enrol();
    const hold = await pos<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId: guest.id,
      points: 30,
      checkTotal: 100000,
    });
    await db.admin
      .update(redemptions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(redemptions.id, hold.body.redemption.id));
    const seen = await pos("POST", "/guests/identify", { identifier: guest.cardCode });
    expect(seen.body).toMatchObject({ guest: { balance: 100 } });
    const commit = await pos(
      "POST",
      "/receipts",
      receiptBody(`EXP-${guest.id}`, 100000, { guestId: guest.id, redemptionId: hold.body.redemption.id }),
    );
    expect(commit.status).toBe(409);
    expect(commit.body).toMatchObject({ error: { code: "redemption_not_active" } });
    const voided = await pos("DELETE", `/redemptions/${hold.body.redemption.id}`);
    expect(voided.status).toBe(409);
  });

  it("refuses a hold of another guest and re-checks the cap against the receipt's total", async () => {
    const owner = await enrol();
    const stranger = await enrol();
    const hold = await pos<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId: owner.id,
      points: 90,
      checkTotal: 30000,
    });
    const wrongGuest = await pos(
      "POST",
      "/receipts",
      receiptBody(`WG-${owner.id}`, 30000, { guestId: stranger.id, redemptionId: hold.body.redemption.id }),
    );
    expect(wrongGuest.status).toBe(400);
    // An unknown guest with that hold: still 400 (the contract answers 400 before 404).
    const unknownGuest = await pos(
      "POST",
      "/receipts",
      receiptBody(`UG-${owner.id}`, 30000, { guestId: crypto.randomUUID(), redemptionId: hold.body.redemption.id }),
    );
    expect(unknownGuest.status).toBe(400);
    expect(unknownGuest.body).toMatchObject({
      error: { code: "invalid_request", details: [{ path: "redemptionId" }] },
    });
    // Named by a phone (or an expired QR) that finds nobody, the hold may be that guest's own: 404.
    const unknownPhone = await pos(
      "POST",
      "/receipts",
      receiptBody(`UP-${owner.id}`, 30000, {
        guest: { identifier: "+7 999 000-00-00" },
        redemptionId: hold.body.redemption.id,
      }),
    );
    expect(unknownPhone.status).toBe(404);
    expect(unknownPhone.body).toMatchObject({ error: { code: "guest_not_found" } });
    const smaller = await pos(
      "POST",
      "/receipts",
      receiptBody(`SM-${owner.id}`, 20000, { guestId: owner.id, redemptionId: hold.body.redemption.id }),
    );
    expect(smaller.status).toBe(422);
    expect(smaller.body).toMatchObject({ error: { code: "redemption_limit_exceeded" } });
  });

  it("stores anonymous checks without accrual and identifies guests inside the receipt", async () => {
    const anonymous = await pos(
      "POST",
      "/receipts",
      receiptBody("ANON-1", 30000, { fiscal: { fn: "7380440700000001", fd: "12345", fp: "1234567890" } }),
    );
    expect(anonymous.status).toBe(201);
    expect(anonymous.body).toMatchObject({ receipt: { pointsEarned: 0 }, guest: null });
    const guest = await enrol();
    const byCard = await pos(
      "POST",
      "/receipts",
      receiptBody("CARD-1", 30000, { guest: { identifier: guest.cardCode } }),
    );
    expect(byCard.body).toMatchObject({ receipt: { pointsEarned: 15 }, guest: { id: guest.id, balance: 115 } });
    const both = await pos(
      "POST",
      "/receipts",
      receiptBody("BOTH", 100, { guestId: guest.id, guest: { identifier: "x" } }),
    );
    expect(both.status).toBe(400);
    const unknown = await pos("POST", "/receipts", receiptBody("UNK", 100, { guest: { identifier: "0000000000" } }));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: "guest_not_found" } });
  });

  it("rejects a receipt whose lines do not add up to its total", async () => {
    const reply = await pos("POST", "/receipts", { ...receiptBody("SUM", 1000), total: 999 });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: "invalid_request", details: [{ path: "total" }] } });
  });
});

describe("idempotency", () => {
  it("answers a retry with the first body (balances as they were) and a changed payload with 409", async () => {
    const guest = await enrol();
    const body = receiptBody("IDEM-1", 20000, { guestId: guest.id });
    const first = await pos("POST", "/receipts", body);
    expect(first.status).toBe(201);
    await pos("POST", "/receipts", receiptBody("IDEM-2", 20000, { guestId: guest.id }));
    const retry = await pos("POST", "/receipts", body);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const changed = await pos("POST", "/receipts", {
      ...body,
      total: 20001,
      lines: [{ ...body.lines[0], amount: 20001 }],
    });
    expect(changed.status).toBe(409);
    expect(changed.body).toMatchObject({ error: { code: "idempotency_conflict" } });
  });

  it("accrues once when the same receipt arrives 20 times at once", async () => {
    const till = await freshClient("Retrying till");
    const guest = await enrol();
    const body = receiptBody("RACE-1", 100000, { guestId: guest.id });
    const replies = await Promise.all(Array.from({ length: 20 }, () => till("POST", "/receipts", body)));
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(19);
    for (const reply of replies) expect(reply.body).toEqual(replies[0]?.body);
    const [stored] = await db.admin.select().from(guests).where(eq(guests.id, guest.id));
    expect(stored?.balance).toBe(100 + 50);
    const accruals = await db.admin.execute(
      sql`select count(*)::int as n from ledger_entries where guest_id = ${guest.id} and kind = 'accrual'`,
    );
    expect(accruals[0]?.n).toBe(1);
  });

  it("replays concurrent retries of a check that commits a hold, and of its refund, with the first answer", async () => {
    const till = await freshClient("Retrying till 2");
    const guest = await enrol();
    const hold = await till<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId: guest.id,
      points: 30,
      checkTotal: 20000,
    });
    const body = receiptBody("RACE-HOLD", 20000, { guestId: guest.id, redemptionId: hold.body.redemption.id });
    const receipts = await Promise.all(Array.from({ length: 5 }, () => till("POST", "/receipts", body)));
    expect(receipts.map((reply) => reply.status).sort()).toEqual([200, 200, 200, 200, 201]);
    for (const reply of receipts) expect(reply.body).toEqual(receipts[0]?.body);
    const refund = { externalRefundId: "RACE-RF", amount: 20000 };
    const refunds = await Promise.all(
      Array.from({ length: 5 }, () => till("POST", "/receipts/RACE-HOLD/refunds", refund)),
    );
    expect(refunds.map((reply) => reply.status).sort()).toEqual([200, 200, 200, 200, 201]);
    for (const reply of refunds) expect(reply.body).toEqual(refunds[0]?.body);
    const [stored] = await db.admin.select().from(guests).where(eq(guests.id, guest.id));
    // 100 − 30 held and spent + 8 earned, then the full refund reverses the 8 and returns the 30.
    expect(stored?.balance).toBe(100);
  });

  it("answers an unknown guest or redemption with 404 before refusing a reused externalId with 409", async () => {
    await pos("POST", "/receipts", receiptBody("ORDER-1", 1000));
    const reply = await pos(
      "POST",
      "/receipts",
      receiptBody("ORDER-1", 2000, { guestId: "00000000-0000-4000-8000-000000000000" }),
    );
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ error: { code: "guest_not_found" } });

    // The same order for a redemption: unknown → 404; a live hold → 409 for the reused externalId
    // (before the 422 its cap would give against this total), and the hold stays held.
    const guest = await enrol();
    const unknownHold = await pos(
      "POST",
      "/receipts",
      receiptBody("ORDER-1", 3000, { guestId: guest.id, redemptionId: "00000000-0000-4000-8000-000000000000" }),
    );
    expect(unknownHold.status).toBe(404);
    expect(unknownHold.body).toMatchObject({ error: { code: "redemption_not_found" } });
    const held = await pos<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId: guest.id,
      points: 10,
      checkTotal: 100000,
    });
    expect(held.status).toBe(201);
    const reused = await pos(
      "POST",
      "/receipts",
      receiptBody("ORDER-1", 3000, { guestId: guest.id, redemptionId: held.body.redemption.id }),
    );
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ error: { code: "idempotency_conflict" } });
    const [hold] = await db.admin.select().from(redemptions).where(eq(redemptions.id, held.body.redemption.id));
    expect(hold?.status).toBe("held");
  });

  it("still replays a check after its guest's card was blocked, and answers anonymous retries racing at once", async () => {
    const guest = await enrol();
    const body = receiptBody("BLOCKED-LATER", 30000, { guestId: guest.id });
    const first = await pos("POST", "/receipts", body);
    expect(first.status).toBe(201);
    await db.admin.update(guests).set({ blockedAt: new Date() }).where(eq(guests.id, guest.id));
    const retry = await pos("POST", "/receipts", body);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    // A new check for the blocked card is refused as an unknown guest.
    const fresh = await pos("POST", "/receipts", receiptBody("BLOCKED-NEW", 30000, { guestId: guest.id }));
    expect(fresh.status).toBe(404);

    const anonymous = receiptBody("ANON-RACE", 15000);
    const replies = await Promise.all(Array.from({ length: 10 }, () => pos("POST", "/receipts", anonymous)));
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    for (const reply of replies) expect(reply.body).toEqual(replies[0]?.body);
    const stored = await db.admin.execute(
      sql`select count(*)::int as n from receipts where external_id = 'ANON-RACE' and tenant_id = ${cafe.tenantId}`,
    );
    expect(stored[0]?.n).toBe(1);
  });
  it("holds once when a till retries a hold for its check, even 10 times at once; other points for it are 409", async () => {
    const guest = await enrol(); // 100 points
    const hold = { guestId: guest.id, points: 30, checkTotal: 100000, externalCheckId: "CHK-RETRY" };
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => pos<{ redemption: { id: string } }>("POST", "/redemptions", hold)),
    );
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(replies.map((reply) => reply.body.redemption.id));
    expect(ids.size).toBe(1);
    for (const reply of replies)
      expect(reply.body).toMatchObject({ redemption: { points: 30 }, guest: { balance: 70 } });
    const held = await db.admin.select().from(redemptions).where(eq(redemptions.guestId, guest.id));
    expect(held).toHaveLength(1);

    const otherPoints = await pos("POST", "/redemptions", { ...hold, points: 40 });
    expect(otherPoints.status).toBe(409);
    expect(otherPoints.body).toMatchObject({ error: { code: "idempotency_conflict" } });
    // The basket grew meanwhile: the same points are still that hold (the receipt checks its own cap).
    const newTotal = await pos<{ redemption: { id: string } }>("POST", "/redemptions", { ...hold, checkTotal: 120000 });
    expect(newTotal.status).toBe(200);
    expect(newTotal.body.redemption.id).toBe(replies[0]?.body.redemption.id);
    // The same check at another guest, and another check of this guest, are holds of their own.
    const other = await enrol();
    expect((await pos("POST", "/redemptions", { ...hold, guestId: other.id })).status).toBe(201);
    expect((await pos("POST", "/redemptions", { ...hold, externalCheckId: "CHK-NEXT" })).status).toBe(201);

    // Voided, the check may hold again; the receipt commits the one hold it names.
    const [first] = ids;
    expect((await pos("DELETE", `/redemptions/${first}`)).status).toBe(200);
    const again = await pos<{ redemption: { id: string }; guest: { balance: number } }>("POST", "/redemptions", {
      ...hold,
      points: 40,
    });
    expect(again.status).toBe(201);
    expect(again.body.redemption.id).not.toBe(first);
    expect(again.body.guest.balance).toBe(100 - 30 - 40);
    const closed = await pos("POST", "/receipts", {
      ...receiptBody("CHK-RETRY-R", 100000),
      guestId: guest.id,
      redemptionId: again.body.redemption.id,
    });
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({ receipt: { pointsRedeemed: 40 } });
    // A committed hold is done with: the same check id may hold anew (a till reusing its numbers).
    expect((await pos("POST", "/redemptions", { ...hold, points: 40 })).status).toBe(201);
  });

  it("lets the same externalId live at two locations of one café", async () => {
    const secondKey = await withTenant(
      cafe.tenantId,
      (tx) =>
        createPosKey(tx, {
          tenantId: cafe.tenantId,
          locationSlug: "second",
          name: "Till 2",
          actor: { actorKind: "system" },
        }),
      db.app,
    );
    const there = posClient(db.app, secondKey.key);
    expect((await pos("POST", "/receipts", receiptBody("SHARED-1", 5000))).status).toBe(201);
    expect((await there("POST", "/receipts", receiptBody("SHARED-1", 7000))).status).toBe(201);
    expect((await there("GET", "/receipts/SHARED-1")).body).toMatchObject({ receipt: { total: 7000 } });
  });
});

/** A client with a key of its own, so a burst is not cut by the rate limit other tests used up. */
async function freshClient(name: string) {
  const key = await withTenant(
    cafe.tenantId,
    (tx) => createPosKey(tx, { tenantId: cafe.tenantId, locationSlug: "main", name, actor: { actorKind: "system" } }),
    db.app,
  );
  return posClient(db.app, key.key);
}

describe("concurrent holds", () => {
  it("lets exactly 10 of 50 simultaneous holds through when the balance covers 10", async () => {
    const till = await freshClient("Burst till");
    const guest = await enrol(); // 100 points
    await adjust(cafe.tenantId, guest.id, 900); // 1000 points: ten holds of 100
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        till("POST", "/redemptions", { guestId: guest.id, points: 100, checkTotal: 100000 }),
      ),
    );
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 422)).toHaveLength(40);
    const [stored] = await db.admin.select().from(guests).where(eq(guests.id, guest.id));
    expect(stored?.balance).toBe(0);
    const sum = await db.admin.execute(
      sql`select sum(delta)::int as s from ledger_entries where guest_id = ${guest.id}`,
    );
    expect(sum[0]?.s).toBe(0);
  });
});

describe("refunds", () => {
  it("reverses earned and returns spent points in proportion, idempotently, never past the check", async () => {
    const guest = await enrol();
    await adjust(cafe.tenantId, guest.id, 100); // 200 points
    const hold = await pos<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId: guest.id,
      points: 120,
      checkTotal: 45000,
    });
    const receipt = await pos(
      "POST",
      "/receipts",
      receiptBody("REF-1", 45000, { guestId: guest.id, redemptionId: hold.body.redemption.id }),
    );
    // Bronze 5 %: (45000 − 12000) × 5 / 10000 = 16.5 → 16; balance 200 − 120 + 16 = 96.
    expect(receipt.body).toMatchObject({ receipt: { pointsEarned: 16, pointsRedeemed: 120 }, guest: { balance: 96 } });

    const part = await pos("POST", "/receipts/REF-1/refunds", { externalRefundId: "RF-1", amount: 15000 });
    expect(part.status).toBe(201);
    // ceil(16 × 15000 / 45000) = 6 reversed; floor(120 × 15000 / 45000) = 40 returned.
    expect(part.body).toEqual({
      refund: { externalRefundId: "RF-1", amount: 15000, pointsReversed: 6, pointsReturned: 40 },
      guest: { balance: 130 },
    });
    const retry = await pos("POST", "/receipts/REF-1/refunds", { externalRefundId: "RF-1", amount: 15000 });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(part.body);
    const conflict = await pos("POST", "/receipts/REF-1/refunds", { externalRefundId: "RF-1", amount: 100 });
    expect(conflict.status).toBe(409);
    const tooMuch = await pos("POST", "/receipts/REF-1/refunds", { externalRefundId: "RF-2", amount: 30001 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({ error: { code: "refund_exceeds_receipt" } });

    const rest = await pos("POST", "/receipts/REF-1/refunds", { externalRefundId: "RF-3", amount: 30000 });
    expect(rest.body).toMatchObject({ refund: { pointsReversed: 10, pointsReturned: 80 }, guest: { balance: 200 } });
    const read = await pos("GET", "/receipts/REF-1");
    expect(read.body).toMatchObject({
      receipt: { externalId: "REF-1", pointsEarned: 16, pointsRedeemed: 120 },
      guest: { id: guest.id, balance: 200, tier: "Bronze" },
      refunds: [
        { externalRefundId: "RF-1", amount: 15000, pointsReversed: 6, pointsReturned: 40 },
        { externalRefundId: "RF-3", amount: 30000, pointsReversed: 10, pointsReturned: 80 },
      ],
    });
    const [stored] = await db.admin.select().from(guests).where(eq(guests.id, guest.id));
    expect(stored?.lifetimePaid).toBe(0);
  });

  it("lets a reversal push the balance below zero when the points were already spent", async () => {
    const guest = await enrol(); // 100
    await pos("POST", "/receipts", receiptBody("DEBT-1", 200000, { guestId: guest.id })); // +100 → 200
    const hold = await pos<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId: guest.id,
      points: 200,
      checkTotal: 100000,
    });
    await pos(
      "POST",
      "/receipts",
      receiptBody("DEBT-2", 100000, { guestId: guest.id, redemptionId: hold.body.redemption.id }),
    );
    const refund = await pos("POST", "/receipts/DEBT-1/refunds", { externalRefundId: "RF-D", amount: 200000 });
    expect(refund.body).toMatchObject({ refund: { pointsReversed: 100 }, guest: { balance: -100 + 40 } });
  });
});

describe("keys, subscription and errors", () => {
  it("answers 401 without a key, with an unknown one, and at once after revocation", async () => {
    expect((await posClient(db.app, null)("GET", "/program")).status).toBe(401);
    expect((await posClient(db.app, "zk_live_unknownunknownunknownunknown")("GET", "/program")).status).toBe(401);
    const key = await withTenant(
      cafe.tenantId,
      (tx) =>
        createPosKey(tx, {
          tenantId: cafe.tenantId,
          locationSlug: "main",
          name: "Temp",
          actor: { actorKind: "system" },
        }),
      db.app,
    );
    const temp = posClient(db.app, key.key);
    expect((await temp("GET", "/program")).status).toBe(200);
    await withTenant(
      cafe.tenantId,
      (tx) => revokePosKey(tx, { tenantId: cafe.tenantId, key: key.id, actor: { actorKind: "system" } }),
      db.app,
    );
    const revoked = await temp("GET", "/program");
    expect(revoked.status).toBe(401);
    expect(revoked.body).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  });

  it("answers 402 when the café's subscription lapsed, before looking at the body", async () => {
    const lapsed = await createPosTenant(db.app, "pos-lapsed");
    await db.admin
      .update(subscriptions)
      .set({ status: "trialing", trialEndsAt: new Date(Date.now() - 1000) })
      .where(eq(subscriptions.tenantId, lapsed.tenantId));
    const reply = await withBilling(() => posClient(db.app, lapsed.key)("POST", "/receipts", { nonsense: true }));
    expect(reply.status).toBe(402);
    expect(reply.body).toMatchObject({ error: { code: "subscription_inactive" } });
    // Billing off (self-hosted, no STRIPE_SECRET_KEY): every café is active.
    expect((await posClient(db.app, lapsed.key)("GET", "/program")).status).toBe(200);
  });

  it("keeps a past_due café working for 7 days of grace, then answers 402; unpaid and canceled at once", async () => {
    const late = await createPosTenant(db.app, "pos-past-due");
    const program = () => withBilling(() => posClient(db.app, late.key)("GET", "/program"));
    const set = (values: Partial<typeof subscriptions.$inferInsert>) =>
      db.admin.update(subscriptions).set(values).where(eq(subscriptions.tenantId, late.tenantId));
    const day = 24 * 3600 * 1000;
    await set({ status: "past_due", pastDueSince: new Date(Date.now() - 6 * day) });
    expect((await program()).status).toBe(200);
    await set({ status: "past_due", pastDueSince: new Date(Date.now() - 7 * day - 60_000) });
    expect((await program()).status).toBe(402);
    for (const status of ["unpaid", "canceled"] as const) {
      await set({ status, pastDueSince: null });
      expect((await program()).status, status).toBe(402);
    }
    await set({ status: "active" });
    expect((await program()).status).toBe(200);
  });

  it("orders errors: 401 before 400, and explains bodies that are not JSON", async () => {
    const noKey = await posClient(db.app, null)("POST", "/receipts", undefined, { rawBody: "{not json" });
    expect(noKey.status).toBe(401);
    const badJson = await pos("POST", "/receipts", undefined, { rawBody: "{not json" });
    expect(badJson.status).toBe(400);
    expect(badJson.body).toMatchObject({ error: { code: "invalid_request", message: "The body is not valid JSON" } });
    const wrongType = await pos("POST", "/receipts", undefined, {
      rawBody: JSON.stringify(receiptBody("CT", 100)),
      headers: { "content-type": "text/plain" },
    });
    expect(wrongType.status).toBe(400);
    const unknownPath = await pos("GET", "/nothing/here");
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.body).toMatchObject({ error: { code: "not_found" } });
  });

  it("answers an id in the path that cannot exist (not a UUID, too long) with the route's 404, after the key", async () => {
    const longId = "A".repeat(129);
    expect((await posClient(db.app, null)("DELETE", "/redemptions/abc")).status).toBe(401);
    const notUuid = await pos("DELETE", "/redemptions/abc");
    expect(notUuid.status).toBe(404);
    expect(notUuid.body).toMatchObject({ error: { code: "redemption_not_found" } });
    const tooLong = await pos("GET", `/receipts/${longId}`);
    expect(tooLong.status).toBe(404);
    expect(tooLong.body).toMatchObject({ error: { code: "receipt_not_found" } });
    const refund = { externalRefundId: "R-LONG", amount: 100 };
    const refundOfNothing = await pos("POST", `/receipts/${longId}/refunds`, refund);
    expect(refundOfNothing.status).toBe(404);
    expect(refundOfNothing.body).toMatchObject({ error: { code: "receipt_not_found" } });
    // A wrong body as well: 400 comes first.
    const badBody = await pos("POST", `/receipts/${longId}/refunds`, { amount: -1 });
    expect(badBody.status).toBe(400);
  });

  it("answers 404 to another café's key for every id of this café", async () => {
    const guest = await enrol();
    const hold = await pos<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId: guest.id,
      points: 10,
      checkTotal: 10000,
    });
    await pos("POST", "/receipts", receiptBody("MINE-1", 10000, { guestId: guest.id }));
    const other = posClient(db.app, rival.key);
    const attempts = await Promise.all([
      other("POST", "/guests/identify", { identifier: guest.cardCode }),
      other("POST", "/guests/identify", { identifier: guest.phone }),
      other("POST", "/redemptions", { guestId: guest.id, points: 1, checkTotal: 10000 }),
      other("DELETE", `/redemptions/${hold.body.redemption.id}`),
      other("POST", "/receipts", receiptBody("THEIRS-1", 10000, { guestId: guest.id })),
      other("POST", "/receipts", receiptBody("THEIRS-2", 10000, { guest: { identifier: guest.cardCode } })),
      other("GET", "/receipts/MINE-1"),
      other("POST", "/receipts/MINE-1/refunds", { externalRefundId: "X", amount: 1 }),
    ]);
    expect(attempts.map((reply) => reply.status)).toEqual([404, 404, 404, 404, 404, 404, 404, 404]);
    const [stored] = await db.admin.select().from(guests).where(eq(guests.id, guest.id));
    expect(stored?.balance).toBe(90 + 5);
  });

  it("limits a runaway key with 429 and Retry-After, leaving other keys alone", async () => {
    const runaway = await freshClient("Runaway");
    const replies = await Promise.all(Array.from({ length: 160 }, () => runaway("GET", "/program")));
    const limited = replies.filter((reply) => reply.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(160 - POS_REQUESTS_PER_SECOND);
    expect(Number(limited[0]?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited[0]?.body).toMatchObject({ error: { code: "rate_limited" } });
    expect((await (await freshClient("Calm"))("GET", "/program")).status).toBe(200);
  });

  it("keeps the last requests of each key with status and latency", async () => {
    const { flushPosRequests } = await import("./request-log");
    await pos("GET", "/program");
    await pos("GET", "/receipts/NOPE");
    await flushPosRequests();
    const rows = await db.admin.execute<{
      path: string;
      status: number;
      latency_ms: number;
      error_code: string | null;
    }>(
      sql`select path, status, latency_ms, error_code from pos_request_log where key_id = ${cafe.keyId} order by id desc limit 2`,
    );
    expect(rows.map((row) => [row.path, row.status, row.error_code])).toEqual([
      ["/receipts/NOPE", 404, "receipt_not_found"],
      ["/program", 200, null],
    ]);
    const [key] = await db.admin.execute(sql`select last_used_at from pos_api_keys where id = ${cafe.keyId}`);
    expect(key?.last_used_at).not.toBeNull();
  });
});
