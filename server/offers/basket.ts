import { and, desc, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guestOffers, guests, offers } from "@/db/schema";
import { AppError } from "../errors";
import { evaluateOffer } from "./evaluate";
import { evaluable, guestUseCounts, offerByCode, toPosOffer, usesLeft } from "./store";
import type { BasketLine, GrantRow, OfferReason, OfferRow, PosOffer } from "./types";
import { offerRefused } from "./uses";

// Offers against a basket: what the till's identify and the online checkout show. Both read the
// same evaluation as the receipt that later records the use, so what is shown is what applies.

export type BasketOffer = PosOffer & {
  /** The most money it may take off this basket (0 without a basket, or for points offers). */
  maxDiscount: number;
  /** The lines it is on (indexes into the basket). */
  matched: number[];
};

/** Reasons that make an offer not usable at all (it is then left out of the guest's list). */
const UNUSABLE: OfferReason[] = ["paused", "used_up", "not_yet_valid", "expired"];

/**
 * The guest's usable personal offers (newest grant first, one per offer), each evaluated against
 * `lines` when given (applicable, or why not: wrong_location, no_matching_items,
 * min_check_not_met). Offers that are expired, used up, paused or not yet valid are left out.
 */
export async function guestOffersForBasket(
  tx: Tx,
  input: { guestId: string; locationId: string; locale: string; lines?: BasketLine[]; now?: Date },
): Promise<BasketOffer[]> {
  const now = input.now ?? new Date();
  const rows = await tx
    .select({ grant: guestOffers, offer: offers })
    .from(guestOffers)
    .innerJoin(offers, eq(offers.id, guestOffers.offerId))
    .where(and(eq(guestOffers.guestId, input.guestId), eq(offers.status, "active")))
    .orderBy(desc(guestOffers.grantedAt))
    .limit(100);
  if (rows.length === 0) return [];
  const used = await guestUseCounts(
    tx,
    input.guestId,
    rows.map((row) => row.offer.id),
  );
  const seen = new Set<string>();
  const result: BasketOffer[] = [];
  for (const { grant, offer } of rows) {
    if (seen.has(offer.id)) continue;
    const verdict = evaluateOffer(evaluable(offer, grant), {
      lines: input.lines,
      locationId: input.locationId,
      at: now,
      usesLeft: usesLeft(offer, used, grant),
    });
    if (verdict.reason && UNUSABLE.includes(verdict.reason)) continue;
    seen.add(offer.id);
    result.push(basketOffer(offer, grant, input.locale, verdict));
  }
  return result;
}

function basketOffer(
  offer: OfferRow,
  grant: GrantRow | null,
  locale: string,
  verdict: { applicable: boolean; reason?: OfferReason; maxDiscount: number; matched: number[] },
): BasketOffer {
  return { ...toPosOffer(offer, grant, locale, verdict), maxDiscount: verdict.maxDiscount, matched: verdict.matched };
}

/**
 * A promo code typed at the till or the checkout: 404 offer_not_found (no such code in this café,
 * or archived); 422 offer_expired when it is outside its dates or paused (details.reason says
 * which), 422 offer_used_up when its total uses — or, with a guest, that guest's — are taken.
 * Otherwise the offer, `applicable` at this location (and against `lines` when given). With an
 * unknown `guestId`: 404 guest_not_found.
 */
export async function lookupCode(
  tx: Tx,
  input: { code: string; locationId: string; locale: string; guestId?: string; lines?: BasketLine[]; now?: Date },
): Promise<BasketOffer> {
  const now = input.now ?? new Date();
  const offer = await offerByCode(tx, input.code);
  if (!offer || offer.status === "archived") {
    throw new AppError("not_found", "No offer with this code", "offer_not_found");
  }
  let used: Awaited<ReturnType<typeof guestUseCounts>> | null = null;
  if (input.guestId) {
    const [guest] = await tx
      .select({ id: guests.id, deletedAt: guests.deletedAt })
      .from(guests)
      .where(eq(guests.id, input.guestId));
    if (!guest || guest.deletedAt) throw new AppError("not_found", "No guest with this id", "guest_not_found");
    used = await guestUseCounts(tx, guest.id, [offer.id]);
  }
  const verdict = evaluateOffer(evaluable(offer, null), {
    lines: input.lines,
    locationId: input.locationId,
    at: now,
    usesLeft: usesLeft(offer, used, null),
  });
  switch (verdict.reason) {
    case "paused":
    case "not_yet_valid":
    case "expired":
      throw offerRefused("offer_expired", offer, verdict.reason);
    case "used_up":
      throw offerRefused("offer_used_up", offer, "used_up");
    default:
      return basketOffer(offer, null, input.locale, verdict);
  }
}

/**
 * The guest's offers and the typed codes, evaluated against the basket: the online checkout's
 * list (codes first, in the order typed). A code that cannot be used throws as `lookupCode`.
 */
export async function offersForBasket(
  tx: Tx,
  input: {
    guestId: string | null;
    locationId: string;
    locale: string;
    lines?: BasketLine[];
    codes?: string[];
    now?: Date;
  },
): Promise<BasketOffer[]> {
  const codes: BasketOffer[] = [];
  for (const code of input.codes ?? []) {
    const found = await lookupCode(tx, { ...input, code, guestId: input.guestId ?? undefined });
    if (!codes.some((earlier) => earlier.id === found.id)) codes.push(found);
  }
  const personal = input.guestId ? await guestOffersForBasket(tx, { ...input, guestId: input.guestId }) : [];
  return [...codes, ...personal];
}
