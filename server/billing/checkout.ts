import { eq } from "drizzle-orm";
import { type Database, type Tx, withTenant } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { publicUrl } from "../env";
import { AppError } from "../errors";
import { logger } from "../log";
import type { TenantSummary } from "../tenants/queries";
import { activeLocationCount, staffSeatsTaken, tenantBilling } from "./entitlements";
import {
  type BillingInterval,
  billingCurrencyOf,
  cheapestPlanWith,
  PLANS,
  type PlanId,
  pricePerLocation,
} from "./plans";
import { type BillingProvider, ProviderCustomerMissing, type ProviderInvoice } from "./provider";
import { syncSubscription } from "./sync";

type Actor = { userId: string; email: string; ip: string | null };

const billingPage = (tenant: TenantSummary) => `${publicUrl()}/dashboard/${tenant.slug}/billing`;

/**
 * The café's provider customer, created once and stored in a transaction of its own (committed
 * before anything else can roll back), the row locked meanwhile so two owners make one customer.
 * `missing`: a stored customer the provider said it does not know — a new one takes its place.
 */
async function ensureCustomer(
  db: Database,
  provider: BillingProvider,
  tenant: TenantSummary,
  actor: Actor,
  missing?: string,
) {
  return withTenant(
    tenant.id,
    async (tx) => {
      const [row] = await tx.select().from(subscriptions).for("update");
      if (!row) throw new AppError("not_found", "The café has no subscription", "subscription_missing");
      if (row.providerCustomerId && row.providerCustomerId !== missing) return row.providerCustomerId;
      const customerId = await provider.createCustomer({
        tenantId: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        email: actor.email,
        replacing: missing,
      });
      await tx
        .update(subscriptions)
        .set({ provider: provider.name, providerCustomerId: customerId })
        .where(eq(subscriptions.tenantId, tenant.id));
      if (missing) {
        logger().warn(
          { tenantId: tenant.id, missing, customerId },
          "billing: stored customer unknown to the provider, replaced",
        );
        await recordAudit(tx, {
          tenantId: tenant.id,
          actorKind: "staff",
          actorUserId: actor.userId,
          ip: actor.ip,
          action: "billing.customer_replaced",
          targetType: "subscription",
          meta: { missing, customerId },
        });
      }
      return customerId;
    },
    db,
  );
}

/**
 * Runs `call` with the café's provider customer; when the provider no longer knows the stored
 * one (deleted in its dashboard), makes a new customer once and runs it again.
 */
async function withCustomer<T>(
  db: Database,
  provider: BillingProvider,
  tenant: TenantSummary,
  actor: Actor,
  call: (customerId: string) => Promise<T>,
): Promise<T> {
  const customerId = await ensureCustomer(db, provider, tenant, actor);
  try {
    return await call(customerId);
  } catch (error) {
    if (!(error instanceof ProviderCustomerMissing)) throw error;
    return call(await ensureCustomer(db, provider, tenant, actor, error.customerId));
  }
}

/** Statuses in which the café already pays (or will): a second Checkout would bill it twice. */
const LIVE_SUBSCRIPTION = ["active", "trialing", "past_due", "unpaid"];

/**
 * Starts a Checkout for `plan`, quantity = the café's active locations; returns the page to send
 * the owner to. A plan too small for the café as it is (Start with two locations) is refused.
 */
