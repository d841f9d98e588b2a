import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { accessOf } from "../billing/entitlements";
import { billingEnabled } from "../env";

export type TenantReportRow = {
  slug: string;
  name: string;
  plan: string;
  status: string;
  access: string;
  locations: number;
  lastReceiptAt: Date | null;
};

/**
 * Every café for the operator (`npm run zerno -- tenants list`): plan, subscription state, open
 * locations and last receipt. Across all tenants, so it runs as the migrating role, past RLS.
 */
export async function tenantsReport(admin: Database, now = new Date()): Promise<TenantReportRow[]> {
  const rows = await admin.execute<{
    slug: string;
    name: string;
    plan: string | null;
    status: string | null;
    trial_ends_at: string | null;
    past_due_since: string | null;
    locations: number;
    last_receipt_at: string | null;
  }>(sql`
    select t.slug, t.name, s.plan, s.status::text as status, s.trial_ends_at, s.past_due_since,
      (select count(*)::int from locations l where l.tenant_id = t.id and l.archived_at is null) as locations,
      (select max(r.occurred_at) from receipts r where r.tenant_id = t.id) as last_receipt_at
    from tenants t left join subscriptions s on s.tenant_id = t.id
    order by t.slug`);
  const billing = billingEnabled();
  const date = (value: string | null) => (value ? new Date(value) : null);
  return rows.map((row) => ({
    slug: row.slug,
    name: row.name,
    plan: billing ? (row.plan ?? "—") : "unlimited (billing off)",
    status: row.status ?? "—",
    access:
      !billing || !row.status
        ? "active"
        : accessOf(
            {
              status: row.status as "active",
              trialEndsAt: date(row.trial_ends_at),
              pastDueSince: date(row.past_due_since),
            },
            now,
          ),
    locations: row.locations,
    lastReceiptAt: date(row.last_receipt_at),
  }));
}
