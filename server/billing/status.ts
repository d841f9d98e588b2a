import type { Tx } from "@/db/client";
import { subscriptions } from "@/db/schema";

/** The tenant's plan as the back-office shows it (payments themselves arrive with Stripe billing). */
export async function subscriptionStatus(tx: Tx) {
  const [subscription] = await tx.select().from(subscriptions);
  if (!subscription) return null;
  const trialOver =
    subscription.status === "trialing" && subscription.trialEndsAt !== null && subscription.trialEndsAt < new Date();
  return {
    plan: subscription.plan,
    status: trialOver ? ("trial_over" as const) : subscription.status,
    trialEndsAt: subscription.trialEndsAt,
    currentPeriodEnd: subscription.currentPeriodEnd,
    provider: subscription.provider,
  };
}
