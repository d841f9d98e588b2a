import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { auditLog, guests, ledgerEntries, receipts, surveys } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { createTestSurvey } from "@/server/cabinet/testing";
import { AppError } from "@/server/errors";
import { enrolGuest } from "@/server/loyalty/guests";
import { loadProgram } from "@/server/loyalty/program";
import { flushPosRequests } from "@/server/pos/request-log";
import { createPosTenant, posClient, receiptBody } from "@/server/pos/testing";
import type { Context } from "../init";
import { appRouter, createCaller } from "../root";

const db = await testDatabase();
const IP = "203.0.113.9";

type Cafe = Awaited<ReturnType<typeof createPosTenant>> & { slug: string };
let cafeA: Cafe;
let cafeB: Cafe;

// The POS request log is written in the background: done before the file's database is dropped.
afterAll(flushPosRequests);

beforeAll(async () => {
  cafeA = { ...(await createPosTenant(db.app, "cab-router-a")), slug: "cab-router-a" };
  cafeB = { ...(await createPosTenant(db.app, "cab-router-b")), slug: "cab-router-b" };
});

/** The router as a guest signed in with `email` (or signed out) on the storefront of `slug`. */
function asGuest(email: string | null, slug: string | null) {
  const ctx: Context = {
    db: db.app,
    requestId: randomUUID(),
    ip: IP,
    headers: new Headers(),
    getStaffSession: async () => null,
    getGuestAccount: async () => (email ? { accountId: randomUUID(), email } : null),
    tenantSlug: slug,
    response: { headers: {} },
  };
  return createCaller(ctx).cabinet;
}

let counter = 0;
const next = () => {
  counter += 1;
  return counter;
};

/** A guest enrolled online at the café (welcome bonus 100), with the email they sign in with. */
async function enrolled(cafe: Cafe) {
  const n = next();
  const email = `guest${n}@cabinet.example`;
  const phone = `+7916${String(3_000_000 + n).slice(-7)}`;
  const guest = await withTenant(
    cafe.tenantId,
    async (tx) =>
      enrolGuest(tx, await loadProgram(tx), {
        tenantId: cafe.tenantId,
        phone,
        email,
        name: "Анна",
        channel: "online",
        actor: { kind: "guest" },
      }),
    db.app,
  );
  return { id: guest.id, email, phone, cardCode: guest.cardCode, cabinet: asGuest(email, cafe.slug) };
}

async function visit(cafe: Cafe, guestId: string | null, total: number, extra: Record<string, unknown> = {}) {
  await new Promise((resolve) => setTimeout(resolve, 3));
  const reply = await posClient(db.app, cafe.key)<{ receipt: { id: string } }>(
    "POST",
    "/receipts",
    receiptBody(`R-${next()}`, total, {
      occurredAt: new Date().toISOString(),
      ...(guestId ? { guestId } : {}),
      ...extra,
    }),
  );
  expect(reply.status).toBe(201);
  return reply.body.receipt.id;
}

/** An anonymous check with fiscal data, and the QR string printed on its paper receipt. */
async function paperReceipt(cafe: Cafe, total: number) {
  const fiscal = { fn: "7380440700000002", fd: String(20_000 + next()), fp: String(2_000_000_000 + next()) };
  const receiptId = await visit(cafe, null, total, { fiscal });
  const rubles = `${Math.floor(total / 100)}.${String(total % 100).padStart(2, "0")}`;
  return { receiptId, qr: `t=20261122T0815&s=${rubles}&fn=${fiscal.fn}&i=${fiscal.fd}&fp=${fiscal.fp}&n=1` };
}

async function ledgerSum(guestId: string) {
  const [row] = await db.admin
    .select({ sum: sql<number>`coalesce(sum(${ledgerEntries.delta}), 0)::int` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.guestId, guestId));
  return row?.sum ?? 0;
}

async function auditOf(guestId: string, action: string) {
  return db.admin
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.actorRef, guestId), eq(auditLog.action, action)));
}

