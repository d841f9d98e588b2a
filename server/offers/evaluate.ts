import { ceilDiv, floorDiv } from "../loyalty/formulas";
import type { BasketLine, OfferReason, OfferRow } from "./types";

// The offer arithmetic of POS-API.md "Offers and coupons", as pure integer functions: which
// lines an offer is on, the most it may take off them, the points it adds. Shared by the POS
// (identify, receipts) and the online checkout, so the till and the storefront never disagree.

/** The parts of an offer (and of the guest's grant of it) that decide whether it applies. */
export type EvaluableOffer = Pick<
  OfferRow,
  | "kind"
  | "value"
  | "skus"
  | "categories"
  | "requiredSkus"
  | "validFrom"
  | "validUntil"
  | "minCheck"
  | "locationIds"
  | "status"
> & {
  /** A personal grant's own SKUs (the usual plus one), replacing the offer's when set. */
  grantSkus?: string[] | null;
  /** A personal grant's own "only together with" SKUs (the usual drink), replacing the offer's when set. */
  grantRequiredSkus?: string[] | null;
  /** A personal grant's own end. */
  grantExpiresAt?: Date | null;
};

export type Evaluation = {
  applicable: boolean;
  reason?: OfferReason;
  /** The most money the offer may take off these lines (0 for points offers or when not applicable). */
  maxDiscount: number;
  /** Indexes of the lines the offer is on. */
  matched: number[];
};

/** The money of a line before any discount: unit price × quantity (quantities have 3 decimals). */
export function grossOf(line: BasketLine): number {
  return Math.round((line.unitPrice * Math.round(line.quantity * 1000)) / 1000);
}

/** The SKUs an offer is on for this guest (a grant's own, else the offer's). */
export function offerSkus(offer: EvaluableOffer): string[] {
  return offer.grantSkus?.length ? offer.grantSkus : offer.skus;
}

/** The SKUs the check must hold for the offer (a grant's own, else the offer's; empty: none). */
export function offerRequiredSkus(offer: EvaluableOffer): string[] {
  return offer.grantRequiredSkus?.length ? offer.grantRequiredSkus : (offer.requiredSkus ?? []);
}

/**
 * Whether the check holds an item the offer asks for ("only together with"). Every line of the
 * check counts, not only those the POS applied the offer to. When the one free unit of a
 * free_item offer would be a required item itself (a cappuccino free with a cappuccino), the
 * check needs one more unit of it, so the condition is not paid for by the gift.
 */
export function hasRequiredItem(offer: EvaluableOffer, lines: BasketLine[], matched: number[]): boolean {
  const required = new Set(offerRequiredSkus(offer).map((sku) => sku.toLowerCase()));
  if (required.size === 0) return true;
  const isRequired = (line: BasketLine) =>
    [line.sku, ...(line.aliases ?? [])].some((sku) => required.has(sku.toLowerCase()));
  let units = lines.reduce((sum, line) => sum + (isRequired(line) && line.quantity > 0 ? line.quantity : 0), 0);
  if (offer.kind === "free_item") {
    const free = freeLine(lines, matched);
    if (free !== null && isRequired(lines[free] as BasketLine))
      units -= Math.min(1, (lines[free] as BasketLine).quantity);
  }
  return units > 0;
}

/** The line whose unit a free_item offer gives away: the dearest matching one (null: none). */
function freeLine(lines: BasketLine[], matched: number[]): number | null {
  let best: number | null = null;
  let bestPrice = -1;
  for (const index of matched) {
    const line = lines[index] as BasketLine;
    const price = Math.round(line.unitPrice * Math.min(1, line.quantity));
    if (price > bestPrice) {
      best = index;
      bestPrice = price;
    }
  }
  return best;
}

/** The end of an offer for this guest: the earlier of the offer's and the grant's. */
export function offerEnds(offer: EvaluableOffer): Date | null {
  const ends = [offer.validUntil, offer.grantExpiresAt].filter((at): at is Date => at instanceof Date);
  return ends.length ? new Date(Math.min(...ends.map((at) => at.getTime()))) : null;
}

/**
 * Indexes of the lines the offer is on: those whose SKU or category it names, or every line when
 * it names none (the whole check). With `lineIndexes` (the POS said which lines it applied the
 * offer to), only those of them. SKUs and categories compare case-insensitively.
 */
export function matchingLines(offer: EvaluableOffer, lines: BasketLine[], lineIndexes?: number[]): number[] {
  const skus = new Set(offerSkus(offer).map((sku) => sku.toLowerCase()));
  const categories = new Set(offer.categories.map((category) => category.toLowerCase()));
  const wholeCheck = skus.size === 0 && categories.size === 0;
  const candidates = lineIndexes ?? lines.map((_, index) => index);
  return [...new Set(candidates)].filter((index) => {
    const line = lines[index];
    if (!line) return false;
    if (wholeCheck) return true;
    const lineSkus = [line.sku, ...(line.aliases ?? [])];
    return (
      lineSkus.some((sku) => skus.has(sku.toLowerCase())) ||
      (line.category != null && categories.has(line.category.toLowerCase()))
    );
  });
}

/**
 * The most an offer may take off the given lines: percent_off ceil(gross × value / 100) (ceil, so
 * a POS rounding half up is never refused), amount_off min(value, gross), free_item one unit of
 * the dearest matching line (a line sold by weight under one unit: that line). Points offers: 0.
 */
