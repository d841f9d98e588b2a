import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { seed } from "@/db/seed";
import { testDatabase } from "@/db/testing/database";
import { inHoldout } from "@/server/campaigns/audience";
import { type CampaignResults, campaignResults } from "@/server/campaigns/results";

const db = await testDatabase();
// As db/seed.test.ts: a Monday, 12:30 in Moscow.
const NOW = new Date("2026-03-16T09:30:00Z");
let tenantId = "";
let campaign: { id: string; holdout_percent: number; status: string; finished_at: Date };
let results: CampaignResults;

beforeAll(async () => {
  await seed(db.app, { now: NOW });
  const [row] = await db.admin.execute<{ id: string }>(sql`select id from tenants where slug = 'demo'`);
  tenantId = row?.id ?? "";
  await withTenant(
    tenantId,
    async (tx) => {
      const [finished] = await tx.execute<typeof campaign>(sql`
        select id, holdout_percent, status, finished_at from campaigns where kind = 'win_back' and status = 'finished'`);
      if (!finished) throw new Error("the demo has no finished win-back");
      campaign = finished;
      // The seed's story is anchored at NOW, so the results are asked at NOW.
      results = await campaignResults(tx, tenantId, campaign.id, { now: NOW });
    },
    db.app,
  );
}, 180_000);

it("seeds one finished win-back whose messaged guests came back more often than the held-out ones, beyond doubt", () => {
  expect(new Date(campaign.finished_at).getTime()).toBeLessThan(NOW.getTime());
  expect(results.verdict).toBe("positive");
  expect(results.counts.windowOpen).toBe(0);
  expect(results.target.n).toBeGreaterThanOrEqual(150);
  expect(results.control.n).toBeGreaterThanOrEqual(30);
  expect(results.incremental.cameBack?.low ?? 0).toBeGreaterThan(0);
  expect(results.incremental.revenuePerGuest?.low ?? 0).toBeGreaterThan(0);
  // Guests without consent or email are counted, not messaged, and stay out of the comparison.
  expect(results.counts.skipped.no_consent).toBeGreaterThan(0);
  expect(results.counts.skipped.no_email).toBeGreaterThan(0);
  expect(results.counts.sent).toBe(results.target.n);
  expect(results.counts.eligible).toBe(
    results.target.n + results.control.n + results.counts.skipped.no_consent + results.counts.skipped.no_email,
  );
  // Attribution (every messaged guest who bought) claims more than the campaign added.
  expect(results.attributed.revenue).toBeGreaterThan(results.incremental.revenueTotal?.estimate ?? 0);
});

it("puts each guest in the group the engine's hash gives them, and messages only consenting guests with email", async () => {
  const rows = await withTenant(
    tenantId,
    (tx) =>
      tx.execute<{ guest_id: string; group: string; status: string; opted_in: boolean; email: string | null }>(sql`
        select s.guest_id, s."group", s.status, g.marketing_opt_in as opted_in, g.email
        from campaign_sends s join guests g on g.id = s.guest_id where s.campaign_id = ${campaign.id}`),
    db.app,
  );
  const drawn = rows.filter((row) => row.status !== "skipped");
  expect(drawn.length).toBeGreaterThan(0);
  const disagreeing = drawn.filter(
    (row) => inHoldout(tenantId, campaign.id, row.guest_id, campaign.holdout_percent) !== (row.group === "holdout"),
  );
  expect(disagreeing).toEqual([]);
  expect(drawn.every((row) => row.opted_in && row.email)).toBe(true);
  expect(rows.filter((row) => row.status === "delivered").every((row) => row.group === "target")).toBe(true);
});
