import { and, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { ledgerEntries, offers, offerUses } from "@/db/schema";
import { AppError } from "../errors";
import type { LedgerEntryInput } from "../loyalty/ledger";
import { evaluateOffer, grossOf, offerPoints, splitReversal } from "./evaluate";
import { evaluable, grantsOf, guestUseCounts, offerByCode, offerById, usesLeft } from "./store";
import type { BasketLine, GrantRow, OfferChoice, OfferReason, OfferRow } from "./types";

// The money side of offers: checking the offers a check or an order names, recording one use per
// offer in the check's own transaction (race-free on the last use), holding uses with online
// orders, and giving uses and points back on refunds and cancellations.

/** An offer as a receipt names it (POS-API.md): `discount` is the money it took off `lines`. */
export type ReceiptOfferInput = { id?: string; code?: string; discount: number; lines?: number[] };

/** An offer checked for a check, ready to be recorded. */
export type PlannedOffer = {
  offer: OfferRow;
  grant: GrantRow | null;
  discount: number;
  /** The lines the POS named (null: it named none). */
  lines: number[] | null;
  points: number;
  /** The online order's held use that this receipt spends (its limits were taken when it was held). */
  heldUseId: string | null;
};

export type OfferRefusalCode = "offer_not_applicable" | "offer_used_up" | "offer_expired";

/** The contract's 422 for an offer, naming it (and which entry of `offers`) in `details`. */
export function offerRefused(
  code: OfferRefusalCode,
  offer: Pick<OfferRow, "id" | "code">,
  reason: OfferReason | "discount_exceeds_allowed",
  extra: { path?: string; maxDiscount?: number } = {},
): AppError {
  const what = offer.code ? `Offer ${offer.code}` : `Offer ${offer.id}`;
  const why: Record<typeof reason, string> = {
    min_check_not_met: "the check is below its minimum",
    no_matching_items: "the check has none of its items",
    required_item_missing: "the check has none of the items it comes with",
    not_yet_valid: "it is not valid yet",
    expired: "it has expired",
    used_up: "it is used up",
    paused: "it is paused or archived",
    wrong_location: "it is not valid at this location",
    not_for_this_guest: "it is not this guest's",
    discount_exceeds_allowed: `the discount is more than it allows (${extra.maxDiscount ?? 0})`,
  };
  return new AppError("unprocessable", `${what} does not apply: ${why[reason]}`, code, {
    offerId: offer.id,
    ...(offer.code ? { code: offer.code } : {}),
    reason,
    ...extra,
  });
}

const offerNotFound = (path: string) =>
  new AppError("not_found", "No offer with this id or code", "offer_not_found", { path });

/**
 * The offers a check or an order names, in its order: 400 when one is named twice (by id and by
 * code alike), else 404 offer_not_found for the first that is not this café's — the contract
 * answers 400 before 404, and both before an idempotency conflict (409) or a business rule (422).
 */
export async function resolveOffers(tx: Tx, choices: (ReceiptOfferInput | OfferChoice)[]): Promise<OfferRow[]> {
  const found: (OfferRow | null)[] = [];
  for (const choice of choices) {
    const id = "offerId" in choice ? choice.offerId : "id" in choice ? choice.id : undefined;
    found.push(
      id ? await offerById(tx, id) : "code" in choice && choice.code ? await offerByCode(tx, choice.code) : null,
    );
  }
  const twice = found.findIndex(
    (offer, index) => offer && found.slice(0, index).some((earlier) => earlier?.id === offer.id),
  );
  if (twice >= 0) {
    throw new AppError("invalid_request", "An offer is named twice", undefined, [
      { path: `offers.${twice}`, message: "Each offer may be applied once per check" },
    ]);
  }
  const missing = found.findIndex((offer) => !offer);
  if (missing >= 0) throw offerNotFound(`offers.${missing}`);
  return found as OfferRow[];
}

/**
 * Checks the offers a receipt (or an order being placed) names, before anything is written:
 * each exists in this café (else 404 offer_not_found), belongs to this guest or is a promo code,
 * is valid at `at` and here, has uses left, and its discount is not above what it allows on
 * these lines (else 422 offer_used_up / offer_not_applicable, the offer named in details).
 * `discount: "max"` (online orders) takes the most the offer allows. Points are computed with
 * `accrualPercent` (null: an anonymous check, which earns nothing).
 */
export async function planOffers(
  tx: Tx,
  input: {
    locationId: string;
    guestId: string | null;
    offers: (ReceiptOfferInput | (OfferChoice & { discount: "max" }))[];
    /** The offers `resolveOffers` found for `offers` (read again when absent). */
    resolved?: OfferRow[];
    lines: BasketLine[];
    /** The check after the offers' discounts (a receipt's `total`); the basket's sum for an order. */
    total: number;
    at: Date;
    pointsRedeemed: number;
    accrualPercent: number | null;
    /** The online order being collected: its held uses are spent, not taken anew. */
    orderId?: string;
  },
): Promise<PlannedOffer[]> {
  const resolved = input.resolved ?? (await resolveOffers(tx, input.offers));
  const held = input.orderId ? await heldUsesOf(tx, input.orderId) : new Map<string, HeldUse>();
  const personalIds = resolved.filter((offer) => offer.source !== "code").map((offer) => offer.id);
  const grants = input.guestId ? await grantsOf(tx, input.guestId, personalIds) : [];
  const used = input.guestId
    ? await guestUseCounts(
        tx,
        input.guestId,
        resolved.map((offer) => offer.id),
        input.orderId,
      )
    : null;
  // The minimum check is of the check before the offers took their money off: the lines' gross
  // (unit price × quantity), never `total` + the discounts a check claims (an overstated discount
  // would lift it over the minimum). On a check, what the offers claim together is at most what
  // its lines lost (gross − total); an order's "max" offers are priced here, one discount each.
  const checkBefore = input.lines.reduce((sum, line) => sum + grossOf(line), 0);
  const priced = input.offers.every((choice) => typeof choice.discount === "number");
  let discountLeft = priced ? checkBefore - input.total : Number.POSITIVE_INFINITY;

  return resolved.map((offer, index) => {
    const choice = input.offers[index] as ReceiptOfferInput | (OfferChoice & { discount: "max" });
    const lineIndexes = "lines" in choice && choice.lines ? choice.lines : null;
    const path = `offers.${index}`;
    const heldUse = held.get(offer.id);
    if (heldUse) {
      // Checked and counted when the order was placed: the guest keeps what the order promised.
      discountLeft -= heldUse.discount;
      return {
        offer,
        grant: null,
        discount: heldUse.discount,
        lines: heldUse.lines,
        points: pointsFor(offer, input, heldUse.lines ?? undefined),
        heldUseId: heldUse.id,
      };
    }
    let grant: GrantRow | null = null;
    if (offer.source !== "code") {
      const mine = grants.filter((candidate) => candidate.offerId === offer.id);
      if (mine.length === 0) throw offerRefused("offer_not_applicable", offer, "not_for_this_guest", { path });
      const live = mine.filter((candidate) => !candidate.expiresAt || candidate.expiresAt > input.at);
      // The newest live grant with uses left; else the one that says best why not.
      grant = live.find((candidate) => (usesLeft(offer, used, candidate) ?? 1) > 0) ?? live[0] ?? (mine[0] as GrantRow);
    }
    const verdict = evaluateOffer(evaluable(offer, grant), {
      lines: input.lines,
      lineIndexes: lineIndexes ?? undefined,
      checkTotal: checkBefore,
      locationId: input.locationId,
      at: input.at,
      usesLeft: usesLeft(offer, used, grant),
    });
    if (!verdict.applicable) {
      const reason = verdict.reason ?? "no_matching_items";
      throw offerRefused(reason === "used_up" ? "offer_used_up" : "offer_not_applicable", offer, reason, { path });
    }
    const discount = typeof choice.discount === "number" ? choice.discount : verdict.maxDiscount;
    if (discount > verdict.maxDiscount) {
      throw offerRefused("offer_not_applicable", offer, "discount_exceeds_allowed", {
        path,
        maxDiscount: verdict.maxDiscount,
      });
    }
    if (discount > discountLeft) {
      // Several offers together claim more than the lines lost (two 50 % offers on one check).
      throw offerRefused("offer_not_applicable", offer, "discount_exceeds_allowed", {
        path,
        maxDiscount: Math.max(0, discountLeft),
      });
    }
    discountLeft -= discount;
    return {
      offer,
      grant,
      discount,
      lines: lineIndexes ?? (choice.discount === "max" ? verdict.matched : null),
      points: pointsFor(offer, input, verdict.matched),
      heldUseId: null,
    };
  });
}

function pointsFor(
  offer: OfferRow,
  input: { lines: BasketLine[]; total: number; pointsRedeemed: number; accrualPercent: number | null },
  matched: number[] | undefined,
): number {
  if (input.accrualPercent === null) return 0;
  const indexes = matched ?? input.lines.map((_, index) => index);
  const matchedAmount = indexes.reduce((sum, index) => sum + (input.lines[index]?.amount ?? 0), 0);
  return offerPoints(offer, {
    matchedAmount,
    total: input.total,
    pointsRedeemed: input.pointsRedeemed,
    accrualPercent: input.accrualPercent,
  });
}

type HeldUse = { id: string; discount: number; lines: number[] | null };

async function heldUsesOf(tx: Tx, orderId: string): Promise<Map<string, HeldUse>> {
  const rows = await tx
    .select({ id: offerUses.id, offerId: offerUses.offerId, discount: offerUses.discount, lines: offerUses.lines })
    .from(offerUses)
    .where(and(eq(offerUses.orderId, orderId), eq(offerUses.status, "held")));
  return new Map(rows.map((row) => [row.offerId, row]));
}

/**
 * Takes one use of each planned offer for a check or an order, in the caller's transaction. The
 * total limit is a conditional counter update (`uses_count < total_limit`): of two checks racing
 * for the last use the second waits on the offer's row, then finds the condition false and gets
 * 422 offer_used_up. Offers are taken in id order, so two checks with two offers cannot deadlock.
 * A receipt's offer points go to the ledger naming the offer (the balance moved with the receipt).
 */
export async function takeOffers(
  tx: Tx,
  input: {
    tenantId: string;
    locationId: string;
    guestId: string | null;
    planned: PlannedOffer[];
    receiptId?: string;
    orderId?: string;
  },
): Promise<void> {
  const status = input.receiptId ? ("used" as const) : ("held" as const);
  const fresh = input.planned.filter((plan) => !plan.heldUseId).sort((a, b) => a.offer.id.localeCompare(b.offer.id));
  for (const plan of fresh) {
    const [taken] = await tx
      .update(offers)
      .set({ usesCount: sql`${offers.usesCount} + 1` })
      .where(
        and(
          eq(offers.id, plan.offer.id),
          sql`(${offers.totalLimit} is null or ${offers.usesCount} < ${offers.totalLimit})`,
        ),
      )
      .returning({ id: offers.id });
    if (!taken) throw offerRefused("offer_used_up", plan.offer, "used_up");
  }
  if (fresh.length > 0) {
    await tx.insert(offerUses).values(
      fresh.map((plan) => ({
        tenantId: input.tenantId,
        offerId: plan.offer.id,
        guestId: input.guestId,
        grantId: plan.grant?.id ?? null,
        locationId: input.locationId,
        receiptId: input.receiptId ?? null,
        orderId: input.orderId ?? null,
        status,
        discount: plan.discount,
        points: input.guestId && input.receiptId ? plan.points : 0,
        lines: plan.lines,
        settledAt: input.receiptId ? sql`now()` : null,
      })),
    );
  }
  for (const plan of input.planned.filter((candidate) => candidate.heldUseId)) {
    await tx
      .update(offerUses)
      .set({
        status: "used",
        receiptId: input.receiptId ?? null,
        points: input.guestId ? plan.points : 0,
        settledAt: sql`now()`,
      })
      .where(eq(offerUses.id, plan.heldUseId as string));
  }
  const earning = input.guestId && input.receiptId ? input.planned.filter((plan) => plan.points > 0) : [];
  if (earning.length > 0) {
    await tx.insert(ledgerEntries).values(
      earning.map((plan) => ({
        tenantId: input.tenantId,
        guestId: input.guestId as string,
        kind: "offer_points" as const,
        delta: plan.points,
        receiptId: input.receiptId,
        offerId: plan.offer.id,
      })),
    );
  }
}

/** Cancelling an online order: its held uses are released and their counts given back. */
export async function releaseOrderOffers(tx: Tx, orderId: string): Promise<number> {
  const released = await tx
    .update(offerUses)
    .set({ status: "released", settledAt: sql`now()` })
    .where(and(eq(offerUses.orderId, orderId), eq(offerUses.status, "held")))
    .returning({ offerId: offerUses.offerId });
  await giveBackCounts(
    tx,
    released.map((use) => use.offerId),
  );
  return released.length;
}

async function giveBackCounts(tx: Tx, offerIds: string[]): Promise<void> {
  for (const offerId of [...new Set(offerIds)].sort()) {
    const count = offerIds.filter((id) => id === offerId).length;
    await tx
      .update(offers)
      .set({ usesCount: sql`greatest(${offers.usesCount} - ${count}, 0)` })
      .where(eq(offers.id, offerId));
  }
}

/**
 * A refund of a receipt with offers: the offers' points are reversed in the same proportion as
 * the check's own (the contract's ceil formula on each part, `splitReversal`), as ledger entries
 * naming the offer; a refund that completes the whole check also gives back the uses of its
 * single-use offers (per-guest limit 1: status returned, counts freed). Returns the ledger entries to post for the offers and how
 * much of `reversed` they take (the rest is the check's own `refund_reversal`). Receipts without
 * offers return nothing (one read).
 */
export async function refundOffers(
  tx: Tx,
  input: {
    receiptId: string;
    refundId: string;
    total: number;
    /** Money refunded on the receipt so far, this refund included. */
    refunded: number;
    /** Points this refund reverses in all (the contract's pointsReversed). */
    reversed: number;
  },
): Promise<{ entries: LedgerEntryInput[]; offerReversed: number }> {
  const uses = await tx
    .select({ ...getTableColumns(offerUses), perGuestLimit: offers.perGuestLimit })
    .from(offerUses)
    .innerJoin(offers, eq(offers.id, offerUses.offerId))
    .where(and(eq(offerUses.receiptId, input.receiptId), eq(offerUses.status, "used")))
    .orderBy(offerUses.offerId)
    .for("update", { of: offerUses });
  if (uses.length === 0) return { entries: [], offerReversed: 0 };
  const takes = splitReversal({ reversed: input.reversed, total: input.total, refunded: input.refunded, offers: uses });
  const whole = input.refunded >= input.total;
  const entries: LedgerEntryInput[] = [];
  const givenBack: string[] = [];
  for (const [index, use] of uses.entries()) {
    const take = takes[index] ?? 0;
    // The contract gives back only single-use offers' uses (one per guest, or per grant): an
    // offer the guest may use again and again has nothing to give back.
    const giveBack = whole && use.perGuestLimit === 1;
    if (giveBack) givenBack.push(use.offerId);
    if (take > 0) {
      entries.push({
        kind: "offer_points_reversal",
        delta: -take,
        receiptId: input.receiptId,
        refundId: input.refundId,
        offerId: use.offerId,
      });
    }
    if (take > 0 || giveBack) {
      await tx
        .update(offerUses)
        .set({
          pointsReversed: use.pointsReversed + take,
          ...(giveBack ? { status: "returned" as const, settledAt: sql`now()` } : {}),
        })
        .where(eq(offerUses.id, use.id));
    }
  }
  await giveBackCounts(tx, givenBack);
  return { entries, offerReversed: takes.reduce((sum, take) => sum + take, 0) };
}

/** The uses (held or used) of the given orders' offers, for their summaries. */
export async function orderOfferUses(tx: Tx, orderIds: string[]) {
  if (orderIds.length === 0) return [];
  return tx
    .select({ orderId: offerUses.orderId, offerId: offerUses.offerId, discount: offerUses.discount })
    .from(offerUses)
    .where(and(inArray(offerUses.orderId, orderIds), inArray(offerUses.status, ["held", "used"])));
}
