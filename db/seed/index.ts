/**
 * Demo data: «Зерно», a Moscow coffee chain with two cafés and ~90 days of history (tenant `demo`),
 * and «North Roast», a one-café tenant in Hamburg (tenant `north`) that proves the isolation.
 *
 * One generator serves both: a tenant is described by a `TenantSpec` (menu, people, habits), the
 * history is simulated in memory with a seeded PRNG (the same story every run, relative to `now`),
 * then the loyalty book walks every check in time order with the formulas of POS-API.md, and the
 * rows are bulk-inserted in one transaction per tenant. A tenant that already exists is skipped.
 */
import { hashPassword } from "../../server/auth/password";
import type { Database } from "../client";
import { finishDemoAnalytics } from "../seed-analytics";
import { once } from "./helpers";
import { TENANT_SPECS } from "./spec";
import { seedTenant, tenantExists } from "./tenant";

export { DEMO_STAFF, DEMO_TOTP_SECRETS, NORTH_TOTP_SECRET } from "./spec";

/** The one password of every demo staff account. */
export const DEMO_PASSWORD = "zerno-demo-2026";

export type SeedResult = { tenants: { slug: string; created: boolean }[] };

/**
 * Creates the demo tenants that do not exist yet, one transaction each; an existing slug is left
 * untouched, so running it again is a no-op. `now` anchors the simulated history (default: now).
 */
export async function seed(db: Database, options: { now?: Date } = {}): Promise<SeedResult> {
  const now = options.now ?? new Date();
  // argon2id is deliberately slow: hash once, and only if some tenant is actually created.
  const passwordHash = once(() => hashPassword(DEMO_PASSWORD));
  const result: SeedResult = { tenants: [] };
  for (const spec of TENANT_SPECS) {
    const created = await db.transaction(async (tx) => {
      if (await tenantExists(tx, spec.tenant.slug)) return false;
      await seedTenant(tx, spec, now, await passwordHash());
      await finishDemoAnalytics(tx, now);
      return true;
    });
    result.tenants.push({ slug: spec.tenant.slug, created });
  }
  return result;
}
