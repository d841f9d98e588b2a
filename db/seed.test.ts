import { eq, sql } from "drizzle-orm";
import { authenticator } from "otplib";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../server/auth/password";
import { decryptSecret } from "../server/auth/secrets";
import { campaignResults } from "../server/campaigns/results";
import { paidMoney, pointsEarned, redeemCap, refundPoints, tierFor } from "../server/loyalty/formulas";
import { type Database, withTenant } from "./client";
import {
  campaigns,
  guestConsents,
  guests,
  hintRules,
  ledgerEntries,
  locations,
  loyaltyPrograms,
  loyaltyTiers,
  membershipLocations,
  memberships,
  productAvailability,
  products,
  receiptLines,
  receipts,
  redemptions,
  refunds,
  subscriptions,
  surveyQuestions,
  surveys,
  tenants,
  users,
} from "./schema";
import { DEMO_PASSWORD, DEMO_STAFF, DEMO_TOTP_SECRETS, NORTH_TOTP_SECRET, type SeedResult, seed } from "./seed";
import { testDatabase } from "./testing/database";

const db = await testDatabase();
/** A second, empty database: seeding it with the same `now` must tell the same story. */
const replica = await testDatabase();

// A Monday, 12:30 in Moscow: today's morning checks exist, the afternoon's do not yet.
const NOW = new Date("2026-03-16T09:30:00Z");
const DAY_MS = 24 * 60 * 60 * 1000;

let firstRun: SeedResult;
let tenantIds: Record<"demo" | "north", string>;

beforeAll(async () => {
  // Seeded through the application role: every insert has to pass row-level security.
  firstRun = await seed(db.app, { now: NOW });
  const rows = await db.admin.select({ id: tenants.id, slug: tenants.slug }).from(tenants);
  tenantIds = {
    demo: rows.find((row) => row.slug === "demo")?.id ?? "",
    north: rows.find((row) => row.slug === "north")?.id ?? "",
  };
}, 120_000);

/** Row counts of every table in the database (as the superuser, who sees every tenant). */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await db.admin.execute<{ name: string }>(
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await db.admin.execute<{ count: number }>(
      sql`select count(*)::int as count from ${sql.identifier(name)}`,
    );
    counts[name] = row?.count ?? -1;
  }
  return counts;
}

/** Everything the loyalty rules touch, read as the app reads it: through RLS, bound to the tenant. */
function loyaltyData(tenantId: string) {
  return withTenant(
    tenantId,
    async (tx) => ({
      tiers: await tx.select().from(loyaltyTiers),
      program: (await tx.select().from(loyaltyPrograms))[0],
      guests: await tx.select().from(guests),
      receipts: await tx.select().from(receipts).orderBy(receipts.occurredAt),
      refunds: await tx.select().from(refunds).orderBy(refunds.createdAt),
      redemptions: await tx.select().from(redemptions),
      ledger: await tx.select().from(ledgerEntries).orderBy(ledgerEntries.id),
    }),
    db.app,
  );
}

type LoyaltyData = Awaited<ReturnType<typeof loyaltyData>>;

/**
 * Replays each guest's receipts and refunds in time order with the formulas of POS-API.md and
 * lists every stored number that disagrees (an empty list means the history is consistent).
 */
