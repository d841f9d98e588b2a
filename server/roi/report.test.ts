import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { testDatabase } from "@/db/testing/database";
import { createTenant } from "../tenants/create";
import { type RoiInputs, roiArithmetic, roiReport, updateRoiAssumptions } from "./report";

const db = await testDatabase();
const DAY = 24 * 3600 * 1000;
const NOW = new Date(Date.UTC(2030, 2, 20, 9, 0));
const iso = (at: Date) => at.toISOString();

let tenantId = "";
let locationId = "";
let tierId = "";
let receiptNo = 0;

const inCafe = <T>(work: Parameters<typeof withTenant<T>>[1]) => withTenant(tenantId, work, db.app);

async function guest(tx: Parameters<Parameters<typeof withTenant>[1]>[0], index: number, segment?: string) {
  const [row] = await tx.execute<{ id: string }>(sql`
    insert into guests (tenant_id, name, phone, card_code, qr_secret, tier_id)
    values (${tenantId}, ${`G${index}`}, ${`+7916${String(index).padStart(7, "0")}`}, ${`C${index}`}, 'S', ${tierId})
    returning id`);
  const id = row?.id ?? "";
  if (segment) {
    await tx.execute(sql`
      insert into guest_stats (tenant_id, guest_id, visits, segment) values (${tenantId}, ${id}, 1, ${segment})`);
  }
  return id;
}

async function receipt(
  tx: Parameters<Parameters<typeof withTenant>[1]>[0],
  guestId: string | null,
  at: Date,
  total: number,
  pointsRedeemed = 0,
) {
  receiptNo += 1;
  await tx.execute(sql`
    insert into receipts (tenant_id, location_id, channel, external_id, payload_hash, guest_id, occurred_at, total,
      points_redeemed, response)
    values (${tenantId}, ${locationId}, 'pos', ${`R${receiptNo}`}, ${"0".repeat(64)}, ${guestId},
      ${iso(at)}::timestamptz, ${total}, ${pointsRedeemed}, '{}'::jsonb)`);
}

beforeAll(async () => {
  const created = await db.app.transaction((tx) =>
    createTenant(tx, {
      slug: "roi-cafe",
      name: "ROI",
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      locations: [{ slug: "main", name: "Main", address: "Main, 1" }],
    }),
  );
  tenantId = created.tenant.id;
  locationId = created.locations[0]?.id ?? "";
  await inCafe(async (tx) => {
    const [tier] = await tx.execute<{ id: string }>(sql`select id from loyalty_tiers order by min_spend limit 1`);
    tierId = tier?.id ?? "";
    // Within the last 3 months: 2 guests × 3 visits at 400 ₽ (one paying 50 points), 4 anonymous checks at 300 ₽.
    for (const index of [1, 2]) {
      const id = await guest(tx, index);
      for (const daysAgo of [10, 40, 70]) await receipt(tx, id, new Date(NOW.getTime() - daysAgo * DAY), 40_000);
    }
    await tx.execute(sql`update receipts set points_redeemed = 60 where external_id = 'R1'`);
    for (const daysAgo of [5, 15, 25, 35]) await receipt(tx, null, new Date(NOW.getTime() - daysAgo * DAY), 30_000);
    // Long before: not counted.
    await receipt(tx, null, new Date(NOW.getTime() - 200 * DAY), 999_000);
    // 40 sleeping guests.
    for (let index = 100; index < 140; index++) await guest(tx, index, "sleeping");
  });
}, 60_000);

describe("ROI arithmetic", () => {
  const input = (value: number) => ({ value, source: "measured" as const });
  const inputs: RoiInputs = {
    retainedGuestsPerMonth: input(10),
    visitsPerGuestPerMonth: input(2),
    averageCheck: input(40_000),
    checkUplift: input(5_000),
    identifiedChecksPerMonth: input(100),
    cogsPercent: input(30),
    pointsRedeemedPerMonth: input(1_000),
    pointCost: input(100),
    subscriptionPerMonth: input(299_000),
    winbackPercent: input(5),
    sleepingGuests: input(200),
  };

  it("is retained × visits × check + uplift × checks − goods − points − subscription", () => {
    // 10 × 2 × 400 ₽ = 8 000 ₽; 50 ₽ × 100 = 5 000 ₽; goods 30 % of 13 000 ₽ = 3 900 ₽; points 1 000 ₽.
    expect(roiArithmetic(inputs)).toEqual({
      retentionGain: 800_000,
      checkGain: 500_000,
      costOfGoods: 390_000,
      pointsCost: 100_000,
      subscription: 299_000,
      net: 800_000 + 500_000 - 390_000 - 100_000 - 299_000,
      paybackMonths: 299_000 / 810_000,
    });
  });

  it("never pays back when the effect does not cover goods and points", () => {
    expect(
      roiArithmetic({ ...inputs, retainedGuestsPerMonth: input(0), checkUplift: input(0) }).paybackMonths,
    ).toBeNull();
  });
});

