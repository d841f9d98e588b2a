import { and, count, gt, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { locations, memberships, staffInvitations, subscriptions } from "@/db/schema";
import { billingEnabled } from "../env";
import { AppError } from "../errors";
import { cheapestPlanWith, type Feature, type Plan, type PlanId, planOf, UNLIMITED } from "./plans";

/** Days a past_due subscription keeps working while the provider retries the card. */
export const GRACE_DAYS = 7;

/**
 * What the café may do now: "active"; "grace" (past_due within its 7 days: a banner, everything
 * works); "read_only" (trial over, unpaid, cancelled, past_due beyond grace: data kept and
 * exportable, no changes, the POS API answers 402).
 */
export type Access = "active" | "grace" | "read_only";

export type TenantBilling = {
  /** false when billing is off (no STRIPE_SECRET_KEY): every café active with no limits. */
  enabled: boolean;
  planId: PlanId;
  /** The limits in force: the plan's, or none while billing is off. */
  plan: Plan;
  status: string;
  access: Access;
  trialEndsAt: Date | null;
  graceEndsAt: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  interval: string | null;
  quantity: number;
  hasCustomer: boolean;
  /** A provider subscription that still bills (or will): plan changes go through the portal. */
  hasSubscription: boolean;
};

type SubscriptionRow = typeof subscriptions.$inferSelect;

/** The access a stored subscription gives at `now` (pure: the SQL of pos_key_state says the same). */
export function accessOf(row: Pick<SubscriptionRow, "status" | "trialEndsAt" | "pastDueSince">, now: Date): Access {
  const trialRunning = row.trialEndsAt === null || row.trialEndsAt > now;
  switch (row.status) {
    case "active":
      return "active";
    case "trialing":
      return trialRunning ? "active" : "read_only";
    // A first payment still being confirmed does not end a running trial.
    case "incomplete":
      return row.trialEndsAt !== null && row.trialEndsAt > now ? "active" : "read_only";
    case "past_due":
      return row.pastDueSince === null || graceEnd(row.pastDueSince) > now ? "grace" : "read_only";
    default:
      return "read_only";
  }
}

const graceEnd = (since: Date) => new Date(since.getTime() + GRACE_DAYS * 24 * 3600 * 1000);

/** The café's plan, state and limits, for the tenant bound to `tx`. */
export async function tenantBilling(tx: Tx, now = new Date()): Promise<TenantBilling> {
  const [row] = await tx.select().from(subscriptions);
  const enabled = billingEnabled();
  const planId = planOf(row?.plan).id;
  const base = {
    planId,
    status: row?.status ?? "active",
    trialEndsAt: row?.trialEndsAt ?? null,
    graceEndsAt: row?.status === "past_due" && row.pastDueSince ? graceEnd(row.pastDueSince) : null,
    currentPeriodEnd: row?.currentPeriodEnd ?? null,
    cancelAtPeriodEnd: row?.cancelAtPeriodEnd ?? false,
    interval: row?.billingInterval ?? null,
    quantity: row?.quantity ?? 1,
    hasCustomer: Boolean(row?.providerCustomerId),
    hasSubscription:
      Boolean(row?.providerSubscriptionId) && ["active", "trialing", "past_due", "unpaid"].includes(row?.status ?? ""),
  };
  if (!enabled) return { ...base, enabled, plan: UNLIMITED, access: "active" };
  return { ...base, enabled, plan: planOf(row?.plan), access: row ? accessOf(row, now) : "read_only" };
}

/** Refuses any change while the café is read-only (the back-office's writes, online orders). */
export async function assertWritable(tx: Tx): Promise<TenantBilling> {
  const billing = await tenantBilling(tx);
  if (billing.access === "read_only") {
    throw new AppError(
      "payment_required",
      "The café's Zerno subscription is not active: the back-office is read-only until it is paid",
      "subscription_inactive",
    );
  }
  return billing;
}

/** The error a plan limit answers with, naming the plan that allows the request. */
function planLimit(plan: Plan, what: "locations" | "staff" | Feature, allowedBy: PlanId, limit?: number | null) {
  const name = (id: PlanId) => id.charAt(0).toUpperCase() + id.slice(1);
  const message =
    what === "locations" || what === "staff"
      ? `The ${name(plan.id)} plan allows ${limit} ${what === "locations" ? "location(s)" : "staff"}; ${name(allowedBy)} allows more`
      : `${what} is not in the ${name(plan.id)} plan; ${name(allowedBy)} has it`;
  return new AppError("forbidden", message, "plan_limit", { what, plan: plan.id, allowedBy, limit });
}

/** Active (not archived) locations of the café bound to `tx`. */
export async function activeLocationCount(tx: Tx): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(locations).where(isNull(locations.archivedAt));
  return row?.n ?? 0;
}

/** Members plus open invitations (an invitation holds a seat until it is used or expires). */
export async function staffSeatsTaken(tx: Tx, exceptInvitedEmail?: string): Promise<number> {
  const [members] = await tx.select({ n: count() }).from(memberships);
  const open = and(
    isNull(staffInvitations.acceptedAt),
    gt(staffInvitations.expiresAt, sql`now()`),
    exceptInvitedEmail ? sql`lower(${staffInvitations.email}) <> ${exceptInvitedEmail.toLowerCase()}` : undefined,
  );
  const [invited] = await tx.select({ n: count() }).from(staffInvitations).where(open);
  return (members?.n ?? 0) + (invited?.n ?? 0);
}

/**
 * Serialises the café's seat and location changes until the transaction ends, so two requests
 * at once cannot both take the last seat (or archive the last two locations).
 */
export async function lockPlanLimits(tx: Tx): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended('plan-limits:' || current_setting('app.tenant_id', true), 0))`,
  );
}

/** Refuses a new location beyond the plan (checked in the domain, whatever the UI shows). */
export async function assertCanAddLocation(tx: Tx): Promise<void> {
  await lockPlanLimits(tx);
  const billing = await assertWritable(tx);
  const limit = billing.plan.maxLocations;
  if (limit === null) return;
  const taken = await activeLocationCount(tx);
  if (taken + 1 > limit) throw planLimit(billing.plan, "locations", cheapestPlanWith({ locations: taken + 1 }), limit);
}

/** Refuses a new staff seat (an invitation or a new member) beyond the plan. */
export async function assertCanAddStaff(tx: Tx, options: { invitedEmail?: string; accepting?: boolean } = {}) {
  await lockPlanLimits(tx);
  const billing = await assertWritable(tx);
  const limit = billing.plan.maxStaff;
  if (limit === null) return;
  // Accepting turns an invitation's seat into a member's: only the members count then.
  const taken = options.accepting
    ? ((await tx.select({ n: count() }).from(memberships))[0]?.n ?? 0)
    : await staffSeatsTaken(tx, options.invitedEmail);
  if (taken + 1 > limit) throw planLimit(billing.plan, "staff", cheapestPlanWith({ staff: taken + 1 }), limit);
}

/** Refuses what the plan does not include (the online storefront on Start…). */
export async function assertFeature(tx: Tx, feature: Feature): Promise<void> {
  const billing = await assertWritable(tx);
  if (!billing.plan.features.includes(feature)) {
    throw planLimit(billing.plan, feature, cheapestPlanWith({ feature }));
  }
}
