/**
 * The loyalty arithmetic of POS-API.md, as pure integer functions. Money is in minor units,
 * points are integers, 1 point pays 100 minor units. No floats: every division is explicit.
 */

/** Exact floor(a / b) for non-negative safe integers a and positive b (corrects float rounding). */
export function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q -= 1;
  else if ((q + 1) * b <= a) q += 1;
  return q;
}

/** Exact ceil(a / b) for non-negative safe integers a and positive b. */
export function ceilDiv(a: number, b: number): number {
  const q = floorDiv(a, b);
  return q * b === a ? q : q + 1;
}

/** A tier's name per UI language; a language without one reads `name` (see tierNameIn). */
export type TierNames = { ru?: string; en?: string };

export type Tier = { id: string; name: string; names?: TierNames; accrualPercent: number; minSpend: number };

/** A tier's name in the reader's language: its own name for that language, else the café's one. */
export function tierNameIn(tier: { name: string; names?: TierNames | null }, locale: string): string {
  const own = locale === "en" || locale === "ru" ? tier.names?.[locale]?.trim() : undefined;
  return own || tier.name;
}

/** The highest tier whose minSpend the lifetime paid money reaches. */
export function tierFor<T extends Tier>(lifetimePaid: number, tiers: readonly T[]): T {
  const sorted = [...tiers].sort((a, b) => a.minSpend - b.minSpend);
  let current = sorted[0];
  if (!current) throw new Error("A loyalty program needs at least one tier");
  for (const tier of sorted) if (lifetimePaid >= tier.minSpend) current = tier;
  return current;
}

/** floor((total − pointsRedeemed × 100) × accrualPercent / 10000), never below zero. */
export function pointsEarned(total: number, pointsRedeemed: number, accrualPercent: number): number {
  const paid = total - pointsRedeemed * 100;
  if (paid <= 0) return 0;
  return floorDiv(paid * accrualPercent, 10_000);
}

/** Money actually paid (counts toward tiers): total − pointsRedeemed × 100. */
export function paidMoney(total: number, pointsRedeemed: number): number {
  return total - pointsRedeemed * 100;
}

/** The cap: points × 100 ≤ checkTotal × maxRedeemPercent / 100, i.e. floor(checkTotal × pct / 10000) points. */
export function redeemCap(checkTotal: number, maxRedeemPercent: number): number {
  return floorDiv(checkTotal * maxRedeemPercent, 10_000);
}

/** min(balance, cap of the basket), or the balance without a basket. */
export function maxRedeemablePoints(balance: number, maxRedeemPercent: number, basketTotal?: number): number {
  const available = Math.max(0, balance);
  if (basketTotal === undefined) return available;
  return Math.min(available, redeemCap(basketTotal, maxRedeemPercent));
}

/**
 * Points moved by a refund, cumulatively so rounding never drifts: with R the money refunded so
 * far (this refund included), reversed = ceil(earned × R / total) − already reversed and
 * returned = floor(redeemed × R / total) − already returned.
 */
export function refundPoints(input: {
  total: number;
  pointsEarned: number;
  pointsRedeemed: number;
  refundedBefore: number;
  amount: number;
  reversedBefore: number;
  returnedBefore: number;
}): { pointsReversed: number; pointsReturned: number } {
  const refunded = input.refundedBefore + input.amount;
  if (input.total <= 0) return { pointsReversed: 0, pointsReturned: 0 };
  const reversedTotal = ceilDiv(input.pointsEarned * refunded, input.total);
  const returnedTotal = floorDiv(input.pointsRedeemed * refunded, input.total);
  return {
    pointsReversed: reversedTotal - input.reversedBefore,
    pointsReturned: returnedTotal - input.returnedBefore,
  };
}
