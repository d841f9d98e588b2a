import Stripe from "stripe";
import { billingEnabled, env } from "../env";
import { AppError } from "../errors";
import { isStorableText } from "../input-text";
import { planOfStripePrice, pricePerLocation, stripePriceId } from "./plans";
import {
  type BillingProvider,
  ProviderCustomerMissing,
  type ProviderEvent,
  type ProviderSubscription,
  type SubscriptionState,
} from "./provider";

/** Stripe's own webhook tolerance: a signature older than this is refused (replays). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const STATUSES: Record<Stripe.Subscription.Status, SubscriptionState> = {
  trialing: "trialing",
  active: "active",
  past_due: "past_due",
  unpaid: "unpaid",
  canceled: "canceled",
  incomplete: "incomplete",
  incomplete_expired: "canceled",
  paused: "unpaid",
};

/** Live subscriptions win over ended ones when a customer has several. */
const LIVE: SubscriptionState[] = ["trialing", "active", "past_due", "unpaid", "incomplete"];

const date = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000) : null);

function fromStripe(subscription: Stripe.Subscription): ProviderSubscription {
  const item = subscription.items.data[0];
  const price = item?.price ?? null;
  const configured = price ? planOfStripePrice(price.id) : null;
  const metadataPlan = subscription.metadata?.plan;
  const plan =
    configured?.plan ??
    (metadataPlan === "start" || metadataPlan === "pro" || metadataPlan === "chain" ? metadataPlan : null);
  const interval: string | undefined = price?.recurring?.interval;
  return {
    id: subscription.id,
    customerId: typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id,
    status: STATUSES[subscription.status] ?? "incomplete",
    plan,
    interval: interval === "month" || interval === "year" ? interval : null,
    priceId: price?.id ?? null,
    itemId: item?.id ?? null,
    quantity: item?.quantity ?? 1,
    // Since API 2025-03-31 the period lives on the items.
    currentPeriodEnd: date(item?.current_period_end),
    trialEndsAt: date(subscription.trial_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
  };
}

/** The Stripe SDK client, pointed at STRIPE_API_BASE when set (the local server, the tests'). */
export function stripeClient(config = env()): Stripe {
  if (!config.STRIPE_SECRET_KEY) throw new AppError("forbidden", "Billing is not configured", "billing_off");
  const base = config.STRIPE_API_BASE ? new URL(config.STRIPE_API_BASE) : null;
  return new Stripe(config.STRIPE_SECRET_KEY, {
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === "https:" ? 443 : 80)),
          protocol: base.protocol === "http:" ? "http" : "https",
        }
      : {}),
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "Zerno" },
  });
}

/** Stripe's "No such customer" as ProviderCustomerMissing; other errors as they are. */
async function knownCustomer<T>(customerId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const stripeError = error as { type?: string; code?: string; param?: string; message?: string };
    if (
      stripeError.type === "StripeInvalidRequestError" &&
      stripeError.code === "resource_missing" &&
      (stripeError.param === "customer" || /no such customer/i.test(stripeError.message ?? ""))
    ) {
      throw new ProviderCustomerMissing(customerId);
    }
    throw error;
  }
}

