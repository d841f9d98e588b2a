import type { Locale } from "../i18n/locales";
import { type BillingCurrency, MONTHS_PAID_PER_YEAR, type PlanId } from "./plans";

/**
 * What the pricing page and the landing show, computed from the monthly price table
 * (`monthlyPrices()` in plans.ts) so the pages never do arithmetic of their own. Pure: prices come in.
 */
export type MonthlyPrices = Record<PlanId, Record<BillingCurrency, number>>;

/** The worked example on the pages: the demo chain «Зерно» (db/seed/spec.ts: Тверская and Арбат) on Pro. */
export const DEMO_CHAIN = { plan: "pro", locations: 2 } as const satisfies { plan: PlanId; locations: number };

/** The price list's currency for a UI language: roubles in Russian, euros in English. */
export function currencyForLocale(locale: Locale): BillingCurrency {
  return locale === "ru" ? "RUB" : "EUR";
}

/** The currency the page mentions besides its own. */
export function otherCurrency(currency: BillingCurrency): BillingCurrency {
  return currency === "RUB" ? "EUR" : "RUB";
}

/** What paying for a year saves, in whole percent (10 months paid of 12: 17). */
export function yearlyDiscountPercent(monthsPaid: number = MONTHS_PAID_PER_YEAR): number {
  return Math.round(((12 - monthsPaid) * 100) / 12);
}

export type PlanPrice = {
  /** Per location, paid monthly (minor units). */
  month: number;
  /** Per location, paid yearly: MONTHS_PAID_PER_YEAR months (minor units). */
  year: number;
  /**
   * The yearly price spread over twelve months, to the nearest whole major unit (shown with "≈":
   * 29 900 ₽ a year is 2 491,67 ₽ a month, shown as 2 492 ₽).
   */
  yearPerMonth: number;
};

/** One plan's price per location in a currency, both ways of paying. */
export function planPrice(prices: MonthlyPrices, plan: PlanId, currency: BillingCurrency): PlanPrice {
  const month = prices[plan][currency];
  const year = month * MONTHS_PAID_PER_YEAR;
  // Integers only: the nearest multiple of 100 minor units to year / 12 (halves round up).
  const yearPerMonth = Math.floor((year + 600) / 1200) * 100;
  return { month, year, yearPerMonth };
}

export type ChainPrice = {
  locations: number;
  perLocation: PlanPrice;
  /** locations × the monthly price per location. */
  month: number;
  /** locations × the yearly price per location. */
  year: number;
};

/** What a chain of `locations` locations pays on a plan (every location costs the same). */
export function chainPrice(
  prices: MonthlyPrices,
  plan: PlanId,
  currency: BillingCurrency,
  locations: number,
): ChainPrice {
  if (!Number.isInteger(locations) || locations < 1) throw new RangeError(`locations must be ≥ 1, got ${locations}`);
  const perLocation = planPrice(prices, plan, currency);
  return { locations, perLocation, month: perLocation.month * locations, year: perLocation.year * locations };
}