describe("ROI report", () => {
  it("measures the café's checks and, without hold-out results, assumes the win-back share", async () => {
    const report = await inCafe((tx) => roiReport(tx, tenantId, { months: 3, now: NOW }));
    const { inputs } = report;
    expect(inputs.averageCheck).toEqual({ value: Math.round((6 * 40_000 + 4 * 30_000) / 10), source: "measured" });
    expect(inputs.checkUplift).toEqual({ value: 10_000, source: "measured" });
    expect(inputs.identifiedChecksPerMonth).toEqual({ value: 2, source: "measured" });
    expect(inputs.visitsPerGuestPerMonth).toEqual({ value: 1, source: "measured" });
    expect(inputs.pointsRedeemedPerMonth).toEqual({ value: 20, source: "measured" });
    // A point's cost is no measurement: face value (the revenue given up) until the owner says otherwise.
    expect(inputs.pointCost).toEqual({ value: 100, source: "assumption" });
    expect(report.pointsCost).toBe(20 * 100);
    expect(inputs.retainedGuestsPerMonth).toEqual({ value: 2, source: "assumption" });
    expect(inputs.cogsPercent).toEqual({ value: 30, source: "assumption" });
    // The trial's plan (Pro, 2 990 ₽ a location) for each of the café's open locations (createTenant's one).
    expect(inputs.subscriptionPerMonth).toEqual({ value: 299_000, source: "measured" });
    expect(report.holdoutCampaigns).toEqual([]);
    // Only what the café's data says is labelled measured.
    const measured = Object.entries(inputs).flatMap(([key, input]) => (input.source === "measured" ? [key] : []));
    expect(measured.sort()).toEqual(
      [
        "averageCheck",
        "checkUplift",
        "identifiedChecksPerMonth",
        "pointsRedeemedPerMonth",
        "sleepingGuests",
        "subscriptionPerMonth",
        "visitsPerGuestPerMonth",
      ].sort(),
    );
  });

  it("takes the owner's assumptions, and records the change", async () => {
    const [owner] = await db.admin.execute<{ id: string }>(
      sql`insert into users (email) values ('roi-owner@example.com') returning id`,
    );
    await inCafe((tx) =>
      updateRoiAssumptions(tx, {
        tenantId,
        actorUserId: owner?.id ?? "",
        cogsPercent: 35,
        pointCostMinor: 30,
        subscriptionMinor: 100_000,
        winbackPercent: 10,
      }),
    );
    const { inputs } = await inCafe((tx) => roiReport(tx, tenantId, { months: 3, now: NOW }));
    expect(inputs.cogsPercent).toEqual({ value: 35, source: "assumption" });
    expect(inputs.pointCost).toEqual({ value: 30, source: "assumption" });
    expect(inputs.subscriptionPerMonth).toEqual({ value: 100_000, source: "assumption" });
    expect(inputs.retainedGuestsPerMonth).toEqual({ value: 4, source: "assumption" });
    const audit = await inCafe((tx) =>
      tx.execute<{ action: string }>(sql`select action from audit_log where action = 'roi.assumptions_updated'`),
    );
    expect(audit).toHaveLength(1);
  });

  it("counts the guests won back from a win-back campaign's hold-out results", async () => {
    const queued = new Date(NOW.getTime() - 30 * DAY);
    await inCafe(async (tx) => {
      const [campaign] = await tx.execute<{ id: string }>(sql`
        insert into campaigns (tenant_id, name, kind, status, subject, body)
        values (${tenantId}, 'Win back', 'win_back', 'running', 's', 'b') returning id`);
      // 60 sent, 30 came back; 40 held out, 4 came back.
      for (let index = 0; index < 100; index++) {
        const id = await guest(tx, 1000 + index);
        const target = index < 60;
        await tx.execute(sql`
          insert into campaign_sends (tenant_id, campaign_id, guest_id, "group", status, queued_at, sent_at)
          values (${tenantId}, ${campaign?.id}, ${id}, ${target ? "target" : "holdout"}::campaign_send_group,
            ${target ? "sent" : "held_out"}::campaign_send_status, ${iso(queued)}::timestamptz,
            ${target ? iso(queued) : null}::timestamptz)`);
        if ((target && index < 30) || (!target && index < 64)) {
          await receipt(tx, id, new Date(queued.getTime() + 3 * DAY), 40_000);
        }
      }
    });
    const report = await inCafe((tx) => roiReport(tx, tenantId, { months: 3, now: NOW }));
    expect(report.inputs.retainedGuestsPerMonth.source).toBe("holdout");
    expect(report.inputs.retainedGuestsPerMonth.value).toBeCloseTo(((30 / 60 - 4 / 40) * 60) / 3, 10);
    expect(report.holdoutCampaigns).toMatchObject([{ name: "Win back", guests: 60 }]);
    expect(report.retentionGain).toBeGreaterThan(0);
  });
});
