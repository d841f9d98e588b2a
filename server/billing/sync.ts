import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { recordAudit } from "../audit/record";
import type { BillingProvider, ProviderSubscription } from "./provider";

/**
 * Copies the customer's subscription as the provider holds it now onto the café bound to `tx`.
 * Webhooks arrive late, twice and out of order; the provider's current state does not (documenso's
 * sync-stripe-customer-subscription, unkey's webhook): every path that learns "something changed"
 * ends here, so a stale `updated` can never overwrite a `canceled`.
 */
export async function syncSubscription(
  tx: Tx,
  provider: BillingProvider,
  input: { tenantId: string; customerId: string; cause: string },
): Promise<ProviderSubscription | null> {
  // Locked before Stripe is read: two syncs of one café (two webhooks, a webhook and the success
  // page) then read and write one after the other, and the later read is the one stored.
  const [stored] = await tx.select().from(subscriptions).for("update");
  const current = await provider.currentSubscription(input.customerId);
  if (!stored) throw new Error(`café ${input.tenantId} has no subscription row`);
  if (!current) {
    // A checkout begun and abandoned: the trial (or whatever was stored) goes on.
    await tx
      .update(subscriptions)
      .set({ providerCustomerId: input.customerId, syncedAt: sql`now()` })
      .where(eq(subscriptions.tenantId, input.tenantId));
    return null;
  }
  const changes = {
    provider: provider.name,
    providerCustomerId: input.customerId,
    providerSubscriptionId: current.id,
    providerPriceId: current.priceId,
    plan: current.plan ?? stored.plan,
    status: current.status,
    billingInterval: current.interval,
    quantity: current.quantity,
    cancelAtPeriodEnd: current.cancelAtPeriodEnd,
    currentPeriodEnd: current.currentPeriodEnd,
    // The trial we granted at sign-up stays on record when the paid subscription has none.
    trialEndsAt: current.trialEndsAt ?? stored.trialEndsAt,
    // Grace counts from the first time we saw it past due, not from each redelivery.
    pastDueSince: current.status === "past_due" ? (stored.pastDueSince ?? new Date()) : null,
    syncedAt: new Date(),
    updatedAt: new Date(),
  };
  await tx.update(subscriptions).set(changes).where(eq(subscriptions.tenantId, input.tenantId));
  const changed =
    stored.plan !== changes.plan ||
    stored.status !== changes.status ||
    stored.quantity !== changes.quantity ||
    stored.billingInterval !== changes.billingInterval ||
    stored.cancelAtPeriodEnd !== changes.cancelAtPeriodEnd;
  if (changed) {
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKind: "system",
      action: "billing.subscription_changed",
      targetType: "subscription",
      targetId: current.id,
      meta: {
        cause: input.cause,
        from: { plan: stored.plan, status: stored.status, quantity: stored.quantity },
        to: { plan: changes.plan, status: changes.status, quantity: changes.quantity },
      },
    });
  }
  return current;
}
