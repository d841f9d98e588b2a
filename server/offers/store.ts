import { and, desc, eq, inArray, isNotNull, ne, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guestOffers, offers, offerUses } from "@/db/schema";
import type { EvaluableOffer } from "./evaluate";
import { offerEnds, offerRequiredSkus, offerSkus } from "./evaluate";
import type { GrantRow, OfferReason, OfferRow, OfferTexts, PosOffer } from "./types";

// Reads shared by the POS, the checkout, the cabinet and the back-office.

export async function offerById(tx: Tx, offerId: string): Promise<OfferRow | null> {
  if (!isUuid(offerId)) return null;
  const [offer] = await tx.select().from(offers).where(eq(offers.id, offerId));
  return offer ?? null;
}

/** A promo code, case-insensitively (the unique index is on lower(code)). */
export async function offerByCode(tx: Tx, code: string): Promise<OfferRow | null> {
  const [offer] = await tx
    .select()
    .from(offers)
    .where(and(isNotNull(offers.code), sql`lower(${offers.code}) = lower(${code.trim()})`));
  return offer ?? null;
}

/** The guest's grants (newest first), of the given offers or of all. */
export async function grantsOf(tx: Tx, guestId: string, offerIds?: string[]): Promise<GrantRow[]> {
  if (offerIds && offerIds.length === 0) return [];
  return tx
    .select()
    .from(guestOffers)
    .where(and(eq(guestOffers.guestId, guestId), offerIds ? inArray(guestOffers.offerId, offerIds) : undefined))
    .orderBy(desc(guestOffers.grantedAt));
}

/**
 * How many uses (held or used) the guest has of each offer and of each grant, leaving out those
 * of `exceptOrderId` (an order being collected counts its own held use once, as the receipt's).
 */
export async function guestUseCounts(
  tx: Tx,
  guestId: string,
  offerIds: string[],
  exceptOrderId?: string,
): Promise<{ byOffer: Map<string, number>; byGrant: Map<string, number> }> {
  const byOffer = new Map<string, number>();
  const byGrant = new Map<string, number>();
  if (offerIds.length === 0) return { byOffer, byGrant };
  const rows = await tx
    .select({ offerId: offerUses.offerId, grantId: offerUses.grantId, count: sql<number>`count(*)::int` })
    .from(offerUses)
    .where(
      and(
        eq(offerUses.guestId, guestId),
        inArray(offerUses.offerId, offerIds),
        inArray(offerUses.status, ["held", "used"]),
        exceptOrderId ? or(sql`${offerUses.orderId} is null`, ne(offerUses.orderId, exceptOrderId)) : undefined,
      ),
    )
    .groupBy(offerUses.offerId, offerUses.grantId);
  for (const row of rows) {
    byOffer.set(row.offerId, (byOffer.get(row.offerId) ?? 0) + row.count);
    if (row.grantId) byGrant.set(row.grantId, (byGrant.get(row.grantId) ?? 0) + row.count);
  }
  return { byOffer, byGrant };
}

/**
 * Uses left of an offer for a guest (null: unlimited): the smaller of what the total limit and
 * the guest's limit leave — per grant for a personal offer, per guest for a promo code.
 */
export function usesLeft(
  offer: OfferRow,
  used: { byOffer: Map<string, number>; byGrant: Map<string, number> } | null,
  grant: GrantRow | null,
  exceptHeld = 0,
): number | null {
  const limits: number[] = [];
  if (offer.totalLimit !== null) limits.push(offer.totalLimit - offer.usesCount + exceptHeld);
  if (offer.perGuestLimit !== null && used) {
    const mine = grant ? (used.byGrant.get(grant.id) ?? 0) : (used.byOffer.get(offer.id) ?? 0);
    limits.push(offer.perGuestLimit - mine);
  }
  return limits.length ? Math.min(...limits) : null;
}

/** The offer as evaluated for a guest holding `grant` (its SKUs and end). */
export function evaluable(offer: OfferRow, grant: GrantRow | null): EvaluableOffer {
  return {
    ...offer,
    grantSkus: grant?.skus ?? null,
    grantRequiredSkus: grant?.requiredSkus ?? null,
    grantExpiresAt: grant?.expiresAt ?? null,
  };
}

/** An offer's title in `locale`, else Russian, English, or any text it has. */
export function titleIn(texts: OfferTexts, locale: string): string {
  return texts[locale] || texts.ru || texts.en || Object.values(texts).find(Boolean) || "";
}

/** The contract's offer object. */
export function toPosOffer(
  offer: OfferRow,
  grant: GrantRow | null,
  locale: string,
  verdict: { applicable: boolean; reason?: OfferReason },
): PosOffer {
  const view = evaluable(offer, grant);
  const skus = offerSkus(view);
  const requiredSkus = offerRequiredSkus(view);
  return {
    id: offer.id,
    ...(offer.code ? { code: offer.code } : {}),
    title: titleIn(offer.title, locale),
    kind: offer.kind,
    value: offer.value,
    ...(skus.length ? { skus } : {}),
    ...(offer.categories.length ? { categories: offer.categories } : {}),
    ...(requiredSkus.length ? { requiredSkus } : {}),
    validUntil: offerEnds(view)?.toISOString() ?? null,
    applicable: verdict.applicable,
    ...(verdict.reason ? { reason: verdict.reason } : {}),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);
