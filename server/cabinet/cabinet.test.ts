import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type Tx, withTenant } from "@/db/client";
import {
  auditLog,
  campaignSends,
  campaigns,
  guestConsents,
  guests,
  ledgerEntries,
  messageEvents,
  receipts,
  redemptions,
} from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { lockGuest, postPoints } from "../loyalty/ledger";
import { loadProgram } from "../loyalty/program";
import { createPosTenant, posClient, receiptBody } from "../pos/testing";
import { claimPaperReceipt, parseFiscalQr } from "./claim";
import { guestHistory, type HistoryItem } from "./history";
import { deleteGuestAccount, exportGuestData, updateProfile } from "./profile";
import { cabinetSummary } from "./summary";
import { answerSurvey, pendingSurvey } from "./survey";
import { createTestSurvey } from "./testing";

const db = await testDatabase();
let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let pos: ReturnType<typeof posClient>;

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "cabinet-cafe");
  pos = posClient(db.app, cafe.key);
});

const inCafe = <T>(work: (tx: Tx) => Promise<T>) => withTenant(cafe.tenantId, work, db.app);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type GuestReply = { guest: { id: string; balance: number; tier: string; cardCode: string } };
type ReceiptReply = { receipt: { id: string; pointsEarned: number }; guest: { balance: number } | null };

let counter = 0;
const next = () => {
  counter += 1;
  return counter;
};

async function enrol() {
  const phone = `+7916${String(2_000_000 + next()).slice(-7)}`;
  const reply = await pos<GuestReply>("POST", "/guests", { phone, name: "Иван", consent: true });
  expect(reply.status).toBe(201);
  return { ...reply.body.guest, phone };
}

/** A receipt through the POS API, closed "now" (so history order follows the test's steps). */
async function visit(guestId: string | null, total: number, extra: Record<string, unknown> = {}) {
  await sleep(3);
  const reply = await pos<ReceiptReply>(
    "POST",
    "/receipts",
    receiptBody(`R-${next()}`, total, {
      occurredAt: new Date().toISOString(),
      ...(guestId ? { guestId } : {}),
      ...extra,
    }),
  );
  expect(reply.status).toBe(201);
  return reply.body;
}

/** An anonymous check with fiscal data; returns the QR string printed on its paper receipt. */
async function paperReceipt(total: number, occurredAt = new Date()) {
  const fd = String(10_000 + next());
  const fiscal = { fn: "7380440700000001", fd, fp: String(1_000_000_000 + next()) };
  const reply = await pos<ReceiptReply>(
    "POST",
    "/receipts",
    receiptBody(`P-${next()}`, total, { occurredAt: occurredAt.toISOString(), fiscal }),
  );
  expect(reply.status).toBe(201);
  const rubles = `${Math.floor(total / 100)}.${String(total % 100).padStart(2, "0")}`;
  return {
    receiptId: reply.body.receipt.id,
    qr: `t=20261122T0815&s=${rubles}&fn=${fiscal.fn}&i=${fiscal.fd}&fp=${fiscal.fp}&n=1`,
  };
}

async function ledgerSum(guestId: string) {
  const [row] = await db.admin
    .select({ sum: sql<number>`coalesce(sum(${ledgerEntries.delta}), 0)::int` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.guestId, guestId));
  return row?.sum ?? 0;
}

