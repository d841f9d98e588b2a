import { pgEnum, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
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
    plan: text("plan").notNull(),
    status: subscriptionStatus("status").notNull(),
    trialEndsAt: at("trial_ends_at"),
    currentPeriodEnd: at("current_period_end"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
);
