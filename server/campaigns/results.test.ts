import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { testDatabase } from "@/db/testing/database";
import { createTenant } from "../tenants/create";
import { campaignResults } from "./results";

const db = await testDatabase();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The campaign's sends were queued on 1 February 2030; the results are read on 20 March. */
const QUEUED = new Date(Date.UTC(2030, 1, 1, 9, 0));
const LATE_QUEUED = new Date(Date.UTC(2030, 2, 15, 9, 0));
const NOW = new Date(Date.UTC(2030, 2, 20, 9, 0));
const CHECK = 30_000;

let tenantId = "";
let otherTenantId = "";
let campaignId = "";
let otherCampaignId = "";

async function cafe(slug: string) {
  const created = await db.app.transaction((tx) =>
    createTenant(tx, {
      slug,
      name: slug,
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      locations: [{ slug: "main", name: "Main", address: "Main, 1" }],
    }),
  );
  return { tenantId: created.tenant.id, locationId: created.locations[0]?.id ?? "" };
}

type Send = {
  group: "target" | "holdout" | "global_control";
  status: string;
  skipReason?: string;
  queuedAt?: Date;
  sent?: boolean;
  delivered?: boolean;
  unsubscribed?: boolean;
  /** Receipts, as days after queued_at (fractions allowed). */
  visits?: number[];
};

/** A café with one win-back campaign (window 14 days) and these sends, each a guest of its own. */
async function campaignWith(slug: string, sends: Send[]) {
  const { tenantId: id, locationId } = await cafe(slug);
  const campaign = await withTenant(
    id,
    async (tx) => {
      const [tier] = await tx.execute<{ id: string }>(sql`select id from loyalty_tiers order by min_spend limit 1`);
      const [row] = await tx.execute<{ id: string }>(sql`
        insert into campaigns (tenant_id, name, kind, status, subject, body, window_days)
        values (${id}, 'Win back', 'win_back', 'running', 'Мы соскучились', 'Ваш {favourite} ждёт', 14) returning id`);
      const campaign = row?.id ?? "";
      let receiptNo = 0;
      for (const [index, send] of sends.entries()) {
        const [guest] = await tx.execute<{ id: string }>(sql`
          insert into guests (tenant_id, name, phone, card_code, qr_secret, tier_id, marketing_opt_in, email)
          values (${id}, ${`Guest ${index}`}, ${`+7916${String(index).padStart(7, "0")}`}, ${`C-${index}`}, 'S',
                  ${tier?.id}, true, ${`g${index}@example.com`}) returning id`);
        const queuedAt = send.queuedAt ?? QUEUED;
        await tx.execute(sql`
          insert into campaign_sends (tenant_id, campaign_id, guest_id, occasion, "group", status, skip_reason,
            queued_at, sent_at, delivered_at, unsubscribed_at)
          values (${id}, ${campaign}, ${guest?.id}, '2030-01-01', ${send.group}::campaign_send_group,
            ${send.status}::campaign_send_status, ${send.skipReason ?? null}::campaign_skip_reason, ${queuedAt.toISOString()}::timestamptz,
            ${send.sent ? new Date(queuedAt.getTime() + HOUR).toISOString() : null}::timestamptz,
            ${send.delivered ? new Date(queuedAt.getTime() + 2 * HOUR).toISOString() : null}::timestamptz,
            ${send.unsubscribed ? new Date(queuedAt.getTime() + 3 * HOUR).toISOString() : null}::timestamptz)`);
        for (const days of send.visits ?? []) {
          receiptNo += 1;
          await tx.execute(sql`
            insert into receipts (tenant_id, location_id, channel, external_id, payload_hash, guest_id, occurred_at,
              total, response)
            values (${id}, ${locationId}, 'pos', ${`R-${receiptNo}`}, ${"0".repeat(64)}, ${guest?.id},
              ${new Date(queuedAt.getTime() + days * DAY).toISOString()}::timestamptz, ${CHECK}, '{}'::jsonb)`);
        }
      }
      return campaign;
    },
    db.app,
  );
  return { tenantId: id, campaignId: campaign, locationId };
}

const repeat = (count: number, send: Send): Send[] => Array.from({ length: count }, () => send);

beforeAll(async () => {
  const sends: Send[] = [
    // 50 target guests came back (10 of them twice), all sent and delivered, two unsubscribed.
    ...repeat(40, { group: "target", status: "delivered", sent: true, delivered: true, visits: [3] }),
    ...repeat(8, { group: "target", status: "delivered", sent: true, delivered: true, visits: [2, 9] }),
    ...repeat(2, {
      group: "target",
      status: "delivered",
      sent: true,
      delivered: true,
      unsubscribed: true,
      visits: [5, 13],
    }),
    // 40 more sent that did not come back in time (a visit the day before the send, one on day 15).
    ...repeat(35, { group: "target", status: "delivered", sent: true, delivered: true, visits: [-1] }),
    ...repeat(5, { group: "target", status: "bounced", sent: true, visits: [15] }),
    ...repeat(5, { group: "target", status: "failed" }),
    // Capped after the draw: never sent, still in the target group (the hold-out was never capped).
    ...repeat(3, { group: "target", status: "skipped", skipReason: "frequency_cap" }),
    // No consent: skipped before the draw, in neither group — even though they came back.
    ...repeat(6, { group: "target", status: "skipped", skipReason: "no_consent", visits: [1] }),
    ...repeat(2, { group: "target", status: "skipped", skipReason: "no_email", visits: [1] }),
    // Held out: 8 of 40 came back; 5 of the global control, one came back.
    ...repeat(8, { group: "holdout", status: "held_out", visits: [4] }),
    ...repeat(32, { group: "holdout", status: "held_out", visits: [20] }),
    { group: "global_control", status: "held_out", visits: [6] },
    ...repeat(4, { group: "global_control", status: "held_out" }),
    // Queued five days before "now": their window is still open.
    ...repeat(4, { group: "target", status: "queued", queuedAt: LATE_QUEUED, visits: [1] }),
  ];
  const main = await campaignWith("results-cafe", sends);
  tenantId = main.tenantId;
  campaignId = main.campaignId;
  // One refund of 10 000 on a target guest's check within the window.
  await withTenant(
    tenantId,
    (tx) =>
      tx.execute(sql`
        insert into refunds (tenant_id, receipt_id, location_id, external_refund_id, payload_hash, amount,
          points_reversed, points_returned, response)
        select tenant_id, id, location_id, 'F-1', ${"0".repeat(64)}, 10000, 0, 0, '{}'::jsonb
        from receipts where external_id = 'R-1'`),
    db.app,
  );
  const other = await campaignWith("results-other", repeat(3, { group: "target", status: "sent", visits: [1] }));
  otherTenantId = other.tenantId;
  otherCampaignId = other.campaignId;
}, 60_000);