async function allHistory(guestId: string, limit: number) {
  const items: HistoryItem[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await inCafe((tx) => guestHistory(tx, guestId, { cursor, limit }));
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}

describe("summary", () => {
  it("shows balance, its money value, tier progress, card, QR and personal offers", async () => {
    const guest = await enrol();
    await visit(guest.id, 200_000); // Bronze 5 %: 100 points
    const now = Date.now();
    await inCafe(async (tx) => {
      const [sent, expired, other] = await tx
        .insert(campaigns)
        .values([
          {
            tenantId: cafe.tenantId,
            name: "Sent",
            kind: "broadcast",
            status: "running",
            subject: "Латте −20 %",
            body: "До пятницы",
            offerUntil: new Date(now + 86_400_000),
          },
          {
            tenantId: cafe.tenantId,
            name: "Old",
            kind: "broadcast",
            status: "finished",
            subject: "Old",
            body: "…",
            offerUntil: new Date(now - 60_000),
          },
          {
            tenantId: cafe.tenantId,
            name: "Other",
            kind: "broadcast",
            status: "running",
            subject: "Other",
            body: "…",
            offerUntil: new Date(now + 86_400_000),
          },
        ])
        .returning();
      if (!sent || !expired || !other) throw new Error("no campaigns");
      await tx.insert(campaignSends).values([
        { tenantId: cafe.tenantId, campaignId: sent.id, guestId: guest.id, sentAt: new Date(), status: "sent" },
        { tenantId: cafe.tenantId, campaignId: expired.id, guestId: guest.id, sentAt: new Date(), status: "sent" },
        // Held out of a campaign: the guest must not meet it in the cabinet.
        { tenantId: cafe.tenantId, campaignId: other.id, guestId: guest.id, group: "holdout", status: "held_out" },
      ]);
    });

    const summary = await inCafe((tx) => cabinetSummary(tx, guest.id));
    expect(summary).toMatchObject({
      balance: 200,
      balanceValue: 20_000,
      currency: "RUB",
      lifetimePaid: 200_000,
      tier: { name: "Bronze", accrualPercent: 5 },
      nextTier: { name: "Silver", minSpend: 500_000, remaining: 300_000 },
      cardCode: guest.cardCode,
    });
    expect(summary.offers).toEqual([expect.objectContaining({ kind: "campaign", subject: "Латте −20 %" })]);
    expect(summary.qr.payload).toMatch(new RegExp(`^zq1\\.${guest.id}\\.\\d{6}$`));
    const identified = await pos<GuestReply>("POST", "/guests/identify", { identifier: summary.qr.payload });
    expect(identified.status).toBe(200);
    expect(identified.body.guest.id).toBe(guest.id);

    await visit(guest.id, 400_000); // lifetime 600 000: Silver
    const silver = await inCafe((tx) => cabinetSummary(tx, guest.id));
    expect(silver.tier.name).toBe("Silver");
    expect(silver.nextTier).toMatchObject({ name: "Gold", remaining: 900_000 });
  });
});

describe("history", () => {
  it("merges visits, redemptions, refunds and bonuses newest first, and paginates without gaps", async () => {
    const guest = await enrol();
    const first = await visit(guest.id, 45_000);
    await sleep(3);
    const hold = await pos<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId: guest.id,
      points: 30,
      checkTotal: 30_000,
    });
    expect(hold.status).toBe(201);
    const second = await visit(guest.id, 30_000, { redemptionId: hold.body.redemption.id });
    await sleep(3);
    const voided = await pos<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId: guest.id,
      points: 10,
      checkTotal: 30_000,
    });
    expect((await pos("DELETE", `/redemptions/${voided.body.redemption.id}`)).status).toBe(200);
    await sleep(3);
    const refund = await pos("POST", `/receipts/${await externalIdOf(first.receipt.id)}/refunds`, {
      externalRefundId: `RF-${next()}`,
      amount: 45_000,
    });
    expect(refund.status).toBe(201);

    const items = await allHistory(guest.id, 100);
    expect(items.map((item) => [item.kind, item.label, item.points])).toEqual([
      ["refund", "history.refund", -22],
      ["redemption", "history.redemption.voided", 0],
      ["visit", "history.visit", 13],
      ["redemption", "history.redemption.committed", -30],
      ["visit", "history.visit", 22],
      ["bonus", "history.bonus.welcome", 100],
    ]);
    expect(items[2]?.receipt).toMatchObject({
      id: second.receipt.id,
      channel: "pos",
      locationName: "Main",
      total: 30_000,
      pointsRedeemed: 30,
      pointsEarned: 13,
      lineCount: 1,
      lines: [{ sku: "cappuccino", name: "Капучино 300 мл", quantity: 1 }],
    });
    // Every ledger entry is in exactly one item: the items add up to the balance.
    const balance = await ledgerSum(guest.id);
    expect(items.reduce((sum, item) => sum + item.points, 0)).toBe(balance);
    expect(balance).toBe(100 + 22 - 30 + 13 - 22);

    for (const limit of [1, 2, 4]) {
      const paged = await allHistory(guest.id, limit);
      expect(paged.map((item) => item.key)).toEqual(items.map((item) => item.key));
      expect(new Set(paged.map((item) => item.key)).size).toBe(items.length);
    }
    // Not a cursor, and one edited past what PostgreSQL's bigint holds: both refused, not a 500.
    const overflowing = Buffer.from("99999999999999999999|r:abc").toString("base64url");
    for (const cursor of ["bm9wZQ", overflowing]) {
      await expect(inCafe((tx) => guestHistory(tx, guest.id, { cursor, limit: 5 }))).rejects.toMatchObject({
        code: "invalid_request",
      });
    }
  });

  it("pages through items that share one timestamp", async () => {
    const guest = await enrol();
    await inCafe(async (tx) => {
      // One transaction: every entry has the same created_at (now() is the transaction's start).
      const locked = await lockGuest(tx, guest.id);
      if (!locked) throw new Error("no guest");
      await postPoints(
        tx,
        locked,
        Array.from({ length: 5 }, () => ({ kind: "manual_adjustment" as const, delta: 1, note: "test setup" })),
      );
    });
    const all = await allHistory(guest.id, 100);
    expect(all).toHaveLength(6);
    for (const limit of [1, 2, 3]) {
      expect((await allHistory(guest.id, limit)).map((item) => item.key)).toEqual(all.map((item) => item.key));
    }
    expect(all.filter((item) => item.kind === "adjustment")).toHaveLength(5);
  });
});

