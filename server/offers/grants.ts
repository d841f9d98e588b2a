import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guestOffers, guests, offers, offerUses } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { evaluateOffer } from "./evaluate";
import { getOffer } from "./manage";
import { evaluable, isUuid, offerByCode, titleIn, toPosOffer, usesLeft } from "./store";
import type { GrantRow, OfferActor, OfferRow, OfferSource, PosOffer } from "./types";

// Personal offers: giving one to guests (one, a list, a segment's ids) and what a guest holds.

/** At most this many guests per grant (a segment of a big chain is given in one go). */
export const MAX_GRANT_GUESTS = 50_000;
const CHUNK = 5_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type GrantResult = {
  /** Grants made now. */
  granted: number;
  /** Guests who already had this grant (same offer and grant key): nothing changed for them. */
  alreadyHad: number;
  /** Ids that name no active guest of the café (deleted, unknown, another café's). */
  skipped: number;
  grantIds: string[];
};

/**
 * Gives a personal offer to guests (audited once): each gets a grant that lasts the offer's
 * `grant_days` (or until the offer ends, or `expiresAt`). Granting again with the same
 * `grantKey` changes nothing ("birthday:2026" once a year). Promo-code offers are for anyone and
 * cannot be given (422 offer_is_code); archived ones neither (422 offer_archived).
 */
export async function grantOffer(
  tx: Tx,
  actor: OfferActor,
  input: {
    offerId: string;
    guestIds: string[];
    source?: OfferSource;
    grantKey?: string;
    expiresAt?: Date | null;
    skus?: string[];
    /** The grant's own "only together with" SKUs (the usual plus one: the usual drink). */
    requiredSkus?: string[];
    now?: Date;
  },
): Promise<GrantResult> {
  const offer = await getOffer(tx, input.offerId);
  if (offer.source === "code") {
    throw new AppError("unprocessable", "A promo code is for anyone: it is not given to guests", "offer_is_code");
  }
  if (offer.status === "archived") throw new AppError("unprocessable", "The offer is archived", "offer_archived");
  const ids = [...new Set(input.guestIds)].filter(isUuid);
  if (ids.length > MAX_GRANT_GUESTS) {
    throw new AppError("invalid_request", `At most ${MAX_GRANT_GUESTS} guests at once`, undefined, [
      { path: "guestIds", message: `At most ${MAX_GRANT_GUESTS}` },
    ]);
  }
  const now = input.now ?? new Date();
  const expiresAt =
    input.expiresAt !== undefined
      ? input.expiresAt
      : offer.grantDays
        ? new Date(now.getTime() + offer.grantDays * DAY_MS)
        : null;
  const source = input.source ?? offer.source;
  const grantIds: string[] = [];
  let known = 0;
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    const active = await tx
      .select({ id: guests.id })
      .from(guests)
      .where(and(inArray(guests.id, chunk), isNull(guests.deletedAt)));
    known += active.length;
    if (active.length === 0) continue;
    const inserted = await tx
      .insert(guestOffers)
      .values(
        active.map((guest) => ({
          tenantId: actor.tenantId,
          offerId: offer.id,
          guestId: guest.id,
          source,
          grantKey: input.grantKey ?? "",
          skus: input.skus?.length ? input.skus : null,
          requiredSkus: input.requiredSkus?.length ? input.requiredSkus : null,
          grantedAt: now,
          expiresAt,
          grantedBy: actor.userId,
        })),
      )
      .onConflictDoNothing({
        target: [guestOffers.tenantId, guestOffers.offerId, guestOffers.guestId, guestOffers.grantKey],
      })
      .returning({ id: guestOffers.id });
    grantIds.push(...inserted.map((row) => row.id));
  }
  const result: GrantResult = {
    granted: grantIds.length,
    alreadyHad: known - grantIds.length,
    skipped: ids.length - known + (input.guestIds.length - new Set(input.guestIds).size),
    grantIds,
  };
  if (result.granted > 0) {
    await recordAudit(tx, {
      tenantId: actor.tenantId,
      actorKind: actor.userId ? "staff" : "system",
      actorUserId: actor.userId,
      ip: actor.ip ?? null,
      action: "offer.granted",
      targetType: "offer",
      targetId: offer.id,
      meta: {
        source,
        granted: result.granted,
        alreadyHad: result.alreadyHad,
        grantKey: input.grantKey ?? "",
        // One guest: which (a segment's list would bloat the log; the grants table has them).
        ...(grantIds.length === 1 && ids.length === 1 ? { guestId: ids[0] } : {}),
        expiresAt: expiresAt?.toISOString() ?? null,
      },
    });
  }
  return result;
}

/** A promo code of the café, case-insensitively (any status); null when none. */
export function findOfferByCode(tx: Tx, code: string): Promise<OfferRow | null> {
  return offerByCode(tx, code);
}

