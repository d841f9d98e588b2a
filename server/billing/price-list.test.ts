import { describe, expect, it } from "vitest";
import { MONTHS_PAID_PER_YEAR } from "./plans";
import {
  chainPrice,
  currencyForLocale,
  DEMO_CHAIN,
  type MonthlyPrices,
  otherCurrency,
  planPrice,
  yearlyDiscountPercent,
} from "./price-list";

const PRICES: MonthlyPrices = {
  start: { RUB: 149_000, EUR: 1_900 },
  pro: { RUB: 299_000, EUR: 3_500 },
  chain: { RUB: 449_000, EUR: 5_500 },
};

describe("price list", () => {
  it("the demo chain's example: Pro, 2 locations, 2 × 2 990 ₽ = 5 980 ₽ a month", () => {
    const example = chainPrice(PRICES, DEMO_CHAIN.plan, "RUB", DEMO_CHAIN.locations);
    expect(example).toMatchObject({ locations: 2, month: 598_000, year: 5_980_000 });
    expect(example.perLocation.month).toBe(299_000);
    expect(example.month).toBe(example.perLocation.month * 2);
    expect(example.year).toBe(example.perLocation.year * 2);
  });

  it("a year costs MONTHS_PAID_PER_YEAR months, spread over twelve to the nearest whole unit", () => {
    expect(MONTHS_PAID_PER_YEAR).toBe(10);
    // 29 900 ₽ / 12 = 2 491,67 ₽ → 2 492 ₽; 350 € / 12 = 29,17 € → 29 €; 190 € / 12 = 15,83 € → 16 €.
    expect(planPrice(PRICES, "pro", "RUB")).toEqual({ month: 299_000, year: 2_990_000, yearPerMonth: 249_200 });
    expect(planPrice(PRICES, "pro", "EUR")).toEqual({ month: 3_500, year: 35_000, yearPerMonth: 2_900 });
    expect(planPrice(PRICES, "start", "EUR").yearPerMonth).toBe(1_600);
    // An exact half rounds up: 1,80 ₽ a month → 18 ₽ a year → 1,50 ₽ → 2 ₽; 6 € → 60 € a year → 5 € exactly.
    const halves: MonthlyPrices = { ...PRICES, start: { RUB: 180, EUR: 600 } };
    expect(planPrice(halves, "start", "RUB").yearPerMonth).toBe(200);
    expect(planPrice(halves, "start", "EUR").yearPerMonth).toBe(500);
    for (const plan of ["start", "pro", "chain"] as const) {
      for (const currency of ["RUB", "EUR"] as const) {
        const price = planPrice(PRICES, plan, currency);
        expect(Number.isInteger(price.yearPerMonth)).toBe(true);
        expect(price.yearPerMonth).toBeLessThan(price.month);
        expect(Math.abs(price.yearPerMonth * 12 - price.year)).toBeLessThanOrEqual(600);
      }
    }
  });

  it("the yearly discount is the two free months in whole percent", () => {
    expect(yearlyDiscountPercent()).toBe(17);
    expect(yearlyDiscountPercent(12)).toBe(0);
    expect(yearlyDiscountPercent(9)).toBe(25);
  });

  it("a chain has at least one location", () => {
    expect(chainPrice(PRICES, "chain", "EUR", 7).month).toBe(38_500);
    expect(() => chainPrice(PRICES, "pro", "RUB", 0)).toThrow(RangeError);
    expect(() => chainPrice(PRICES, "pro", "RUB", 1.5)).toThrow(RangeError);
  });

  it("roubles in Russian, euros in English, and the other one mentioned", () => {
    expect(currencyForLocale("ru")).toBe("RUB");
    expect(currencyForLocale("en")).toBe("EUR");
    expect(otherCurrency("RUB")).toBe("EUR");
    expect(otherCurrency("EUR")).toBe("RUB");
  });
});
