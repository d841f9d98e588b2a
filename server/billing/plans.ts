import { env } from "../env";

/**
 * The plans a café can buy, as data (dub's plan limits): what each allows and what it costs per
 * location per month. Limits are checked in the domain (server/billing/entitlements.ts), the
 * pricing page and the billing page read the same table.
 */
export const PLAN_IDS = ["start", "pro", "chain"] as const;
export type PlanId = (typeof PLAN_IDS)[number];

export const FEATURES = ["pos_api", "loyalty", "storefront", "campaigns"] as const;
export type Feature = (typeof FEATURES)[number];

export type Plan = {
  id: PlanId;
  /** null = unlimited. */
  maxLocations: number | null;
  maxStaff: number | null;
  features: readonly Feature[];
  /** POS requests per second per key (per app server). */
  posRequestsPerSecond: number;
};

export const PLANS: Record<PlanId, Plan> = {
  start: { id: "start", maxLocations: 1, maxStaff: 3, features: ["pos_api", "loyalty"], posRequestsPerSecond: 100 },
  pro: {
    id: "pro",
    maxLocations: 5,
    maxStaff: 15,
    features: ["pos_api", "loyalty", "storefront", "campaigns"],
    posRequestsPerSecond: 100,
  },
  chain: {
    id: "chain",
    maxLocations: null,
    maxStaff: null,
    features: ["pos_api", "loyalty", "storefront", "campaigns"],
    posRequestsPerSecond: 300,
  },
};

/** A new café tries this plan for free, with no card. */
export const TRIAL_PLAN: PlanId = "pro";

/** Everything, with no limits: what every café gets while billing is off (self-hosted). */
export const UNLIMITED: Plan = { ...PLANS.chain };

export function isPlanId(value: unknown): value is PlanId {
  return typeof value === "string" && (PLAN_IDS as readonly string[]).includes(value);
}

/** The plan a stored subscription names; an unknown or legacy name reads as the trial's plan. */
export function planOf(id: string | null | undefined): Plan {
  return isPlanId(id) ? PLANS[id] : PLANS[TRIAL_PLAN];
}

/** The cheapest plan that has a feature or room for `count` locations or staff (for messages). */
export function cheapestPlanWith(need: { feature?: Feature; locations?: number; staff?: number }): PlanId {
  const fits = PLAN_IDS.find((id) => {
    const plan = PLANS[id];
    if (need.feature && !plan.features.includes(need.feature)) return false;
    if (need.locations !== undefined && plan.maxLocations !== null && need.locations > plan.maxLocations) return false;
    if (need.staff !== undefined && plan.maxStaff !== null && need.staff > plan.maxStaff) return false;
    return true;
  });
  return fits ?? "chain";
}

export const BILLING_CURRENCIES = ["RUB", "EUR"] as const;
export type BillingCurrency = (typeof BILLING_CURRENCIES)[number];
export const BILLING_INTERVALS = ["month", "year"] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

/** Price per location per month, in minor units, unless PLAN_PRICES says otherwise. */
const DEFAULT_MONTHLY: Record<PlanId, Record<BillingCurrency, number>> = {
  start: { RUB: 149_000, EUR: 1_900 },
  pro: { RUB: 299_000, EUR: 3_500 },
  chain: { RUB: 449_000, EUR: 5_500 },
};

/** Paying for a year costs this many months (two months free, about 17 % off). */
export const MONTHS_PAID_PER_YEAR = 10;

/** Monthly price per location (minor units) by plan and currency, PLAN_PRICES applied. */
export function monthlyPrices(): Record<PlanId, Record<BillingCurrency, number>> {
  const overrides = env().PLAN_PRICES ?? {};
  const prices = structuredClone(DEFAULT_MONTHLY);
  for (const [key, amount] of Object.entries(overrides)) {
    const [plan, currency] = key.split(".") as [PlanId, BillingCurrency];
    prices[plan][currency] = amount;
  }
  return prices;
}

/** What one location costs per billing interval (a year is MONTHS_PAID_PER_YEAR months). */
export function pricePerLocation(plan: PlanId, currency: BillingCurrency, interval: BillingInterval): number {
  const monthly = monthlyPrices()[plan][currency];
  return interval === "month" ? monthly : monthly * MONTHS_PAID_PER_YEAR;
}

/** The billing currency of a café: EUR for cafés in euros, roubles otherwise. */
export function billingCurrencyOf(tenantCurrency: string): BillingCurrency {
  return tenantCurrency === "EUR" ? "EUR" : "RUB";
}

/** The Stripe price id configured for a plan, currency and interval (STRIPE_PRICES), or null. */
export function stripePriceId(plan: PlanId, currency: BillingCurrency, interval: BillingInterval): string | null {
  return env().STRIPE_PRICES?.[`${plan}.${currency}.${interval}`] ?? null;
}

/** The plan and interval a Stripe price id was configured for, or null for a price we do not sell. */
export function planOfStripePrice(priceId: string): { plan: PlanId; interval: BillingInterval } | null {
  for (const [key, id] of Object.entries(env().STRIPE_PRICES ?? {})) {
    if (id !== priceId) continue;
    const [plan, , interval] = key.split(".") as [PlanId, BillingCurrency, BillingInterval];
    return { plan, interval };
  }
  return null;
}
