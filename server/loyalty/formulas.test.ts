import { describe, expect, it } from "vitest";
import { ceilDiv, floorDiv, maxRedeemablePoints, pointsEarned, redeemCap, refundPoints, tierFor } from "./formulas";

const tiers = [
  { id: "g", name: "Gold", accrualPercent: 10, minSpend: 1_500_000 },
  { id: "b", name: "Bronze", accrualPercent: 5, minSpend: 0 },
  { id: "s", name: "Silver", accrualPercent: 7, minSpend: 500_000 },
];

describe("loyalty formulas of POS-API.md", () => {
  it("reproduces the contract's worked example: Silver 7 %, 450 ₽ check, 120 points", () => {
    expect(pointsEarned(45_000, 120, 7)).toBe(23);
    expect(340 - 120 + pointsEarned(45_000, 120, 7)).toBe(243);
  });

  it("earns nothing on a check paid entirely with points", () => {
    expect(pointsEarned(10_000, 100, 10)).toBe(0);
  });

  it("picks the highest tier the lifetime spend reaches", () => {
    expect(tierFor(0, tiers).name).toBe("Bronze");
    expect(tierFor(499_999, tiers).name).toBe("Bronze");
    expect(tierFor(500_000, tiers).name).toBe("Silver");
    expect(tierFor(2_000_000, tiers).name).toBe("Gold");
  });

  it("caps redemption at maxRedeemPercent of the check", () => {
    expect(redeemCap(45_000, 30)).toBe(135);
    expect(maxRedeemablePoints(340, 30, 45_000)).toBe(135);
    expect(maxRedeemablePoints(100, 30, 45_000)).toBe(100);
    expect(maxRedeemablePoints(340, 30)).toBe(340);
    expect(maxRedeemablePoints(-20, 30)).toBe(0);
  });

  it("splits refunds so their sum reverses exactly what the receipt had", () => {
    const receipt = { total: 45_000, pointsEarned: 23, pointsRedeemed: 120 };
    const first = refundPoints({ ...receipt, refundedBefore: 0, amount: 15_000, reversedBefore: 0, returnedBefore: 0 });
    expect(first).toEqual({ pointsReversed: 8, pointsReturned: 40 });
    const second = refundPoints({
      ...receipt,
      refundedBefore: 15_000,
      amount: 30_000,
      reversedBefore: first.pointsReversed,
      returnedBefore: first.pointsReturned,
    });
    expect(first.pointsReversed + second.pointsReversed).toBe(23);
    expect(first.pointsReturned + second.pointsReturned).toBe(120);
  });

  it("divides integers exactly", () => {
    expect(floorDiv(29 * 3_333_333_333, 3_333_333_333)).toBe(29);
    expect(ceilDiv(7, 2)).toBe(4);
    expect(ceilDiv(8, 2)).toBe(4);
    expect(floorDiv(0, 5)).toBe(0);
  });
});