/** The rejection's tRPC code and the domain's reason (AppError), for compact expectations. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { code: error.code, reason: error.cause instanceof AppError ? error.cause.reason : error.message };
  }
  throw new Error("expected the call to fail");
}

type Cabinet = ReturnType<typeof asGuest>;
/** A valid input for every procedure of the router; a new procedure without one fails the test. */
const INPUTS: Record<keyof Cabinet, unknown> = {
  summary: undefined,
  qr: undefined,
  offers: { locale: "ru" },
  history: { limit: 5 },
  claim: { qr: "t=20261122T0815&s=450.00&fn=7380440700000002&i=1&fp=1&n=1" },
  profile: undefined,
  updateProfile: { name: "Злоумышленник", marketingOptIn: true },
  exportData: undefined,
  deleteAccount: { confirm: true },
  survey: undefined,
  answerSurvey: { surveyId: randomUUID(), answers: {} },
};

const PATHS = Object.keys(appRouter._def.procedures)
  .filter((path) => path.startsWith("cabinet."))
  .map((path) => path.slice("cabinet.".length));

function call(cabinet: Cabinet, name: string) {
  const procedure = (cabinet as unknown as Record<string, (input: unknown) => Promise<unknown>>)[name];
  if (!procedure) throw new Error(`no procedure ${name}`);
  return procedure(INPUTS[name as keyof Cabinet]);
}

describe("access", () => {
  it("covers every procedure of the router, each a guest procedure", () => {
    expect(PATHS.sort()).toEqual(Object.keys(INPUTS).sort());
    for (const path of PATHS) {
      const meta = (appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { guest?: string } } }>)[
        `cabinet.${path}`
      ]?._def.meta;
      expect(meta?.guest, path).toBe("enrolled");
    }
  });

  it("refuses a signed-out visitor with UNAUTHORIZED", async () => {
    const signedOut = asGuest(null, cafeA.slug);
    for (const path of PATHS) {
      expect(await failure(call(signedOut, path)), path).toMatchObject({ code: "UNAUTHORIZED" });
    }
  });

  it("refuses a guest of café A on café B with FORBIDDEN (not enrolled there), changing nothing of B", async () => {
    const guest = await enrolled(cafeA);
    const inB = asGuest(guest.email, cafeB.slug);
    const before = await db.admin.execute(
      sql`select count(*)::int as n from audit_log where tenant_id = ${cafeB.tenantId}`,
    );
    for (const path of PATHS) {
      expect(await failure(call(inB, path)), path).toEqual({ code: "FORBIDDEN", reason: "enrolment_required" });
    }
    const after = await db.admin.execute(
      sql`select count(*)::int as n from audit_log where tenant_id = ${cafeB.tenantId}`,
    );
    expect(after).toEqual(before);
    // The guest's own café is untouched too: B's calls never reached A's guest.
    expect(await guest.cabinet.profile()).toMatchObject({ name: "Анна", marketingOptIn: false });
    expect(await failure(asGuest(guest.email, "no-such-cafe").summary())).toMatchObject({ code: "NOT_FOUND" });
  });

  it("acts on the signed-in guest only: another guest's id in the input is ignored", async () => {
    const guest = await enrolled(cafeA);
    const other = await enrolled(cafeA);
    const updated = await guest.cabinet.updateProfile({ name: "Мария", guestId: other.id } as never);
    expect(updated.id).toBe(guest.id);
    expect(await other.cabinet.profile()).toMatchObject({ id: other.id, name: "Анна" });
    const page = await guest.cabinet.history({ limit: 10, guestId: other.id } as never);
    expect(page.items).toHaveLength(1);
    expect(JSON.stringify(page)).not.toContain(other.id);
  });
});