const read = (options: Parameters<typeof campaignResults>[3] = {}) =>
  withTenant(tenantId, (tx) => campaignResults(tx, tenantId, campaignId, { now: NOW, ...options }), db.app);

describe("campaign results", () => {
  it("counts what happened to the messages", async () => {
    const { counts } = await read();
    expect(counts).toEqual({
      eligible: 155,
      target: 102,
      queued: 4,
      sent: 90,
      delivered: 85,
      failed: 10,
      complained: 0,
      unsubscribed: 2,
      heldOut: 40,
      globalControl: 5,
      skipped: { no_consent: 6, no_email: 2, frequency_cap: 3, unsubscribed: 0, deleted: 0, archived: 0 },
      windowOpen: 4,
    });
  });

  it("follows each group for the window after the send, from the receipts (less refunds)", async () => {
    const results = await read();
    // Target: 90 sent + 5 failed + 3 capped; not the 8 without consent or email, nor the 4 still open.
    expect(results.target.n).toBe(98);
    expect(results.target.cameBack).toBe(50);
    expect(results.target.cameBackShare).toBeCloseTo(50 / 98, 12);
    expect(results.target.visits.mean).toBeCloseTo(60 / 98, 12);
    expect(results.target.revenue.mean).toBeCloseTo((60 * CHECK - 10_000) / 98, 6);
    // Margin: revenue less the default 30 % cost of goods.
    expect(results.target.margin.mean).toBeCloseTo(((60 * CHECK - 10_000) / 98) * 0.7, 6);
    expect(results.cogsPercent).toBe(30);
    // Control: the 40 held out and the 5 of the global control.
    expect(results.control.n).toBe(45);
    expect(results.control.cameBack).toBe(9);
    expect(results.control.revenue.mean).toBeCloseTo((9 * CHECK) / 45, 6);
  });

  it("gives the incremental effect with its interval, the MDE and a verdict", async () => {
    const results = await read();
    const p1 = 50 / 98;
    const p2 = 9 / 45;
    const se = Math.sqrt((p1 * (1 - p1)) / 98 + (p2 * (1 - p2)) / 45);
    expect(results.incremental.cameBack?.estimate).toBeCloseTo(p1 - p2, 12);
    expect(results.incremental.cameBack?.low).toBeCloseTo(p1 - p2 - 1.959964 * se, 5);
    expect(results.incremental.cameBack?.high).toBeCloseTo(p1 - p2 + 1.959964 * se, 5);
    expect(results.incremental.mde).toBeCloseTo(2.801585 * Math.sqrt(p2 * (1 - p2) * (1 / 98 + 1 / 45)), 5);
    expect(results.verdict).toBe("positive");
    expect(results.incremental.revenuePerGuest?.estimate).toBeCloseTo((60 * CHECK - 10_000) / 98 - (9 * CHECK) / 45, 6);
    expect(results.incremental.revenuePerGuest?.low ?? 0).toBeGreaterThan(0);
  });

  it("puts the attributed figure beside it: every sent guest who bought within the window", async () => {
    const { attributed, incremental } = await read();
    expect(attributed).toEqual({ buyers: 50, revenue: 60 * CHECK - 10_000, sent: 90 });
    // Attribution credits the campaign with far more than it added.
    expect(attributed.revenue).toBeGreaterThan(incremental.revenueTotal?.estimate ?? Number.POSITIVE_INFINITY);
  });

  it("splits by the month the sends were queued, and takes a period", async () => {
    const all = await read();
    expect(all.periods.map((period) => period.month)).toEqual(["2030-02"]);
    expect(all.periods[0]?.target.n).toBe(98);
    const march = await read({ from: new Date(Date.UTC(2030, 2, 1)), to: NOW });
    expect(march.counts.eligible).toBe(4);
    expect(march.target.n).toBe(0);
    expect(march.verdict).toBe("not_enough_data");
    // Later, their window closed, the four March sends count (and came back).
    const later = await read({ from: new Date(Date.UTC(2030, 2, 1)), now: new Date(Date.UTC(2030, 3, 1)) });
    expect(later.target).toMatchObject({ n: 4, cameBack: 4 });
  });

  it("says not enough data for a small campaign", async () => {
    const results = await withTenant(
      otherTenantId,
      (tx) => campaignResults(tx, otherTenantId, otherCampaignId, { now: NOW }),
      db.app,
    );
    expect(results.target.n).toBe(3);
    expect(results.verdict).toBe("not_enough_data");
    expect(results.verdictReason).toBe("small_groups");
  });

  it("knows no campaign of another café", async () => {
    await expect(
      withTenant(tenantId, (tx) => campaignResults(tx, tenantId, otherCampaignId, { now: NOW }), db.app),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