export function stripeProvider(stripe: Stripe = stripeClient()): BillingProvider {
  return {
    name: "stripe",
    async createCustomer(input) {
      const customer = await stripe.customers.create(
        { email: input.email, name: input.name, metadata: { tenant_id: input.tenantId, tenant_slug: input.slug } },
        // Two owners pressing "subscribe" at once still make one customer (and one replacement).
        {
          idempotencyKey: `zerno-customer-${input.tenantId}${input.replacing ? `-after-${input.replacing}` : ""}`,
        },
      );
      return customer.id;
    },
    async createCheckout(input) {
      const price = stripePriceId(input.plan, input.currency, input.interval);
      const lineItem: Stripe.Checkout.SessionCreateParams.LineItem = price
        ? { price, quantity: input.quantity }
        : {
            // No price configured for it: the same amount as inline price data (documented in README).
            price_data: {
              currency: input.currency.toLowerCase(),
              unit_amount: pricePerLocation(input.plan, input.currency, input.interval),
              recurring: { interval: input.interval },
              product_data: { name: `Zerno ${input.plan}`, metadata: { plan: input.plan } },
            },
            quantity: input.quantity,
          };
      const session = await knownCustomer(input.customerId, () =>
        stripe.checkout.sessions.create({
          mode: "subscription",
          customer: input.customerId,
          client_reference_id: input.tenantId,
          line_items: [lineItem],
          subscription_data: { metadata: { tenant_id: input.tenantId, plan: input.plan } },
          metadata: { tenant_id: input.tenantId, plan: input.plan },
          success_url: input.successUrl,
          cancel_url: input.cancelUrl,
        }),
      );
      if (!session.url) throw new Error("Stripe returned a checkout session without a URL");
      return { url: session.url };
    },
    async completedCheckoutCustomer(sessionId) {
      const session = await stripe.checkout.sessions.retrieve(sessionId);
      if (session.status !== "complete" || !session.customer) return null;
      return typeof session.customer === "string" ? session.customer : session.customer.id;
    },
    async createPortal(input) {
      const session = await knownCustomer(input.customerId, () =>
        stripe.billingPortal.sessions.create({ customer: input.customerId, return_url: input.returnUrl }),
      );
      return { url: session.url };
    },
    async currentSubscription(customerId) {
      const list = await stripe.subscriptions.list({ customer: customerId, status: "all", limit: 10 });
      const all = list.data.map(fromStripe);
      return all.find((subscription) => LIVE.includes(subscription.status)) ?? all[0] ?? null;
    },
    async setQuantity(subscription, quantity) {
      await stripe.subscriptions.update(subscription.id, {
        items: [{ id: subscription.itemId, quantity }],
        proration_behavior: "create_prorations",
      });
    },
    async invoices(customerId) {
      const list = await stripe.invoices.list({ customer: customerId, limit: 12 });
      return list.data.map((invoice) => ({
        id: invoice.id ?? "",
        number: invoice.number,
        status: invoice.status,
        total: invoice.total,
        currency: invoice.currency.toUpperCase(),
        createdAt: new Date(invoice.created * 1000),
        url: invoice.hosted_invoice_url ?? null,
      }));
    },
    verifyWebhook(rawBody, signature) {
      const secret = env().STRIPE_WEBHOOK_SECRET;
      if (!secret) throw new AppError("forbidden", "Webhook secret not configured", "billing_off");
      if (!signature) throw new AppError("invalid_request", "Missing Stripe-Signature", "bad_signature");
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, secret, WEBHOOK_TOLERANCE_SECONDS);
      } catch {
        throw new AppError("invalid_request", "The Stripe signature does not verify", "bad_signature");
      }
      return providerEventOf(event);
    },
  };
}

/** The configured provider, or null while billing is off. Tests hand their own to the services. */
export function billingProvider(): BillingProvider | null {
  return billingEnabled() ? stripeProvider() : null;
}

/**
 * The parts of a verified event the app uses, checked: a signed body is still only JSON, and one
 * without an id, a type or an object (or with text the database cannot store) is refused as a
 * 400 like a bad signature, instead of failing later as a 500 that Stripe would retry for days.
 */
export function providerEventOf(event: unknown): ProviderEvent {
  const { id, type, data } = (event ?? {}) as { id?: unknown; type?: unknown; data?: { object?: unknown } };
  const object = data?.object;
  const text = (value: unknown): value is string =>
    typeof value === "string" && value.length > 0 && value.length <= 255 && isStorableText(value);
  if (!text(id) || !text(type) || !object || typeof object !== "object" || Array.isArray(object)) {
    throw new AppError("invalid_request", "The event has no id, type or object", "malformed_event");
  }
  return { id, type, object: object as Record<string, unknown> };
}