export function maxDiscount(offer: EvaluableOffer, lines: BasketLine[], matched: number[]): number {
  const gross = matched.reduce((sum, index) => sum + grossOf(lines[index] as BasketLine), 0);
  switch (offer.kind) {
    case "percent_off":
      return Math.min(gross, ceilDiv(gross * offer.value, 100));
    case "amount_off":
      return Math.min(offer.value, gross);
    case "free_item":
      return matched.reduce((most, index) => {
        const line = lines[index] as BasketLine;
        return Math.max(most, Math.round(line.unitPrice * Math.min(1, line.quantity)));
      }, 0);
    default:
      return 0;
  }
}

/**
 * Whether the offer applies, and why not: its state and dates at `at`, the location, then — with
 * lines — the matching items and the minimum check (`checkTotal`, the check before the offers'
 * discounts; the sum of line amounts when not given). `usesLeft` 0 means used up.
 */
export function evaluateOffer(
  offer: EvaluableOffer,
  ctx: {
    lines?: BasketLine[];
    lineIndexes?: number[];
    checkTotal?: number;
    locationId: string | null;
    at: Date;
    usesLeft?: number | null;
  },
): Evaluation {
  const no = (reason: OfferReason, matched: number[] = []): Evaluation => ({
    applicable: false,
    reason,
    maxDiscount: 0,
    matched,
  });
  if (offer.status !== "active") return no("paused");
  if (ctx.usesLeft != null && ctx.usesLeft <= 0) return no("used_up");
  if (offer.validFrom > ctx.at) return no("not_yet_valid");
  const ends = offerEnds(offer);
  if (ends && ends <= ctx.at) return no("expired");
  if (offer.locationIds.length > 0 && (!ctx.locationId || !offer.locationIds.includes(ctx.locationId))) {
    return no("wrong_location");
  }
  if (!ctx.lines) return { applicable: true, maxDiscount: 0, matched: [] };
  const matched = matchingLines(offer, ctx.lines, ctx.lineIndexes);
  if (matched.length === 0) return no("no_matching_items");
  if (!hasRequiredItem(offer, ctx.lines, matched)) return no("required_item_missing", matched);
  const checkTotal = ctx.checkTotal ?? ctx.lines.reduce((sum, line) => sum + line.amount, 0);
  if (checkTotal < offer.minCheck) return no("min_check_not_met", matched);
  return { applicable: true, maxDiscount: maxDiscount(offer, ctx.lines, matched), matched };
}

/**
 * Points an offer adds to a check: bonus_points its value; points_multiplier ×N the check's own
 * accrual on the matching lines, i.e. (N − 1) × floor(paid × accrualPercent / 10000) where paid
 * is what those lines were paid in money (never more than the check's part not paid in points).
 * Money-off kinds: 0.
 */
export function offerPoints(
  offer: Pick<EvaluableOffer, "kind" | "value">,
  input: { matchedAmount: number; total: number; pointsRedeemed: number; accrualPercent: number },
): number {
  if (offer.kind === "bonus_points") return offer.value;
  if (offer.kind !== "points_multiplier") return 0;
  const paid = Math.min(input.matchedAmount, input.total - input.pointsRedeemed * 100);
  if (paid <= 0 || offer.value < 2) return 0;
  return floorDiv(paid * input.accrualPercent, 10_000) * (offer.value - 1);
}

/**
 * Spreads a discount over the given lines in proportion to their amounts (largest remainder, so
 * the amounts still add up exactly); returns every line's amount after it. The online order's
 * receipt reports its lines this way.
 */
export function allocateDiscount(lines: BasketLine[], indexes: number[], discount: number): number[] {
  const amounts = lines.map((line) => line.amount);
  const base = indexes.reduce((sum, index) => sum + (amounts[index] ?? 0), 0);
  const take = Math.min(discount, base);
  if (take <= 0 || base <= 0) return amounts;
  const shares = indexes.map((index) => {
    const exact = (amounts[index] ?? 0) * take;
    return { index, whole: floorDiv(exact, base), remainder: exact % base };
  });
  let left = take - shares.reduce((sum, share) => sum + share.whole, 0);
  for (const share of [...shares].sort((a, b) => b.remainder - a.remainder || a.index - b.index)) {
    if (left <= 0) break;
    share.whole += 1;
    left -= 1;
  }
  for (const share of shares) amounts[share.index] = (amounts[share.index] ?? 0) - share.whole;
  return amounts;
}

/**
 * Splits a refund's reversal of a receipt's points between the check's own accrual and its
 * offers' points, each by the contract's ceil formula on its own part (ceil(part × R / total) −
 * already reversed), capped so the parts add up to exactly `reversed` — what the contract's
 * formula gave for the whole `pointsEarned`. Offers are served before the own part is trimmed.
 */
export function splitReversal(input: {
  reversed: number;
  total: number;
  refunded: number;
  offers: { points: number; pointsReversed: number }[];
}): number[] {
  let left = input.reversed;
  return input.offers.map((offer) => {
    const due = input.total > 0 ? ceilDiv(offer.points * input.refunded, input.total) - offer.pointsReversed : 0;
    const take = Math.max(0, Math.min(due, left, offer.points - offer.pointsReversed));
    left -= take;
    return take;
  });
}