async function externalIdOf(receiptId: string) {
  const [row] = await db.admin
    .select({ externalId: receipts.externalId })
    .from(receipts)
    .where(eq(receipts.id, receiptId));
  return row?.externalId ?? "";
}

describe("claim a paper receipt", () => {
  const claim = (guestId: string, qr: string, now = new Date()) =>
    inCafe(async (tx) => claimPaperReceipt(tx, await loadProgram(tx), guestId, qr, now));

  it("makes an anonymous receipt the guest's and accrues by their tier before the claim", async () => {
    const guest = await enrol();
    const paper = await paperReceipt(45_000);
    const result = await claim(guest.id, paper.qr);
    expect(result).toMatchObject({ receiptId: paper.receiptId, pointsEarned: 22, balance: 122, tier: "Bronze" });
    const [stored] = await db.admin.select().from(receipts).where(eq(receipts.id, paper.receiptId));
    expect(stored).toMatchObject({ guestId: guest.id, pointsEarned: 22 });
    expect(stored?.claimedAt).toBeInstanceOf(Date);
    const [row] = await db.admin.select().from(guests).where(eq(guests.id, guest.id));
    expect(row).toMatchObject({ balance: 122, lifetimePaid: 45_000 });
    expect(await ledgerSum(guest.id)).toBe(122);
    const audit = await db.admin.select().from(auditLog).where(eq(auditLog.targetId, paper.receiptId));
    expect(audit.map((entry) => entry.action)).toContain("receipt.claim");
    const history = await allHistory(guest.id, 10);
    expect(history[0]).toMatchObject({ kind: "visit", points: 22, receipt: { claimed: true } });

    const other = await enrol();
    await expect(claim(other.id, paper.qr)).rejects.toMatchObject({ code: "conflict", reason: "already_claimed" });
  });

  it("answers not found, too old and malformed, changing nothing", async () => {
    const guest = await enrol();
    const paper = await paperReceipt(45_000);
    await expect(claim(guest.id, paper.qr.replace("s=450.00", "s=451.00"))).rejects.toMatchObject({
      code: "not_found",
      reason: "receipt_not_found",
    });
    await expect(claim(guest.id, paper.qr.replace(/fp=\d+/, "fp=1"))).rejects.toMatchObject({
      reason: "receipt_not_found",
    });
    const old = await paperReceipt(30_000, new Date(Date.now() - 31 * 86_400_000));
    await expect(claim(guest.id, old.qr)).rejects.toMatchObject({ code: "unprocessable", reason: "too_old" });
    for (const bad of [
      "",
      "hello",
      paper.qr.replace("n=1", "n=2"),
      paper.qr.replace("s=450.00", "s=450"),
      paper.qr.replace("s=450.00", "s=450,00"),
      paper.qr.replace("t=20261122T0815", "t=20261322T0815"),
      paper.qr.replace("fn=7380440700000001", "fn=738044070000000"),
      paper.qr.replace("&n=1", ""),
      `${paper.qr}&n=1`,
      `${paper.qr}&x=1`,
    ]) {
      await expect(claim(guest.id, bad)).rejects.toMatchObject({ code: "invalid_request", reason: "malformed" });
    }
    expect(parseFiscalQr("t=20261122T081530&s=0.99&fn=7380440700000001&i=7&fp=42&n=1")).toEqual({
      t: "20261122T081530",
      total: 99,
      fn: "7380440700000001",
      fd: "7",
      fp: "42",
    });
    const [stored] = await db.admin.select().from(receipts).where(eq(receipts.id, paper.receiptId));
    expect(stored?.guestId).toBeNull();
    expect(await ledgerSum(guest.id)).toBe(100);
  });

  it("lets only one of two guests claiming at once win", async () => {
    const [a, b] = [await enrol(), await enrol()];
    const paper = await paperReceipt(60_000);
    const results = await Promise.allSettled([claim(a.id, paper.qr), claim(b.id, paper.qr)]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((result) => result.status === "rejected");
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({ reason: "already_claimed" });
    const accruals = await db.admin.select().from(ledgerEntries).where(eq(ledgerEntries.receiptId, paper.receiptId));
    expect(accruals).toHaveLength(1);
  });
});

describe("profile, export and deletion", () => {
  it("updates the profile, normalises the phone, records marketing consent and refuses a taken phone", async () => {
    const guest = await enrol();
    const other = await enrol();
    const updated = await inCafe((tx) =>
      updateProfile(tx, guest.id, {
        name: " Мария ",
        phone: "8 (926) 555-00-11",
        birthday: "1990-05-17",
        marketingOptIn: true,
      }),
    );
    expect(updated).toMatchObject({
      name: "Мария",
      phone: "+79265550011",
      birthday: "1990-05-17",
      marketingOptIn: true,
    });
    const consents = await db.admin.select().from(guestConsents).where(eq(guestConsents.guestId, guest.id));
    expect(consents).toContainEqual(
      expect.objectContaining({ kind: "marketing", granted: true, channel: "online", textVersion: "2026-01" }),
    );
    await expect(inCafe((tx) => updateProfile(tx, guest.id, { phone: other.phone }))).rejects.toMatchObject({
      code: "conflict",
      reason: "phone_taken",
    });
    await expect(inCafe((tx) => updateProfile(tx, guest.id, { birthday: "1990-02-30" }))).rejects.toMatchObject({
      code: "invalid_request",
    });
    // The birthday brings a bonus: once set, only the café changes it (the same date is no change).
    await expect(inCafe((tx) => updateProfile(tx, guest.id, { birthday: "1990-12-01" }))).rejects.toMatchObject({
      reason: "birthday_locked",
    });
    await inCafe((tx) => updateProfile(tx, guest.id, { birthday: "1990-05-17" }));
    const audit = await db.admin.select().from(auditLog).where(eq(auditLog.targetId, guest.id));
    expect(audit.find((entry) => entry.action === "guest.profile_update")?.meta).toEqual({
      fields: ["name", "phone", "birthday", "marketingOptIn"],
    });
    // The till finds the guest by the new phone.
    const identified = await pos<GuestReply>("POST", "/guests/identify", { identifier: "+7 926 555-00-11" });
    expect(identified.body.guest.id).toBe(guest.id);
  });

  it("exports everything about the guest and nothing about another", async () => {
    const guest = await enrol();
    const other = await enrol();
    const mine = await visit(guest.id, 50_000);
    const theirs = await visit(other.id, 70_000);
    const data = await inCafe((tx) => exportGuestData(tx, guest.id));
    expect(data.profile).toMatchObject({ id: guest.id, phone: guest.phone, name: "Иван", cardCode: guest.cardCode });
    expect(data.consents).toEqual([expect.objectContaining({ kind: "personal_data", granted: true })]);
    expect(data.receipts).toEqual([
      expect.objectContaining({
        id: mine.receipt.id,
        total: 50_000,
        lines: [expect.objectContaining({ sku: "cappuccino" })],
      }),
    ]);
    expect(data.ledger.map((entry) => entry.kind)).toEqual(["welcome_bonus", "accrual"]);
    const json = JSON.stringify(data);
    expect(json).not.toContain(other.id);
    expect(json).not.toContain(other.phone);
    expect(json).not.toContain(theirs.receipt.id);
    const audit = await db.admin.select().from(auditLog).where(eq(auditLog.targetId, guest.id));
    expect(audit.map((entry) => entry.action)).toContain("guest.data_export");
  });

  it("deletes the account: personal fields erased, holds voided, ledger and receipts kept, unknown to the POS", async () => {
    const guest = await enrol();
    const receipt = await visit(guest.id, 100_000);
    const hold = await pos<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId: guest.id,
      points: 50,
      checkTotal: 30_000,
    });
    expect(hold.status).toBe(201);
    await inCafe((tx) => updateProfile(tx, guest.id, { marketingOptIn: true, birthday: "1985-01-02" }));
    const [before] = await db.admin.select().from(guests).where(eq(guests.id, guest.id));

    const result = await inCafe((tx) => deleteGuestAccount(tx, guest.id, { kind: "guest" }));
    expect(result).toMatchObject({ deleted: true, holdsVoided: 1 });
    const [after] = await db.admin.select().from(guests).where(eq(guests.id, guest.id));
    expect(after).toMatchObject({ name: null, phone: null, email: null, birthday: null, marketingOptIn: false });
    expect(after?.blockedAt).toBeInstanceOf(Date);
    expect(after?.deletedAt).toBeInstanceOf(Date);
    expect(after?.qrSecret).not.toBe(before?.qrSecret);
    expect(after?.balance).toBe(150);
    expect(await ledgerSum(guest.id)).toBe(150);
    const [voided] = await db.admin.select().from(redemptions).where(eq(redemptions.id, hold.body.redemption.id));
    expect(voided?.status).toBe("voided");
    const [kept] = await db.admin.select().from(receipts).where(eq(receipts.id, receipt.receipt.id));
    expect(kept?.guestId).toBe(guest.id);
    const audit = await db.admin.select().from(auditLog).where(eq(auditLog.targetId, guest.id));
    expect(audit.map((entry) => entry.action)).toContain("guest.delete");

    for (const identifier of [guest.phone, guest.cardCode]) {
      const reply = await pos<{ error: { code: string } }>("POST", "/guests/identify", { identifier });
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe("guest_not_found");
    }
    await expect(inCafe((tx) => cabinetSummary(tx, guest.id))).rejects.toMatchObject({ code: "not_found" });
    await expect(inCafe((tx) => deleteGuestAccount(tx, guest.id, { kind: "guest" }))).rejects.toMatchObject({
      code: "not_found",
    });
    // The phone is free again: the person may enrol anew, as a new guest.
    const again = await pos<GuestReply>("POST", "/guests", { phone: guest.phone, consent: true });
    expect(again.status).toBe(201);
    expect(again.body.guest.id).not.toBe(guest.id);
  });
  it("deleting the account strips the address and subject from its campaign mail's delivery events", async () => {
    const guest = await enrol();
    const email = `deleted-${guest.id.slice(0, 8)}@example.com`;
    await db.admin.update(guests).set({ email }).where(eq(guests.id, guest.id));
    const eventId = await inCafe(async (tx) => {
      const [campaign] = await tx
        .insert(campaigns)
        .values({ tenantId: cafe.tenantId, name: "Mail", kind: "one_off", status: "running", subject: "s", body: "b" })
        .returning();
      const [send] = await tx
        .insert(campaignSends)
        .values({ tenantId: cafe.tenantId, campaignId: campaign?.id as string, guestId: guest.id, status: "sent" })
        .returning();
      // An event stored whole, as the webhook did before it kept only what results need.
      const [event] = await tx
        .insert(messageEvents)
        .values({
          tenantId: cafe.tenantId,
          sendId: send?.id,
          providerEventId: `evt-${guest.id}`,
          type: "email.bounced",
          occurredAt: new Date("2026-03-10T09:00:05Z"),
          payload: {
            type: "email.bounced",
            created_at: "2026-03-10T09:00:05.000Z",
            data: {
              email_id: "prov-1",
              to: [email],
              subject: "Иван, мы соскучились",
              bounce: { type: "Permanent", subType: "General", message: `550 <${email}> unknown` },
              tags: [{ name: "send_id", value: send?.id }],
            },
          },
        })
        .returning();
      return { id: event?.id as string, sendId: send?.id as string };
    });
    await inCafe((tx) => deleteGuestAccount(tx, guest.id, { kind: "guest" }));
    const [after] = await db.admin.select().from(messageEvents).where(eq(messageEvents.id, eventId.id));
    expect(after?.payload).toEqual({
      type: "email.bounced",
      created_at: "2026-03-10T09:00:05.000Z",
      data: {
        email_id: "prov-1",
        tags: { tenant_id: cafe.tenantId, send_id: eventId.sendId },
        bounce: { type: "Permanent", subType: "General" },
      },
    });
    expect(JSON.stringify(after?.payload)).not.toContain(email);
    expect(after).toMatchObject({ type: "email.bounced", sendId: eventId.sendId });
  });
});