function replayMismatches(data: LoyaltyData): string[] {
  const mismatches: string[] = [];
  const receiptsById = new Map(data.receipts.map((receipt) => [receipt.id, receipt]));
  type Event = { at: number; receipt: (typeof data.receipts)[number]; refund?: (typeof data.refunds)[number] };
  const events: Event[] = [
    ...data.receipts.map((receipt) => ({ at: receipt.occurredAt.getTime(), receipt })),
    ...data.refunds.map((refund) => {
      const receipt = receiptsById.get(refund.receiptId);
      if (!receipt) throw new Error(`refund ${refund.id} of an unknown receipt`);
      return { at: refund.createdAt.getTime(), receipt, refund };
    }),
  ].sort((a, b) => a.at - b.at);

  const lifetime = new Map<string, number>();
  const refunded = new Map<string, { money: number; reversed: number; returned: number }>();
  for (const { receipt, refund } of events) {
    const guestId = receipt.guestId;
    if (!guestId) {
      if (receipt.pointsEarned !== 0 || receipt.pointsRedeemed !== 0)
        mismatches.push(`${receipt.externalId}: anonymous with points`);
      continue;
    }
    const paid = lifetime.get(guestId) ?? 0;
    if (refund) {
      const before = refunded.get(receipt.id) ?? { money: 0, reversed: 0, returned: 0 };
      const expected = refundPoints({
        total: receipt.total,
        pointsEarned: receipt.pointsEarned,
        pointsRedeemed: receipt.pointsRedeemed,
        refundedBefore: before.money,
        amount: refund.amount,
        reversedBefore: before.reversed,
        returnedBefore: before.returned,
      });
      if (expected.pointsReversed !== refund.pointsReversed || expected.pointsReturned !== refund.pointsReturned) {
        mismatches.push(`${refund.externalRefundId}: points ${JSON.stringify(expected)} expected`);
      }
      refunded.set(receipt.id, {
        money: before.money + refund.amount,
        reversed: before.reversed + refund.pointsReversed,
        returned: before.returned + refund.pointsReturned,
      });
      lifetime.set(guestId, paid - (refund.amount - refund.pointsReturned * 100));
      continue;
    }
    const tierBefore = tierFor(paid, data.tiers);
    const earned = pointsEarned(receipt.total, receipt.pointsRedeemed, tierBefore.accrualPercent);
    if (receipt.pointsEarned !== earned)
      mismatches.push(`${receipt.externalId}: earned ${receipt.pointsEarned}, not ${earned}`);
    lifetime.set(guestId, paid + paidMoney(receipt.total, receipt.pointsRedeemed));
  }

  for (const guest of data.guests) {
    const paid = lifetime.get(guest.id) ?? 0;
    if (guest.lifetimePaid !== paid)
      mismatches.push(`guest ${guest.id}: lifetimePaid ${guest.lifetimePaid}, not ${paid}`);
    if (guest.tierId !== tierFor(paid, data.tiers).id) mismatches.push(`guest ${guest.id}: wrong tier`);
  }
  return mismatches;
}

