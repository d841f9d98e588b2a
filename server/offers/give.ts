import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guestStats, guests, locations as locationsTable, menuCategories } from "@/db/schema";
import { AppError } from "../errors";
import { findGuestByIdentifier } from "../loyalty/guests";
import { menuSkuChoices, type SkuChoice } from "../menu/menu";
import { type LocalDate, localDayRange } from "../orders/slots";
import { listLocations } from "../tenants/locations";
import { grantOffer } from "./grants";
import { getOffer } from "./manage";
import type { OfferActor } from "./types";

/** The segments of the nightly rhythm fit (guest_stats.segment) an offer can be given to. */
export const OFFER_SEGMENTS = ["new", "regular", "loyal", "sleeping", "lost"] as const;
export type OfferSegment = (typeof OFFER_SEGMENTS)[number];

/** Whom the owner gives a personal offer: one guest by card code or phone, or a whole segment. */
export type OfferTarget = { kind: "guest"; identifier: string } | { kind: "segment"; segment: OfferSegment };

/** A segment is at most this many guests at once (grantOffer's own cap). */
const MAX_GRANT = 50_000;

/**
 * The guests a target names: the one guest behind a card code or phone (404 guest_not_found), or
 * the active guests of a segment as the nightly fit left them (deleted and blocked cards left out).
 */
export async function targetGuestIds(tx: Tx, target: OfferTarget): Promise<string[]> {
  if (target.kind === "guest") {
    const guest = await findGuestByIdentifier(tx, target.identifier);
    if (!guest) {
      throw new AppError("not_found", "No guest with this card code or phone", "guest_not_found", [
        { path: "identifier", message: "No such guest" },
      ]);
    }
    return [guest.id];
  }
  const rows = await tx
    .select({ id: guests.id })
    .from(guestStats)
    .innerJoin(guests, eq(guests.id, guestStats.guestId))
    .where(and(eq(guestStats.segment, target.segment), isNull(guests.deletedAt), isNull(guests.blockedAt)))
    .orderBy(asc(guests.id))
    .limit(MAX_GRANT);
  return rows.map((row) => row.id);
}

export type GiveResult = { guests: number; granted: number; alreadyHad: number; grantIds: string[] };

/** Gives a personal offer to a target (audited by grantOffer); the grant ids are for the mail that follows. */
export async function giveOffer(
  tx: Tx,
  actor: OfferActor,
  input: { offerId: string; target: OfferTarget },
): Promise<GiveResult> {
  // The offer first: another café's offer is a 404 even when the segment is empty.
  const offer = await getOffer(tx, input.offerId);
  if (offer.source === "code") {
    throw new AppError("unprocessable", "A promo code is typed by guests, not given", "not_personal");
  }
  const guestIds = await targetGuestIds(tx, input.target);
  if (guestIds.length === 0) return { guests: 0, granted: 0, alreadyHad: 0, grantIds: [] };
  const result = await grantOffer(tx, actor, { offerId: input.offerId, guestIds });
  return { guests: guestIds.length, granted: result.granted, alreadyHad: result.alreadyHad, grantIds: result.grantIds };
}

/** What an offer's form picks from: the menu's SKUs and categories, and the café's locations. */
export type OfferFormChoices = {
  products: SkuChoice[];
  categories: { slug: string; name: string }[];
  locations: { id: string; name: string }[];
};

export async function offerFormChoices(tx: Tx): Promise<OfferFormChoices> {
  const [products, categories, locations] = await Promise.all([
    menuSkuChoices(tx),
    tx
      .select({ slug: menuCategories.slug, name: menuCategories.name })
      .from(menuCategories)
      .where(isNull(menuCategories.archivedAt))
      .orderBy(asc(menuCategories.sortOrder), asc(menuCategories.name)),
    listLocations(tx),
  ]);
  return {
    products,
    categories,
    locations: locations.map((place) => ({ id: place.id, name: place.name })),
  };
}

/**
 * Validity dates as the owner picks them (calendar days in the café's time zone) as instants:
 * from the first day's midnight to the end of the last day (the next day's midnight).
 */
export function validityInstants(
  input: { validFrom?: LocalDate | null; validUntil?: LocalDate | null },
  timeZone: string,
): { validFrom: Date | null; validUntil: Date | null } {
  return {
    validFrom: input.validFrom ? localDayRange(input.validFrom, timeZone).from : null,
    validUntil: input.validUntil ? localDayRange(input.validUntil, timeZone).to : null,
  };
}

/**
 * The form's locations must be the café's own open ones: another café's (or an archived) location is
 * a 404 `location_not_found`, as everywhere else, before the offer is written.
 */
export async function assertOwnLocations(tx: Tx, locationIds: string[]): Promise<void> {
  const wanted = [...new Set(locationIds)];
  if (wanted.length === 0) return;
  const found = await tx
    .select({ id: locationsTable.id })
    .from(locationsTable)
    .where(and(inArray(locationsTable.id, wanted), isNull(locationsTable.archivedAt)));
  if (found.length !== wanted.length) {
    throw new AppError("not_found", "No such location", "location_not_found", [{ path: "locationIds" }]);
  }
}