/** An offer as the guest's cabinet shows it. */
export type CabinetOffer = PosOffer & {
  grantId: string | null;
  description: string;
  minCheck: number;
  locationIds: string[];
  grantedAt: string | null;
  usedAt: string | null;
  /** usable: can be used now (or soon: not_yet_valid); used: the guest used it up; expired; ended: paused, archived or used up by others. */
  status: "usable" | "used" | "expired" | "ended";
};

/**
 * The guest's offers for the cabinet: usable ones (personal grants still valid with uses left),
 * and past ones (used, expired, ended), newest first, plus promo codes the guest has used.
 */
export async function guestOffersFor(
  tx: Tx,
  input: { guestId: string; locale: string; now?: Date },
): Promise<{ usable: CabinetOffer[]; past: CabinetOffer[] }> {
  const now = input.now ?? new Date();
  const grants = await tx
    .select({ grant: guestOffers, offer: offers })
    .from(guestOffers)
    .innerJoin(offers, eq(offers.id, guestOffers.offerId))
    .where(eq(guestOffers.guestId, input.guestId))
    .orderBy(desc(guestOffers.grantedAt))
    .limit(200);
  const uses = await tx
    .select({
      offerId: offerUses.offerId,
      grantId: offerUses.grantId,
      count: sql<number>`count(*) filter (where ${offerUses.status} in ('held', 'used'))::int`,
      lastUsedAt: sql<Date | null>`max(coalesce(${offerUses.settledAt}, ${offerUses.createdAt})) filter (where ${offerUses.status} = 'used')`,
    })
    .from(offerUses)
    .where(eq(offerUses.guestId, input.guestId))
    .groupBy(offerUses.offerId, offerUses.grantId);
  const byOffer = new Map<string, number>();
  const byGrant = new Map<string, number>();
  const usedAt = new Map<string, Date>();
  for (const use of uses) {
    byOffer.set(use.offerId, (byOffer.get(use.offerId) ?? 0) + use.count);
    const key = use.grantId ?? use.offerId;
    if (use.grantId) byGrant.set(use.grantId, (byGrant.get(use.grantId) ?? 0) + use.count);
    if (use.lastUsedAt) usedAt.set(key, new Date(use.lastUsedAt));
  }
  const counts = { byOffer, byGrant };
  const usable: CabinetOffer[] = [];
  const past: CabinetOffer[] = [];
  for (const { grant, offer } of grants) {
    const view = cabinetOffer(offer, grant, counts, usedAt.get(grant.id) ?? null, input.locale, now);
    (view.status === "usable" ? usable : past).push(view);
  }
  // Promo codes the guest used (they are nobody's grant).
  const codeIds = uses.filter((use) => !use.grantId && use.lastUsedAt).map((use) => use.offerId);
  if (codeIds.length > 0) {
    const codes = await tx.select().from(offers).where(inArray(offers.id, codeIds));
    for (const offer of codes) {
      past.push({
        ...cabinetOffer(offer, null, counts, usedAt.get(offer.id) ?? null, input.locale, now),
        status: "used",
      });
    }
  }
  past.sort((a, b) => (b.usedAt ?? b.grantedAt ?? "").localeCompare(a.usedAt ?? a.grantedAt ?? ""));
  return { usable, past };
}

function cabinetOffer(
  offer: OfferRow,
  grant: GrantRow | null,
  counts: { byOffer: Map<string, number>; byGrant: Map<string, number> },
  usedAt: Date | null,
  locale: string,
  now: Date,
): CabinetOffer {
  const verdict = evaluateOffer(evaluable(offer, grant), {
    locationId: null,
    at: now,
    usesLeft: usesLeft(offer, counts, grant),
  });
  // Without a location every location is fine for the cabinet (the till decides where).
  const reason = verdict.reason === "wrong_location" ? undefined : verdict.reason;
  const mineUsedUp =
    reason === "used_up" &&
    offer.perGuestLimit !== null &&
    (grant ? (counts.byGrant.get(grant.id) ?? 0) : (counts.byOffer.get(offer.id) ?? 0)) >= offer.perGuestLimit;
  const status: CabinetOffer["status"] =
    !reason || reason === "not_yet_valid" ? "usable" : mineUsedUp ? "used" : reason === "expired" ? "expired" : "ended";
  return {
    ...toPosOffer(offer, grant, locale, reason ? { applicable: false, reason } : { applicable: true }),
    grantId: grant?.id ?? null,
    description: titleIn(offer.description, locale),
    minCheck: offer.minCheck,
    locationIds: offer.locationIds,
    grantedAt: grant?.grantedAt.toISOString() ?? null,
    usedAt: usedAt?.toISOString() ?? null,
    status,
  };
}