export async function startCheckout(
  db: Database,
  tx: Tx,
  provider: BillingProvider,
  input: { tenant: TenantSummary; plan: PlanId; interval: BillingInterval; actor: Actor },
): Promise<{ url: string }> {
  const [row] = await tx.select().from(subscriptions);
  if (row?.providerSubscriptionId && LIVE_SUBSCRIPTION.includes(row.status)) {
    // Plan changes of a live subscription go through the portal (prorated), never a second one.
    throw new AppError(
      "conflict",
      "The café already has a subscription: change it in the portal",
      "subscription_exists",
    );
  }
  const locations = Math.max(1, await activeLocationCount(tx));
  const staff = await staffSeatsTaken(tx);
  const plan = PLANS[input.plan];
  if (
    (plan.maxLocations !== null && locations > plan.maxLocations) ||
    (plan.maxStaff !== null && staff > plan.maxStaff)
  ) {
    const allowedBy = cheapestPlanWith({ locations, staff });
    throw new AppError(
      "unprocessable",
      `The café has ${locations} location(s) and ${staff} staff: the ${input.plan} plan is too small (${allowedBy} fits)`,
      "plan_too_small",
      { plan: input.plan, allowedBy, locations, staff },
    );
  }
  const currency = billingCurrencyOf(input.tenant.currency);
  await recordAudit(tx, {
    tenantId: input.tenant.id,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "billing.checkout_started",
    targetType: "subscription",
    meta: {
      plan: input.plan,
      interval: input.interval,
      quantity: locations,
      currency,
      amount: pricePerLocation(input.plan, currency, input.interval) * locations,
    },
  });
  return withCustomer(db, provider, input.tenant, input.actor, (customerId) =>
    provider.createCheckout({
      customerId,
      tenantId: input.tenant.id,
      plan: input.plan,
      currency,
      interval: input.interval,
      quantity: locations,
      successUrl: `${billingPage(input.tenant)}?checkout={CHECKOUT_SESSION_ID}`,
      cancelUrl: billingPage(input.tenant),
    }),
  );
}

/**
 * The owner is back from Checkout: the subscription is re-read from the provider now, so the plan
 * is live whether or not the webhook has arrived. A session of another customer changes nothing.
 */
export async function confirmCheckout(
  tx: Tx,
  provider: BillingProvider,
  input: { tenant: TenantSummary; sessionId: string },
): Promise<"synced" | "pending"> {
  const customerId = await provider.completedCheckoutCustomer(input.sessionId).catch(() => null);
  if (!customerId) return "pending";
  const [row] = await tx.select().from(subscriptions);
  if (row?.providerCustomerId !== customerId) return "pending";
  await syncSubscription(tx, provider, { tenantId: input.tenant.id, customerId, cause: "checkout_return" });
  return "synced";
}

/** The provider's portal (card, plan change, cancellation) for the café's customer. */
export async function openPortal(
  db: Database,
  provider: BillingProvider,
  input: { tenant: TenantSummary; actor: Actor },
): Promise<{ url: string }> {
  return withCustomer(db, provider, input.tenant, input.actor, (customerId) =>
    provider.createPortal({ customerId, returnUrl: billingPage(input.tenant) }),
  );
}

/** The café's latest invoices from the provider (none before the first checkout). */
export async function invoicesOf(tx: Tx, provider: BillingProvider): Promise<ProviderInvoice[] | null> {
  const [row] = await tx.select({ customerId: subscriptions.providerCustomerId }).from(subscriptions);
  if (!row?.customerId) return [];
  // The page must open even when Stripe does not answer (a read-only owner comes here to pay).
  return provider.invoices(row.customerId).catch((error: unknown) => {
    logger().warn({ err: error }, "billing: invoices unavailable");
    return null;
  });
}

/**
 * After a location is added or archived: the provider's quantity follows the active locations
 * (prorated by the provider), and the stored row is synced from it.
 */
export async function syncLocationQuantity(db: Database, provider: BillingProvider, tenantId: string): Promise<void> {
  // No lock is held across Stripe's answer: its webhook for this very change syncs the same row.
  const plan = await withTenant(
    tenantId,
    async (tx) => {
      const [row] = await tx.select().from(subscriptions);
      return row?.providerCustomerId && row.providerSubscriptionId
        ? { customerId: row.providerCustomerId, quantity: Math.max(1, await activeLocationCount(tx)) }
        : null;
    },
    db,
  );
  if (!plan) return;
  const current = await provider.currentSubscription(plan.customerId);
  if (!current?.itemId || current.status === "canceled") return;
  if (current.quantity !== plan.quantity) {
    await provider.setQuantity({ id: current.id, itemId: current.itemId }, plan.quantity);
  }
  await withTenant(
    tenantId,
    (tx) => syncSubscription(tx, provider, { tenantId, customerId: plan.customerId, cause: "locations_changed" }),
    db,
  );
}

/** What the billing page shows: plan, state, limits and their use. */
export async function billingOverview(tx: Tx) {
  const billing = await tenantBilling(tx);
  return {
    ...billing,
    usage: { locations: await activeLocationCount(tx), staff: await staffSeatsTaken(tx) },
  };
}
