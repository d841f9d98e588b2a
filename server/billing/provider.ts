import type { BillingCurrency, BillingInterval, PlanId } from "./plans";

/** Our subscription states (the `subscription_status` enum); a provider maps its own onto them. */
export type SubscriptionState = "trialing" | "active" | "past_due" | "unpaid" | "canceled" | "incomplete";

/** A subscription as the provider holds it now: the one source of truth we copy from. */
export type ProviderSubscription = {
  id: string;
  customerId: string;
  status: SubscriptionState;
  /** null when the price is not one of ours (then the stored plan is kept). */
  plan: PlanId | null;
  interval: BillingInterval | null;
  priceId: string | null;
  itemId: string | null;
  quantity: number;
  currentPeriodEnd: Date | null;
  trialEndsAt: Date | null;
  cancelAtPeriodEnd: boolean;
};

export type ProviderInvoice = {
  id: string;
  number: string | null;
  status: string | null;
  /** Minor units of `currency`. */
  total: number;
  currency: string;
  createdAt: Date;
  url: string | null;
};

/** The webhook event fields the handlers read. */
export type ProviderEvent = { id: string; type: string; object: Record<string, unknown> };

/** The provider does not know the customer the café has stored (deleted at the provider, or never its own). */
export class ProviderCustomerMissing extends Error {
  constructor(readonly customerId: string) {
    super(`The billing provider has no customer ${customerId}`);
  }
}

/**
 * Billing behind a small interface (DESIGN.md: Stripe does not serve Russian cards, so a second
 * provider must fit beside it). Only server/billing talks to a provider.
 */
export interface BillingProvider {
  readonly name: string;
  /** `replacing`: the stored customer the provider no longer knows (a new one is made in its place). */
  createCustomer(input: {
    tenantId: string;
    slug: string;
    name: string;
    email: string;
    replacing?: string;
  }): Promise<string>;
  createCheckout(input: {
    customerId: string;
    tenantId: string;
    plan: PlanId;
    currency: BillingCurrency;
    interval: BillingInterval;
    quantity: number;
    successUrl: string;
    cancelUrl: string;
  }): Promise<{ url: string }>;
  /** The customer a finished checkout session belongs to, or null while it is not complete. */
  completedCheckoutCustomer(sessionId: string): Promise<string | null>;
  createPortal(input: { customerId: string; returnUrl: string }): Promise<{ url: string }>;
  /** The customer's current subscription (a live one before an ended one), or null if none ever. */
  currentSubscription(customerId: string): Promise<ProviderSubscription | null>;
  setQuantity(subscription: { id: string; itemId: string }, quantity: number): Promise<void>;
  invoices(customerId: string): Promise<ProviderInvoice[]>;
  /** Verifies a webhook delivery's signature over the raw body; throws when it does not hold. */
  verifyWebhook(rawBody: string, signature: string | null): ProviderEvent;
}
