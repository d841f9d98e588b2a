import type { guestOffers, OfferTexts, offers } from "@/db/schema";

export type OfferRow = typeof offers.$inferSelect;
export type GrantRow = typeof guestOffers.$inferSelect;
export type OfferKind = OfferRow["kind"];
export type OfferSource = OfferRow["source"];
export type OfferStatus = OfferRow["status"];
export type { OfferTexts };

export const OFFER_KINDS = ["percent_off", "amount_off", "free_item", "points_multiplier", "bonus_points"] as const;
export const OFFER_SOURCES = ["personal", "code", "birthday", "usual_plus_one", "campaign"] as const;
/** Kinds that take money off the check; the others add points. */
export const DISCOUNT_KINDS: readonly OfferKind[] = ["percent_off", "amount_off", "free_item"];

/** What the back-office (and automations) create an offer from. */
export type OfferInput = {
  kind: OfferKind;
  value: number;
  skus?: string[];
  categories?: string[];
  /** "Only together with": the check must hold one of these SKUs (empty: no condition). */
  requiredSkus?: string[];
  title: OfferTexts;
  description?: OfferTexts;
  validFrom?: Date | null;
  validUntil?: Date | null;
  minCheck?: number;
  perGuestLimit?: number | null;
  totalLimit?: number | null;
  locationIds?: string[];
  source: OfferSource;
  code?: string | null;
  grantDays?: number | null;
};

/** Who changes offers (audited). */
export type OfferActor = { tenantId: string; userId: string | null; ip?: string | null };

/** A line of a basket or a receipt, as the POS contract names it. */
export type BasketLine = {
  sku: string;
  category?: string | null;
  quantity: number;
  unitPrice: number;
  amount: number;
  /** Other SKUs the line answers to (an online line's size SKU beside its product's). */
  aliases?: string[];
};

/** Why an offer does not apply (POS-API.md names the first two; the rest follow the same style). */
export type OfferReason =
  | "min_check_not_met"
  | "no_matching_items"
  | "required_item_missing"
  | "not_yet_valid"
  | "expired"
  | "used_up"
  | "paused"
  | "wrong_location"
  | "not_for_this_guest";

/** The contract's offer object: POS identify, GET /offers/{code}, the checkout. */
export type PosOffer = {
  id: string;
  code?: string;
  title: string;
  kind: OfferKind;
  value: number;
  skus?: string[];
  categories?: string[];
  /** The check must hold one of these SKUs ("only together with"). */
  requiredSkus?: string[];
  validUntil: string | null;
  applicable: boolean;
  reason?: OfferReason;
};

/** An offer named by a check or an order: by id (a personal offer or a code's id) or by its code. */
export type OfferChoice = { offerId: string } | { code: string };