describe("summary, QR and history", () => {
  it("shows the welcome bonus, its money value, the tier and a QR that identifies the guest at the till", async () => {
    const guest = await enrolled(cafeA);
    const summary = await guest.cabinet.summary();
    expect(summary).toMatchObject({
      guestId: guest.id,
      name: "Анна",
      balance: 100,
      balanceValue: 10_000,
      currency: "RUB",
      tier: { name: "Bronze" },
      nextTier: { name: "Silver", remaining: 500_000 },
      cardCode: guest.cardCode,
      offers: [],
    });
    const qr = await guest.cabinet.qr();
    expect(qr.payload).toMatch(new RegExp(`^zq1\\.${guest.id}\\.\\d{6}$`));
    expect(qr.refreshSeconds).toBe(30);
    expect(qr.expiresInSeconds).toBeGreaterThanOrEqual(1);
    expect(qr.expiresInSeconds).toBeLessThanOrEqual(30);
    const identified = await posClient(db.app, cafeA.key)<{ guest: { id: string } }>("POST", "/guests/identify", {
      identifier: qr.payload,
    });
    expect(identified.status).toBe(200);
    expect(identified.body.guest.id).toBe(guest.id);
  });

  it("pages through the history by cursor and refuses a forged cursor", async () => {
    const guest = await enrolled(cafeA);
    await visit(cafeA, guest.id, 20_000);
    await visit(cafeA, guest.id, 40_000);
    const first = await guest.cabinet.history({ limit: 2 });
    expect(first.items.map((item) => item.kind)).toEqual(["visit", "visit"]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await guest.cabinet.history({ limit: 2, cursor: first.nextCursor });
    expect(second.items.map((item) => item.label)).toEqual(["history.bonus.welcome"]);
    expect(second.nextCursor).toBeNull();
    expect(await failure(guest.cabinet.history({ limit: 2, cursor: "bm9wZQ" }))).toEqual({
      code: "BAD_REQUEST",
      reason: "invalid_cursor",
    });
    expect(await failure(guest.cabinet.history({ limit: 500 }))).toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("claim", () => {
  it("claims a paper receipt once, with a clear reason for each failure and nothing changed", async () => {
    const guest = await enrolled(cafeA);
    const paper = await paperReceipt(cafeA, 45_000);
    expect(await failure(guest.cabinet.claim({ qr: "hello" }))).toEqual({ code: "BAD_REQUEST", reason: "malformed" });
    expect(await failure(guest.cabinet.claim({ qr: paper.qr.replace("s=450.00", "s=451.00") }))).toEqual({
      code: "NOT_FOUND",
      reason: "receipt_not_found",
    });
    expect(await ledgerSum(guest.id)).toBe(100);

    const result = await guest.cabinet.claim({ qr: paper.qr });
    expect(result).toMatchObject({ receiptId: paper.receiptId, pointsEarned: 22, balance: 122 });
    expect((await auditOf(guest.id, "receipt.claim"))[0]?.ip).toBe(IP);
    expect(await failure(guest.cabinet.claim({ qr: paper.qr }))).toEqual({
      code: "CONFLICT",
      reason: "already_claimed",
    });
    // A receipt of café A is not café B's to find, even for B's own guest with A's QR string.
    const inB = await enrolled(cafeB);
    const paperA = await paperReceipt(cafeA, 30_000);
    expect(await failure(inB.cabinet.claim({ qr: paperA.qr }))).toEqual({
      code: "NOT_FOUND",
      reason: "receipt_not_found",
    });
    const [stored] = await db.admin.select().from(receipts).where(eq(receipts.id, paperA.receiptId));
    expect(stored?.guestId).toBeNull();
  });
});

describe("profile, export and deletion", () => {
  it("updates the profile (audited with the address) and refuses a taken phone", async () => {
    const guest = await enrolled(cafeA);
    const other = await enrolled(cafeA);
    const updated = await guest.cabinet.updateProfile({
      name: "Мария",
      phone: "8 (926) 555-00-12",
      birthday: "1991-04-05",
      marketingOptIn: true,
    });
    expect(updated).toMatchObject({
      name: "Мария",
      phone: "+79265550012",
      birthday: "1991-04-05",
      marketingOptIn: true,
    });
    expect(await guest.cabinet.profile()).toEqual(updated);
    const [audit] = await auditOf(guest.id, "guest.profile_update");
    expect(audit).toMatchObject({ ip: IP, meta: { fields: ["name", "phone", "birthday", "marketingOptIn"] } });
    expect(await failure(guest.cabinet.updateProfile({ phone: other.phone }))).toEqual({
      code: "CONFLICT",
      reason: "phone_taken",
    });
    expect(await failure(guest.cabinet.updateProfile({ birthday: "1991-02-30" }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await failure(guest.cabinet.updateProfile({ phone: "12" }))).toMatchObject({ code: "BAD_REQUEST" });
    // The name cannot be cleared (the barista greets the guest by it), only changed.
    for (const name of [null, "   "]) {
      expect(await failure(guest.cabinet.updateProfile({ name }))).toMatchObject({ code: "BAD_REQUEST" });
    }
    // The birthday (it brings a bonus) stays as set: only the café changes it.
    expect(await guest.cabinet.updateProfile({ name: "Вера" })).toMatchObject({ name: "Вера", birthday: "1991-04-05" });
    expect(await failure(guest.cabinet.updateProfile({ birthday: null }))).toMatchObject({
      code: "UNPROCESSABLE_CONTENT",
      reason: "birthday_locked",
    });
  });

  it("exports the guest's data, audited", async () => {
    const guest = await enrolled(cafeA);
    const receiptId = await visit(cafeA, guest.id, 50_000);
    const data = await guest.cabinet.exportData();
    expect(data.profile).toMatchObject({ id: guest.id, email: guest.email, phone: guest.phone });
    expect(data.receipts.map((receipt) => receipt.id)).toEqual([receiptId]);
    expect((await auditOf(guest.id, "guest.data_export"))[0]?.ip).toBe(IP);
  });

  it("deletes the account only when confirmed; afterwards the email is no guest of the café", async () => {
    const guest = await enrolled(cafeA);
    expect(await failure(guest.cabinet.deleteAccount({ confirm: false as true }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await guest.cabinet.deleteAccount({ confirm: true })).toMatchObject({ id: guest.id, deleted: true });
    const [row] = await db.admin.select().from(guests).where(eq(guests.id, guest.id));
    expect(row).toMatchObject({ name: null, email: null, phone: null });
    expect(row?.deletedAt).toBeInstanceOf(Date);
    expect((await auditOf(guest.id, "guest.delete"))[0]).toMatchObject({ ip: IP, actorKind: "guest" });
    expect(await failure(guest.cabinet.summary())).toEqual({ code: "FORBIDDEN", reason: "enrolment_required" });
    expect(await failure(guest.cabinet.deleteAccount({ confirm: true }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await ledgerSum(guest.id)).toBe(100);
  });
});

describe("survey", () => {
  async function createSurvey(cafe: Cafe) {
    return withTenant(
      cafe.tenantId,
      async (tx) => {
        // Earlier surveys of the café are closed, so this one is the guest's pending survey.
        await tx.update(surveys).set({ active: false });
        return createTestSurvey(tx, cafe.tenantId, 1);
      },
      db.app,
    );
  }

  it("invites after a visit and grants the bonus once when two tabs answer at once", async () => {
    const survey = await createSurvey(cafeA);
    const guest = await enrolled(cafeA);
    expect(await guest.cabinet.survey()).toBeNull();
    expect(
      await failure(
        guest.cabinet.answerSurvey({ surveyId: survey.id, answers: { [survey.rating]: 5, [survey.choice]: "чай" } }),
      ),
    ).toEqual({ code: "UNPROCESSABLE_CONTENT", reason: "survey_not_available" });
    await visit(cafeA, guest.id, 10_000);
    const pending = await guest.cabinet.survey();
    expect(pending).toMatchObject({ id: survey.id, title: "Как вам у нас?" });
    expect(pending?.questions.map((question) => question.kind)).toEqual(["rating", "choice", "text"]);
    expect(
      await failure(
        guest.cabinet.answerSurvey({ surveyId: survey.id, answers: { [survey.rating]: 7, [survey.choice]: "чай" } }),
      ),
    ).toEqual({ code: "BAD_REQUEST", reason: "invalid_answers" });

    const before = await ledgerSum(guest.id);
    // Two tabs: two separate requests (two callers, two transactions) at the same moment.
    const tabs = [asGuest(guest.email, cafeA.slug), asGuest(guest.email, cafeA.slug)];
    const results = await Promise.allSettled([
      tabs[0]?.answerSurvey({
        surveyId: survey.id,
        answers: { [survey.rating]: 5, [survey.choice]: "кофе", [survey.text]: "Больше розеток" },
      }),
      tabs[1]?.answerSurvey({ surveyId: survey.id, answers: { [survey.rating]: 4, [survey.choice]: "чай" } }),
    ]);
    const fulfilled = results.filter((result) => result.status === "fulfilled");
    expect(fulfilled).toHaveLength(1);
    expect((fulfilled[0] as PromiseFulfilledResult<{ pointsGranted: number }>).value.pointsGranted).toBe(50);
    const rejected = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(TRPCError);
    expect(await failure(Promise.reject(rejected.reason))).toEqual({ code: "CONFLICT", reason: "already_answered" });
    expect(await ledgerSum(guest.id)).toBe(before + 50);
    const bonuses = await db.admin
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.guestId, guest.id), eq(ledgerEntries.kind, "survey_bonus")));
    expect(bonuses).toHaveLength(1);
    expect((await auditOf(guest.id, "survey.answer"))[0]?.ip).toBe(IP);
    expect(await guest.cabinet.survey()).toBeNull();
  });
});