describe("seed", () => {
  it("creates both tenants once; a second run creates nothing and changes no row count", async () => {
    expect(firstRun.tenants).toEqual([
      { slug: "demo", created: true },
      { slug: "north", created: true },
    ]);
    const before = await rowCounts();
    const secondRun = await seed(db.app, { now: new Date(NOW.getTime() + DAY_MS) });
    expect(secondRun.tenants).toEqual([
      { slug: "demo", created: false },
      { slug: "north", created: false },
    ]);
    expect(await rowCounts()).toEqual(before);
  });

  it("sets up «Зерно»: two cafés, the default loyalty program, a real menu and an active plan", async () => {
    const demo = await withTenant(
      tenantIds.demo,
      async (tx) => ({
        tenant: (await tx.select().from(tenants).where(eq(tenants.slug, "demo")))[0],
        locations: await tx.select().from(locations).orderBy(locations.slug),
        tiers: await tx.select().from(loyaltyTiers).orderBy(loyaltyTiers.minSpend),
        program: (await tx.select().from(loyaltyPrograms))[0],
        products: await tx.select().from(products),
        availability: await tx.select().from(productAvailability),
        guestCount: (await tx.select({ n: sql<number>`count(*)::int` }).from(guests))[0]?.n,
        subscription: (await tx.select().from(subscriptions))[0],
      }),
      db.app,
    );
    expect(demo.tenant).toMatchObject({ name: "Зерно", currency: "RUB", timezone: "Europe/Moscow", locale: "ru" });
    expect(demo.locations.map((location) => location.slug)).toEqual(["arbat", "tverskaya"]);
    expect(demo.locations[0]?.openingHours["1"]).toEqual([["07:30", "22:00"]]);
    expect(demo.locations[0]?.openingHours["6"]).toEqual([["09:00", "22:00"]]);
    expect(demo.tiers.map(({ name, accrualPercent, minSpend }) => ({ name, accrualPercent, minSpend }))).toEqual([
      { name: "Bronze", accrualPercent: 5, minSpend: 0 },
      { name: "Silver", accrualPercent: 7, minSpend: 500_000 },
      { name: "Gold", accrualPercent: 10, minSpend: 1_500_000 },
    ]);
    expect(demo.program).toMatchObject({ maxRedeemPercent: 30, welcomeBonus: 100 });
    expect(demo.guestCount).toBeGreaterThanOrEqual(300);

    expect(demo.products.length).toBeGreaterThanOrEqual(25);
    const cappuccino = demo.products.find((product) => product.sku === "cappuccino");
    expect(cappuccino?.price).toBeGreaterThanOrEqual(25_000);
    expect(cappuccino?.price).toBeLessThanOrEqual(30_000);
    expect(demo.products.some((product) => product.dailyLimit !== null)).toBe(true);
    expect(demo.availability).toHaveLength(2 * demo.products.length);
    const arbatId = demo.locations[0]?.id;
    expect(demo.availability.some((row) => row.locationId === arbatId && !row.available)).toBe(true);

    expect(demo.subscription).toMatchObject({ plan: "pro", status: "active" });
    expect(demo.subscription?.currentPeriodEnd?.getTime()).toBe(NOW.getTime() + 30 * DAY_MS);
  });

  it("gives the demo staff the shared password, TOTP for owner and manager, and their roles", async () => {
    const staff = await db.admin.select().from(users).where(sql`${users.email} like '%.zerno.local'`);
    const byEmail = new Map(staff.map((user) => [user.email, user]));
    expect(DEMO_STAFF.map((member) => member.email).every((email) => byEmail.has(email))).toBe(true);

    const owner = byEmail.get("owner@demo.zerno.local");
    expect(await verifyPassword(owner?.passwordHash ?? "", DEMO_PASSWORD)).toBe(true);
    const secrets = {
      "owner@demo.zerno.local": DEMO_TOTP_SECRETS.owner,
      "manager@demo.zerno.local": DEMO_TOTP_SECRETS.manager,
      "owner@north.zerno.local": NORTH_TOTP_SECRET,
    };
    for (const [email, secret] of Object.entries(secrets)) {
      const user = byEmail.get(email);
      expect(user?.totpEnabledAt).not.toBeNull();
      expect(decryptSecret(user?.totpSecretEncrypted ?? "")).toBe(secret);
      expect(authenticator.check(authenticator.generate(secret), secret)).toBe(true);
    }
    expect(byEmail.get("barista@demo.zerno.local")?.totpSecretEncrypted).toBeNull();

    const roles = await withTenant(
      tenantIds.demo,
      (tx) =>
        tx
          .select({ email: users.email, role: memberships.role, location: locations.slug })
          .from(memberships)
          .innerJoin(users, eq(users.id, memberships.userId))
          .leftJoin(membershipLocations, eq(membershipLocations.membershipId, memberships.id))
          .leftJoin(locations, eq(locations.id, membershipLocations.locationId))
          .orderBy(users.email),
      db.app,
    );
    expect(roles).toEqual([
      { email: "barista@demo.zerno.local", role: "barista", location: "tverskaya" },
      { email: "manager@demo.zerno.local", role: "manager", location: "tverskaya" },
      { email: "owner@demo.zerno.local", role: "owner", location: null },
    ]);
  });

  it("enrols demo guests with +7 9XX phones, card codes and recorded consent", async () => {
    const demo = await withTenant(
      tenantIds.demo,
      async (tx) => ({ guests: await tx.select().from(guests), consents: await tx.select().from(guestConsents) }),
      db.app,
    );
    expect(demo.guests.every((guest) => /^\+79\d{9}$/.test(guest.phone ?? ""))).toBe(true);
    expect(demo.guests.every((guest) => /^\d{9}$/.test(guest.cardCode) && guest.qrSecret.length >= 16)).toBe(true);
    expect(demo.guests.filter((guest) => guest.birthday).length / demo.guests.length).toBeGreaterThan(0.5);
    const consentsOf = (kind: string) => new Set(demo.consents.filter((c) => c.kind === kind).map((c) => c.guestId));
    expect(consentsOf("personal_data").size).toBe(demo.guests.length);
    expect(demo.consents.every((consent) => consent.granted && consent.textVersion === "2026-01")).toBe(true);
    const optedIn = demo.guests.filter((guest) => guest.marketingOptIn);
    expect([...consentsOf("marketing")].sort()).toEqual(optedIn.map((guest) => guest.id).sort());
    expect(optedIn.length / demo.guests.length).toBeGreaterThan(0.45);
    expect(optedIn.length / demo.guests.length).toBeLessThan(0.75);
  });

  it("adds the default hint, a three-question survey, a win-back campaign draft and a finished win-back that worked", async () => {
    const demo = await withTenant(
      tenantIds.demo,
      async (tx) => {
        const all = await tx.select().from(campaigns).orderBy(campaigns.status);
        const finished = all.find((campaign) => campaign.status === "finished");
        return {
          hints: await tx.select().from(hintRules),
          surveys: await tx.select().from(surveys),
          questions: await tx.select().from(surveyQuestions).orderBy(surveyQuestions.sortOrder),
          campaigns: all,
          results: finished ? await campaignResults(tx, tenantIds.demo, finished.id, { now: NOW }) : null,
        };
      },
      db.app,
    );
    expect(demo.hints).toMatchObject([
      { ifSku: "cappuccino", suggestSku: "filter-ethiopia", text: "Предложите новый сорт из Эфиопии (+50 ₽)" },
    ]);
    expect(demo.surveys).toMatchObject([{ afterVisits: 3, active: true }]);
    expect(demo.questions.map((question) => question.kind)).toEqual(["rating", "choice", "text"]);
    expect(demo.campaigns).toMatchObject([
      { kind: "win_back", status: "draft", segment: { sleepingDays: 30 } },
      { kind: "win_back", status: "finished" },
    ]);
    // Its results page is never empty: the real results, from the seeded sends and checks, show the effect.
    expect(demo.results?.verdict).toBe("positive");
    expect(demo.results?.incremental.cameBack?.low).toBeGreaterThan(0);
  });

  describe.each(["demo", "north"] as const)("loyalty history of %s", (slug) => {
    let data: LoyaltyData;
    beforeAll(async () => {
      data = await loyaltyData(tenantIds[slug]);
    });

    it("keeps every guest's balance equal to the sum of their ledger", () => {
      const sums = new Map<string, number>();
      for (const entry of data.ledger) sums.set(entry.guestId, (sums.get(entry.guestId) ?? 0) + entry.delta);
      const off = data.guests.filter((guest) => guest.balance !== (sums.get(guest.id) ?? 0));
      expect(off).toEqual([]);
      expect(data.ledger.filter((entry) => entry.kind === "welcome_bonus")).toHaveLength(data.guests.length);
    });

    it("earns points by the tier held before each check and derives lifetime money and tiers from receipts and refunds", () => {
      expect(replayMismatches(data)).toEqual([]);
    });

    it("books every accrual, hold and refund movement in the ledger at the time it happened", () => {
      const ledgerBy = (kind: string, key: (entry: LoyaltyData["ledger"][number]) => string | null) =>
        new Map(data.ledger.filter((entry) => entry.kind === kind).map((entry) => [key(entry), entry]));
      const accruals = ledgerBy("accrual", (entry) => entry.receiptId);
      const holds = ledgerBy("redemption_hold", (entry) => entry.redemptionId);
      const redemptionsById = new Map(data.redemptions.map((redemption) => [redemption.id, redemption]));
      for (const receipt of data.receipts) {
        const accrual = accruals.get(receipt.id);
        expect(accrual?.delta ?? 0).toBe(receipt.pointsEarned);
        if (accrual) expect(accrual.createdAt).toEqual(receipt.occurredAt);
        if (!receipt.redemptionId) {
          expect(receipt.pointsRedeemed).toBe(0);
          continue;
        }
        const redemption = redemptionsById.get(receipt.redemptionId);
        expect(redemption).toMatchObject({
          status: "committed",
          points: receipt.pointsRedeemed,
          guestId: receipt.guestId,
        });
        expect(holds.get(receipt.redemptionId)?.delta).toBe(-receipt.pointsRedeemed);
        expect(receipt.pointsRedeemed).toBeLessThanOrEqual(
          redeemCap(receipt.total, data.program?.maxRedeemPercent ?? 0),
        );
      }
      for (const refund of data.refunds) {
        const moves = data.ledger
          .filter((entry) => entry.refundId === refund.id)
          .map(({ kind, delta }) => [kind, delta]);
        const expected = [
          ["refund_reversal", -refund.pointsReversed],
          ["refund_return", refund.pointsReturned],
        ].filter(([, delta]) => delta !== 0);
        expect(moves).toEqual(expected);
      }
    });

    it("has receipts whose totals add up, numbered uniquely per café, all before now", async () => {
      const lines = await withTenant(tenantIds[slug], (tx) => tx.select().from(receiptLines), db.app);
      const lineSums = new Map<string, number>();
      for (const line of lines) lineSums.set(line.receiptId, (lineSums.get(line.receiptId) ?? 0) + line.amount);
      expect(data.receipts.filter((receipt) => lineSums.get(receipt.id) !== receipt.total)).toEqual([]);
      const numbers = new Set(data.receipts.map((receipt) => `${receipt.locationId}/${receipt.externalId}`));
      expect(numbers.size).toBe(data.receipts.length);
      expect(data.receipts.every((receipt) => receipt.occurredAt < NOW)).toBe(true);
      // POS checks carry the till's numbers; online receipts are picked-up orders (db/seed-analytics.ts).
      const numbered = (receipt: (typeof data.receipts)[number]) =>
        receipt.channel === "pos"
          ? /^[A-Z]-\d{6}$/.test(receipt.externalId)
          : receipt.orderId !== null && /^order-\d{3}A-[A-Z]-\d{6}$/.test(receipt.externalId);
      expect(data.receipts.filter((receipt) => !numbered(receipt))).toEqual([]);
    });
  });

  it("tells a demo story: anonymous fiscal checks, sleeping guests, redemptions and partial refunds", async () => {
    const data = await loyaltyData(tenantIds.demo);
    const anonymous = data.receipts.filter((receipt) => receipt.guestId === null);
    expect(anonymous.length / data.receipts.length).toBeGreaterThan(0.18);
    expect(anonymous.length / data.receipts.length).toBeLessThan(0.32);
    expect(
      anonymous.every((r) => /^\d{16}$/.test(r.fiscalFn ?? "") && /^\d{10}$/.test(r.fiscalFp ?? "") && r.fiscalFd),
    ).toBe(true);

    const monthAgo = NOW.getTime() - 30 * DAY_MS;
    const sleeping = data.guests.filter((guest) => guest.lastVisitAt && guest.lastVisitAt.getTime() < monthAgo);
    expect(sleeping.length / data.guests.length).toBeGreaterThan(0.1);

    expect(data.redemptions.length).toBeGreaterThan(100);
    expect(data.refunds.length).toBeGreaterThanOrEqual(8);
    const totals = new Map(data.receipts.map((receipt) => [receipt.id, receipt.total]));
    expect(data.refunds.some((refund) => refund.amount < (totals.get(refund.receiptId) ?? 0))).toBe(true);
    expect(new Set(data.guests.map((guest) => guest.tierId)).size).toBe(3);
  });

  it("tells the same story on every run for the same `now` (ids and secrets aside)", async () => {
    await seed(replica.app, { now: NOW });
    const story = async (database: Database) => ({
      guests: await database.execute(sql`
        select t.slug, g.phone, g.name, g.email, g.card_code, g.balance, g.lifetime_paid, g.last_visit_at
        from guests g join tenants t on t.id = g.tenant_id order by t.slug, g.phone`),
      receipts: await database.execute(sql`
        select t.slug, r.external_id, r.occurred_at, r.total, r.points_redeemed, r.points_earned, r.fiscal_fp, g.phone
        from receipts r join tenants t on t.id = r.tenant_id left join guests g on g.id = r.guest_id
        order by t.slug, r.external_id`),
    });
    const [original, repeated] = await Promise.all([story(db.admin), story(replica.admin)]);
    expect(repeated.guests).toEqual(original.guests);
    expect(repeated.receipts).toEqual(original.receipts);
  });

  it("has the morning peak of a coffee shop on weekdays", async () => {
    const hours = await withTenant(
      tenantIds.demo,
      (tx) =>
        tx.execute<{ hour: number; checks: number }>(sql`
          select extract(hour from occurred_at at time zone 'Europe/Moscow')::int as hour, count(*)::int as checks
          from receipts where extract(isodow from occurred_at at time zone 'Europe/Moscow') < 6
          group by 1 order by 2 desc`),
      db.app,
    );
    expect([8, 9]).toContain(hours[0]?.hour);
  });

  it("shows north's guests only to north: no demo guest is visible inside north's tenant binding", async () => {
    const demoGuest = await withTenant(
      tenantIds.demo,
      async (tx) => (await tx.select().from(guests).limit(1))[0],
      db.app,
    );
    const seenFromNorth = await withTenant(
      tenantIds.north,
      async (tx) => ({
        all: await tx.select({ tenantId: guests.tenantId }).from(guests),
        demoGuest: await tx
          .select()
          .from(guests)
          .where(eq(guests.id, demoGuest?.id ?? "")),
      }),
      db.app,
    );
    expect(seenFromNorth.all.length).toBeGreaterThanOrEqual(15);
    expect(seenFromNorth.all.every((guest) => guest.tenantId === tenantIds.north)).toBe(true);
    expect(seenFromNorth.demoGuest).toEqual([]);
  });
});