describe("survey", () => {
  it("invites after the visits, validates answers and grants the bonus once", async () => {
    const { rating, choice, text, ...survey } = await inCafe((tx) => createTestSurvey(tx, cafe.tenantId, 3));
    const guest = await enrol();
    await visit(guest.id, 10_000);
    await visit(guest.id, 10_000);
    expect(await inCafe((tx) => pendingSurvey(tx, guest.id))).toBeNull();
    const answer = (answers: Record<string, string | number>) =>
      inCafe(async (tx) => answerSurvey(tx, await loadProgram(tx), guest.id, survey.id, answers));
    await expect(answer({ [rating]: 5, [choice]: "кофе" })).rejects.toMatchObject({ reason: "survey_not_available" });
    await visit(guest.id, 10_000);
    const pending = await inCafe((tx) => pendingSurvey(tx, guest.id));
    expect(pending).toMatchObject({ id: survey.id, title: "Как вам у нас?" });
    expect(pending?.questions.map((question) => question.kind)).toEqual(["rating", "choice", "text"]);

    for (const bad of [
      { [rating]: 6, [choice]: "кофе" },
      { [rating]: 4.5, [choice]: "кофе" },
      { [rating]: 5, [choice]: "сок" },
      { [choice]: "кофе" },
      { [rating]: 5, [choice]: "кофе", [text]: "x".repeat(1001) },
      { [rating]: 5, [choice]: "кофе", "00000000-0000-0000-0000-000000000000": "?" },
    ]) {
      await expect(answer(bad)).rejects.toMatchObject({ code: "invalid_request" });
    }
    const balanceBefore = await ledgerSum(guest.id);
    const results = await Promise.allSettled([
      answer({ [rating]: 5, [choice]: "кофе", [text]: "Больше розеток" }),
      answer({ [rating]: 4, [choice]: "чай" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect((results.find((result) => result.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({
      code: "conflict",
      reason: "already_answered",
    });
    await expect(answer({ [rating]: 3, [choice]: "чай" })).rejects.toMatchObject({ reason: "already_answered" });
    expect(await ledgerSum(guest.id)).toBe(balanceBefore + 50);
    const bonuses = await db.admin.select().from(ledgerEntries).where(eq(ledgerEntries.guestId, guest.id));
    expect(bonuses.filter((entry) => entry.kind === "survey_bonus")).toHaveLength(1);
    expect(await inCafe((tx) => pendingSurvey(tx, guest.id))).toBeNull();
    const history = await allHistory(guest.id, 10);
    expect(history[0]).toMatchObject({ kind: "bonus", label: "history.bonus.survey", points: 50 });
  });
});
