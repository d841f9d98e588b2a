import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { auditLog, guests, loyaltyTiers, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { AppError } from "../errors";
import { addDays, localDateOf, zonedTime } from "../orders/slots";
import { createPosTenant, posClient, receiptBody } from "../pos/testing";
import { expireInactivePoints } from "./expiry";
import { tierNameIn } from "./formulas";
import { loadProgram, tierName } from "./program";
import { previewRuleChange, publishRuleVersion, type RuleChange, type RuleSetInput } from "./rules";

const db = await testDatabase();
const ZONE = "Europe/Moscow";
let ownerId: string;

type Cafe = Awaited<ReturnType<typeof createPosTenant>>;
type ProgramReply = { tiers: { name: string; accrualPercent: number; minSpend: number }[]; maxRedeemPercent: number };
type ReceiptReply = { receipt: { pointsEarned: number }; guest: { tier: string; balance: number } };

beforeAll(async () => {
  const [owner] = await db.admin.insert(users).values({ email: "rules-owner@example.com" }).returning();
  if (!owner) throw new Error("no user");
  ownerId = owner.id;
});

/** The café's rules as they are now, as the editor would start from them. */
async function currentRules(cafe: Cafe): Promise<RuleSetInput> {
  const program = await withTenant(cafe.tenantId, (tx) => loadProgram(tx), db.app);
  const latest = program.versions.at(-1)?.rules ?? program;
  return {
    tiers: latest.tiers.map((tier) => ({ ...tier })),
    maxRedeemPercent: latest.maxRedeemPercent,
    welcomeBonus: latest.welcomeBonus,
    birthdayBonus: latest.birthdayBonus,
    surveyBonus: latest.surveyBonus,
    holdTtlSeconds: latest.holdTtlSeconds,
    expireAfterInactiveDays: latest.expireAfterInactiveDays,
  };
}

function withAccrual(rules: RuleSetInput, tierName: string, accrualPercent: number): RuleSetInput {
  return {
    ...rules,
    tiers: rules.tiers.map((tier) => (tier.name === tierName ? { ...tier, accrualPercent } : tier)),
  };
}

function publish(cafe: Cafe, change: RuleChange, now?: Date) {
  return withTenant(
    cafe.tenantId,
    (tx) =>
      publishRuleVersion(tx, {
        ...change,
        tenantId: cafe.tenantId,
        timeZone: ZONE,
        actor: { userId: ownerId, ip: "127.0.0.1" },
        now,
      }),
    db.app,
  );
}

function preview(cafe: Cafe, change: RuleChange, now?: Date) {
  return withTenant(cafe.tenantId, (tx) => previewRuleChange(tx, { ...change, timeZone: ZONE, now }), db.app);
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

let phone = 0;
async function enrol(till: ReturnType<typeof posClient>): Promise<string> {
  phone += 1;
  const reply = await till<{ guest: { id: string } }>("POST", "/guests", {
    phone: `+7926${String(2_000_000 + phone).slice(-7)}`,
    consent: true,
  });
  expect(reply.status).toBe(201);
  return reply.body.guest.id;
}

describe("rule versions at the till", () => {
  let cafe: Cafe;
  let till: ReturnType<typeof posClient>;
  let guestId: string;
  const receipt = (externalId: string, occurredAt: string) =>
    till<ReceiptReply>("POST", "/receipts", receiptBody(externalId, 10_000, { guestId, occurredAt }));

  beforeAll(async () => {
    cafe = await createPosTenant(db.app, "rules-till");
    till = posClient(db.app, cafe.key);
    guestId = await enrol(till);
  });

  it("a receipt at 23:59 before a change earns by the old rule, one at 00:00 by the new", async () => {
    // Published two days ago at 10:00 "from tomorrow": in force since yesterday 00:00 in Moscow.
    const twoDaysAgo = addDays(localDateOf(new Date(), ZONE), -2);
    const publishedAt = zonedTime(twoDaysAgo, 10 * 60, ZONE);
    const version = await publish(
      cafe,
      { rules: withAccrual(await currentRules(cafe), "Bronze", 7), effective: { when: "tomorrow" } },
      publishedAt,
    );
    expect(version).toEqual({ number: 2, effectiveFrom: zonedTime(addDays(twoDaysAgo, 1), 0, ZONE).toISOString() });

    const before = await receipt("EVE-2359", `${twoDaysAgo}T23:59:00+03:00`);
    expect(before.status).toBe(201);
    expect(before.body.receipt.pointsEarned).toBe(5);
    const after = await receipt("MIDNIGHT", `${addDays(twoDaysAgo, 1)}T00:00:00+03:00`);
    expect(after.body.receipt.pointsEarned).toBe(7);
    // A receipt sent late (an offline till) still earns by the rules of its own time.
    const late = await receipt("OLD-CHECK", "2026-01-10T12:00:00+03:00");
    expect(late.body.receipt.pointsEarned).toBe(5);
  });

  it("the POS sees a version in force now from its very next request", async () => {
    expect((await receipt("WARM", new Date().toISOString())).body.receipt.pointsEarned).toBe(7);
    await publish(cafe, { rules: withAccrual(await currentRules(cafe), "Bronze", 9), effective: { when: "now" } });
    expect((await receipt("NOW-9", new Date().toISOString())).body.receipt.pointsEarned).toBe(9);
    expect((await till<ProgramReply>("GET", "/program")).body.tiers[0]?.accrualPercent).toBe(9);
  });

  it("a version effective tomorrow does not apply today, and nothing may start before it", async () => {
    const tomorrow = await publish(cafe, {
      rules: { ...withAccrual(await currentRules(cafe), "Bronze", 12), maxRedeemPercent: 50 },
      effective: { when: "tomorrow" },
    });
    expect(new Date(tomorrow.effectiveFrom).getTime()).toBeGreaterThan(Date.now());
    expect((await receipt("TODAY-AFTER-SCHEDULE", new Date().toISOString())).body.receipt.pointsEarned).toBe(9);
    const program = await till<ProgramReply>("GET", "/program");
    expect(program.body.tiers[0]?.accrualPercent).toBe(9);
    expect(program.body.maxRedeemPercent).toBe(30);

    const tooEarly = await refusal(publish(cafe, { rules: await currentRules(cafe), effective: { when: "now" } }));
    expect(tooEarly.reason).toBe("before_scheduled");
    // The same time again replaces it (the later publication wins).
    const replaced = await publish(cafe, {
      rules: { ...withAccrual(await currentRules(cafe), "Bronze", 11), maxRedeemPercent: 40 },
      effective: { when: "tomorrow" },
    });
    expect(replaced.effectiveFrom).toBe(tomorrow.effectiveFrom);
    const atMidnight = await withTenant(
      cafe.tenantId,
      (tx) => loadProgram(tx, new Date(tomorrow.effectiveFrom)),
      db.app,
    );
    expect(atMidnight.ruleVersion).toBe(replaced.number);
    expect(atMidnight.tiers[0]?.accrualPercent).toBe(11);
    expect(atMidnight.maxRedeemPercent).toBe(40);
  });

  it("audits every publication with what changed", async () => {
    const entries = await withTenant(
      cafe.tenantId,
      (tx) => tx.select().from(auditLog).where(eq(auditLog.action, "loyalty.rules_published")),
      db.app,
    );
    expect(entries.map((entry) => entry.targetId).sort()).toEqual(["2", "3", "4", "5"]);
    const fourth = entries.find((entry) => entry.targetId === "4");
    expect(fourth?.actorUserId).toBe(ownerId);
    expect(fourth?.meta).toMatchObject({ number: 4, retroactive: false, changed: ["tiers", "maxRedeemPercent"] });
  });

  it("refuses rules that cannot work, naming the field", async () => {
    const rules = await currentRules(cafe);
    const effective = { when: "date" as const, date: addDays(localDateOf(new Date(), ZONE), 5) };
    const noFirstTier = await refusal(publish(cafe, { rules: { ...rules, tiers: rules.tiers.slice(1) }, effective }));
    expect(noFirstTier.reason).toBe("first_tier_threshold");
    const twins = await refusal(
      publish(cafe, {
        rules: { ...rules, tiers: [...rules.tiers, { name: "gold", accrualPercent: 20, minSpend: 9_000_000 }] },
        effective,
      }),
    );
    expect(twins.details).toEqual([expect.objectContaining({ path: "tiers.3.name" })]);
    const past = await refusal(
      publish(cafe, { rules, effective: { when: "date", date: localDateOf(new Date(), ZONE) } }),
    );
    expect(past.reason).toBe("effective_in_past");
  });
});

describe("the preview of a change", () => {
  let cafe: Cafe;
  let ids: string[];

  beforeAll(async () => {
    cafe = await createPosTenant(db.app, "rules-preview");
    const till = posClient(db.app, cafe.key);
    ids = [];
    for (let i = 0; i < 5; i += 1) ids.push(await enrol(till));
    // One receipt in the last 30 days: 1 000.00 at Bronze 5 % earned 50 points.
    const paid = await till<ReceiptReply>(
      "POST",
      "/receipts",
      receiptBody("PREVIEW-1", 100_000, { guestId: ids[0], occurredAt: new Date().toISOString() }),
    );
    expect(paid.body.receipt.pointsEarned).toBe(50);
    const lifetimes = [0, 400_000, 600_000, 1_200_000, 1_600_000];
    for (const [index, id] of ids.entries()) {
      await db.admin
        .update(guests)
        .set({ lifetimePaid: lifetimes[index] ?? 0 })
        .where(eq(guests.id, id));
    }
  });

  it("counts the guests who move up or down a tier, by hand-computed thresholds", async () => {
    // Before: Bronze 0 (5 %), Silver 5 000 (7 %), Gold 15 000 (10 %) → B, B, S, S, G.
    // After: Bronze 0 (7 %), Silver 7 000 (8 %), Gold 10 000, Platinum 20 000 → B, B, B↓, G↑, G.
    const rules = await currentRules(cafe);
    const [bronze, silver, gold] = rules.tiers;
    const change: RuleChange = {
      rules: {
        ...rules,
        tiers: [
          { ...bronze, name: "Bronze", accrualPercent: 7, minSpend: 0 },
          { ...silver, name: "Silver", accrualPercent: 8, minSpend: 700_000 },
          { ...gold, name: "Gold", accrualPercent: 10, minSpend: 1_000_000 },
          { name: "Platinum", accrualPercent: 12, minSpend: 2_000_000 },
        ],
      },
      effective: { when: "tomorrow" },
    };
    const shown = await preview(cafe, change);
    expect(shown.guests).toBe(5);
    expect(shown.movedUp).toBe(1);
    expect(shown.movedDown).toBe(1);
    expect(
      shown.tiers.map(({ name, guests: count, movedUp, movedDown, accrualPercent, previousAccrualPercent }) => ({
        name,
        count,
        movedUp,
        movedDown,
        accrualPercent,
        previousAccrualPercent,
      })),
    ).toEqual([
      { name: "Bronze", count: 3, movedUp: 0, movedDown: 1, accrualPercent: 7, previousAccrualPercent: 5 },
      { name: "Silver", count: 0, movedUp: 0, movedDown: 0, accrualPercent: 8, previousAccrualPercent: 7 },
      { name: "Gold", count: 2, movedUp: 1, movedDown: 0, accrualPercent: 10, previousAccrualPercent: 10 },
      { name: "Platinum", count: 0, movedUp: 0, movedDown: 0, accrualPercent: 12, previousAccrualPercent: null },
    ]);
    // The one receipt's guest is Bronze either way now (lifetime 0): 50 points by 5 %, 70 by 7 %.
    expect(shown.lastThirtyDays).toEqual({ receipts: 1, pointsBefore: 50, pointsAfter: 70 });
    expect(shown.expiry).toBeNull();

    // Previewing wrote nothing; publishing "now" moves the stored tiers at once and makes the new tier a row.
    await publish(cafe, { ...change, effective: { when: "now" } });
    const stored = await db.admin
      .select({ id: guests.id, tier: loyaltyTiers.name })
      .from(guests)
      .innerJoin(loyaltyTiers, eq(loyaltyTiers.id, guests.tierId))
      .where(inArray(guests.id, ids));
    const tierOf = (id: string | undefined) => stored.find((row) => row.id === id)?.tier;
    expect(ids.map(tierOf)).toEqual(["Bronze", "Bronze", "Bronze", "Gold", "Gold"]);
    const [platinum] = await db.admin
      .select()
      .from(loyaltyTiers)
      .where(sql`${loyaltyTiers.tenantId} = ${cafe.tenantId} and ${loyaltyTiers.name} = 'Platinum'`);
    expect(platinum).toMatchObject({ accrualPercent: 12, minSpend: 2_000_000, active: false });
  });
});

describe("expiry changes, not retroactive unless chosen", () => {
  let cafe: Cafe;
  let sleeping: string;
  let recent: string;

  beforeAll(async () => {
    cafe = await createPosTenant(db.app, "rules-expiry");
    const till = posClient(db.app, cafe.key);
    sleeping = await enrol(till);
    recent = await enrol(till);
    await db.admin.update(guests).set({ lastVisitAt: sql`now() - interval '100 days'` }).where(eq(guests.id, sleeping));
    await db.admin.update(guests).set({ lastVisitAt: sql`now() - interval '10 days'` }).where(eq(guests.id, recent));
  });

  it("previews the first day points would expire: from the change, or from the last visit if retroactive", async () => {
    const rules = { ...(await currentRules(cafe)), expireAfterInactiveDays: 30 };
    const tomorrow = addDays(localDateOf(new Date(), ZONE), 1);
    // Not retroactive: both guests' 30 days count from tomorrow 00:00 → both on tomorrow + 30, 100 points each.
    expect((await preview(cafe, { rules, effective: { when: "tomorrow" } })).expiry).toEqual({
      date: addDays(tomorrow, 30),
      guests: 2,
      points: 200,
    });
    // Retroactive: the guest away for 100 days loses them the day the change starts.
    expect((await preview(cafe, { rules, effective: { when: "tomorrow" }, retroactive: true })).expiry).toEqual({
      date: tomorrow,
      guests: 1,
      points: 100,
    });
  });

  it("expires nobody early under a non-retroactive change; a retroactive one counts from the last visit", async () => {
    const rules = await currentRules(cafe);
    await publish(cafe, { rules: { ...rules, expireAfterInactiveDays: 30 }, effective: { when: "now" } });
    expect((await expireInactivePoints(db.app))["rules-expiry"]).toBe(0);
    await publish(cafe, {
      rules: { ...rules, expireAfterInactiveDays: 31 },
      effective: { when: "now" },
      retroactive: true,
    });
    expect((await expireInactivePoints(db.app))["rules-expiry"]).toBe(1);
    const balances = await db.admin
      .select({ id: guests.id, balance: guests.balance })
      .from(guests)
      .where(inArray(guests.id, [sleeping, recent]));
    expect(
      Object.fromEntries(balances.map((row) => [row.id === sleeping ? "sleeping" : "recent", row.balance])),
    ).toEqual({ sleeping: 0, recent: 100 });
  });
});

describe("tier names per language", () => {
  it("starts a café's tiers named in both languages and keeps the names an owner publishes", async () => {
    const cafe = await createPosTenant(db.app, "rules-tier-names");
    const first = await withTenant(cafe.tenantId, (tx) => loadProgram(tx), db.app);
    const bottom = first.tiers[0];
    if (!bottom) throw new Error("no tier");
    expect(tierName(first, bottom.id, "ru")).toBe("Бронза");
    expect(tierName(first, bottom.id, "en")).toBe("Bronze");

    const rules = await currentRules(cafe);
    const renamed: RuleSetInput = {
      ...rules,
      tiers: rules.tiers.map((tier) =>
        tier.id === bottom.id ? { ...tier, name: "Зерно", names: { ru: "Зерно", en: "Bean" } } : tier,
      ),
    };
    await publish(cafe, { rules: renamed, effective: { when: "now" } });
    const after = await withTenant(cafe.tenantId, (tx) => loadProgram(tx), db.app);
    expect(tierName(after, bottom.id, "en")).toBe("Bean");
    expect(tierName(after, bottom.id, "ru")).toBe("Зерно");
    // A language left empty reads the café's own name.
    expect(tierNameIn({ name: "Зерно", names: { ru: "Зерно", en: " " } }, "en")).toBe("Зерно");
  });
});
