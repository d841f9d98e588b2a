import { withTenant } from "@/db/client";
import { billingEnabled } from "../env";
import { type TenantBilling, tenantBilling } from "./entitlements";

export type BillingNotice =
  | { kind: "trial"; until: Date; daysLeft: number }
  | { kind: "grace"; until: Date | null }
  | { kind: "read_only"; status: string };

const TRIAL_NOTICE_DAYS = 14;

/** What the back-office says of the subscription on every page (trial, grace, read-only), or null. */
export function noticeOf(billing: TenantBilling, now = new Date()): BillingNotice | null {
  if (!billing.enabled) return null;
  if (billing.access === "read_only") return { kind: "read_only", status: billing.status };
  if (billing.access === "grace") return { kind: "grace", until: billing.graceEndsAt };
  if (billing.status === "trialing" && billing.trialEndsAt) {
    const daysLeft = Math.max(0, Math.ceil((billing.trialEndsAt.getTime() - now.getTime()) / 86_400_000));
    if (daysLeft <= TRIAL_NOTICE_DAYS) return { kind: "trial", until: billing.trialEndsAt, daysLeft };
  }
  return null;
}

/** The notice of one café, read in a transaction bound to it. */
export async function billingNotice(tenantId: string): Promise<BillingNotice | null> {
  // Billing off: nothing to say, and no transaction for it on every back-office page.
  if (!billingEnabled()) return null;
  return withTenant(tenantId, async (tx) => noticeOf(await tenantBilling(tx)));
}
