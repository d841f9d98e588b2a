import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { seed } from "@/db/seed";
import { seedFinishedCampaign } from "@/db/seed/finished-campaign";
import { TENANT_SPECS } from "@/db/seed/spec";
import { testDatabase } from "@/db/testing/database";
import { campaignResults } from "@/server/campaigns/results";

const db = await testDatabase();
// As db/seed.test.ts: a Monday, 12:30 in Moscow.
const NOW = new Date("2026-03-16T09:30:00Z");
let tenantId = "";

beforeAll(async () => {
  await seed(db.app, { now: NOW });
  const [row] = await db.admin.execute<{ id: string }>(sql`select id from tenants where slug = 'demo'`);
  tenantId = row?.id ?? "";
  const spec = TENANT_SPECS.find((candidate) => candidate.tenant.slug === "demo");
  if (spec) await withTenant(tenantId, (tx) => seedFinishedCampaign(tx, spec, NOW), db.app);
}, 180_000);

it("seeds a finished win-back whose messaged guests came back more often than the held-out ones", async () => {
  const results = await withTenant(
    tenantId,
    async (tx) => {
      const [campaign] = await tx.execute<{ id: string }>(
        sql`select id from campaigns where kind = 'win_back' and status = 'finished'`,
      );
      return campaignResults(tx, tenantId, campaign?.id ?? "", { now: NOW });
    },
    db.app,
  );
  expect(results.target.n).toBeGreaterThan(0);
  expect(results.control.n).toBeGreaterThan(0);
  expect(results.counts.skipped.no_consent).toBeGreaterThan(0);
  expect(results.control.cameBackShare ?? 1).toBeLessThan(results.target.cameBackShare ?? 0);
  expect(results.incremental.cameBack?.estimate ?? 0).toBeGreaterThan(0);
  // Attribution (every messaged guest who bought) claims more than the campaign added.
  expect(results.attributed.revenue).toBeGreaterThan(results.incremental.revenueTotal?.estimate ?? 0);
});
