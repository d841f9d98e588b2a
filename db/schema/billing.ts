import { boolean, integer, pgEnum, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { at, createdAt, tenantIdColumn, updatedAt } from "./columns";
import { tenants } from "./platform";

export const subscriptionStatus = pgEnum("subscription_status", [
  "trialing",
  "active",
  "past_due",
  "unpaid",
  "canceled",
  "incomplete",
]);

/** The tenant's plan; billing sits behind a provider interface (Stripe first). */
export const subscriptions = pgTable(
  "subscriptions",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    provider: text("provider").notNull().default("stripe"),
    providerCustomerId: text("provider_customer_id"),
    providerSubscriptionId: text("provider_subscription_id"),
    /** start | pro | chain (server/billing/plans.ts). */
    plan: text("plan").notNull(),
    status: subscriptionStatus("status").notNull(),
    /** "month" or "year" once paid through the provider. */
    billingInterval: text("billing_interval"),
    /** Locations billed (the provider's quantity). */
    quantity: integer("quantity").notNull().default(1),
    providerPriceId: text("provider_price_id"),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    /** When the subscription became past_due: 7 days of grace count from here. */
    pastDueSince: at("past_due_since"),
    trialEndsAt: at("trial_ends_at"),
    currentPeriodEnd: at("current_period_end"),
    /** When the row was last copied from the provider's own state. */
    syncedAt: at("synced_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
);
