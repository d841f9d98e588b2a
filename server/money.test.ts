import { describe, expect, it } from "vitest";
import { formatMoney } from "./money";

// Intl uses non-breaking spaces; compare with plain ones.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("formatMoney", () => {
  it("formats roubles the Russian way, without kopecks when there are none", () => {
    expect(plain(formatMoney(45_000, "RUB", "ru"))).toBe("450 ₽");
    expect(plain(formatMoney(123_456_789, "RUB", "ru"))).toBe("1 234 567,89 ₽");
  });

  it("formats euros in English and keeps negative amounts exact", () => {
    expect(formatMoney(350, "EUR", "en")).toBe("€3.50");
    expect(formatMoney(-5, "EUR", "en")).toBe("-€0.05");
  });
});
