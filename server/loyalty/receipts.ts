import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guests, ledgerEntries, receiptLines, receipts, redemptions, refunds } from "@/db/schema";
import { AppError } from "../errors";
import { timeOrderedUuid } from "../ids";
import type { OfferRow } from "../offers/types";
import { type PlannedOffer, planOffers, type ReceiptOfferInput, resolveOffers, takeOffers } from "../offers/uses";
import { payloadHash } from "./canonical";
import { paidMoney, pointsEarned, tierFor } from "./formulas";
import { lockActiveGuest, refreshedGuest } from "./guests";
import type { Guest } from "./ledger";
import { type Program, rulesAt, tierName } from "./program";
import { assertWithinCap } from "./redemptions";

export type ReceiptLineInput = {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  category?: string;
};

export type ReceiptInput = {
  externalId: string;
  occurredAt: string;
  guest?: { identifier: string };
  guestId?: string;
  redemptionId?: string;
  lines: ReceiptLineInput[];
  total: number;
  fiscal?: { fn: string; fd: string; fp: string };
  /** Offers applied to this check (POS-API.md "Offers and coupons"); amounts and total are after them. */
  offers?: ReceiptOfferInput[];
};

export type OfferApplied = { id: string; discount: number; pointsEarned: number };

export type ReceiptBody = {
  receipt: { id: string; externalId: string; total: number; pointsRedeemed: number; pointsEarned: number };
  guest: { id: string; balance: number; tier: string } | null;
  /** Only when the receipt named offers. */
  offersApplied?: OfferApplied[];
};

/** `replayed`: the same request was answered before; the body is that first answer. */
export type Recorded<T> = { body: T; replayed: boolean };

export type PosScope = { tenantId: string; locationId: string; channel?: "pos" | "online"; orderId?: string };

export const idempotencyConflict = (what: string) =>
  new AppError("conflict", `${what} was already used with a different payload`, "idempotency_conflict");

/**
 * Records a closed check: commits its held redemption, accrues points by the guest's tier before
 * the check, moves lifetime paid money and the tier — all in the caller's transaction. The same
 * externalId with the same payload (a retry, even a concurrent one) replays the first answer.
 *
 * The hot path of the product (every sale at every till): with a guest it is one locking read
 * and one write statement. Idempotency rests on the receipts' unique key: a retry racing the
 * first request waits on it, then finds the committed receipt and replays it.
 */
export async function recordReceipt(
  tx: Tx,
  program: Program,
  scope: PosScope,
  input: ReceiptInput,
): Promise<Recorded<ReceiptBody>> {
  const hash = payloadHash(input);
  // A check earns by the rules in force when it happened (a check at 23:59 before a change at
  // midnight earns by the old ones), picked from memory; one dated ahead by a POS clock running
  // fast counts as now.
  const occurredAt = new Date(Math.min(Date.parse(input.occurredAt), Date.now()));
  const rules = rulesAt(program, occurredAt);
  // The guest is locked first, so retries of one guest's check queue here. The contract answers
  // 404 before 409: an unknown guest is reported before a reused externalId.
  const guest = await resolveReceiptGuest(tx, input);
  if (!guest && (input.guest || input.guestId)) {
    // A retry of a check whose guest has since been blocked or deleted still gets its answer.
    const replay = replayOf(await receiptByExternalId(tx, scope.locationId, input.externalId), hash);
    if (replay) return replay;
    // A hold of another guest than the one named by id is a 400, and the contract answers 400
    // before 404. (Named by phone, card or an expired QR, the hold may well be that guest's.)
    if (input.guestId && input.redemptionId && (await holdOfAnother(tx, input.redemptionId, input.guestId))) {
      throw anotherGuestsHold();
    }
    throw new AppError("not_found", "No guest with this identifier", "guest_not_found");
  }
  let redemption: Awaited<ReturnType<typeof lockRedemption>> | null = null;
  // Offers (only when the check names some, so a plain receipt costs no extra query): checked
  // now, their uses taken after the receipt's insert — a retry then waits on the receipt's key
  // and replays instead of racing for the offer's last use.
  let resolvedOffers: OfferRow[] | undefined;
  if (input.redemptionId || input.offers?.length) {
    // A retry must replay before the redemption, committed by the first request, is refused. Else
    // the contract's order: an offer named twice (400), an unknown offer or redemption (404), a
    // reused externalId (409), the hold's own state (409), then the 422s (its cap, the offers).
    const existing = await receiptByExternalId(tx, scope.locationId, input.externalId);
    const replay = replayOf(existing, hash);
    if (replay) return replay;
    if (input.offers?.length) resolvedOffers = await resolveOffers(tx, input.offers);
    if (input.redemptionId) redemption = await lockRedemption(tx, input, guest);
    if (existing) throw idempotencyConflict(`externalId ${input.externalId}`);
    if (redemption) assertRedeemable(rules, redemption, input);
  }
  const redeemed = redemption?.points ?? 0;
  const tierBefore = guest ? tierFor(guest.lifetimePaid, rules.tiers) : null;
  const earned = tierBefore ? pointsEarned(input.total, redeemed, tierBefore.accrualPercent) : 0;
  let planned: PlannedOffer[] = [];
  if (input.offers?.length) {
    planned = await planOffers(tx, {
      locationId: scope.locationId,
      guestId: guest?.id ?? null,
      offers: input.offers,
      resolved: resolvedOffers,
      lines: input.lines,
      total: input.total,
      at: occurredAt,
      pointsRedeemed: redeemed,
      accrualPercent: tierBefore?.accrualPercent ?? null,
      orderId: scope.orderId,
    });
  }
  const offerPoints = planned.reduce((sum, plan) => sum + plan.points, 0);
  const lifetimePaid = guest ? guest.lifetimePaid + paidMoney(input.total, redeemed) : 0;
  const tierAfter = guest ? tierFor(lifetimePaid, rules.tiers) : null;
  const receiptId = timeOrderedUuid();
  const body: ReceiptBody = {
    receipt: {
      id: receiptId,
      externalId: input.externalId,
      total: input.total,
      pointsRedeemed: redeemed,
      pointsEarned: earned + offerPoints,
    },
    guest:
      guest && tierAfter ? { id: guest.id, balance: guest.balance + earned + offerPoints, tier: tierAfter.name } : null,
    ...(input.offers?.length
      ? {
          offersApplied: planned.map((plan) => ({
            id: plan.offer.id,
            discount: plan.discount,
            pointsEarned: plan.points,
          })),
        }
      : {}),
  };
  // A check dated ahead (a POS clock running fast) must not push the last visit into the future.
  const lastVisitAt = guest?.lastVisitAt && guest.lastVisitAt > occurredAt ? guest.lastVisitAt : occurredAt;
  const inserted = await tx.execute<{ id: string }>(
    receiptWrite({
      scope,
      input,
      receiptId,
      hash,
      body,
      guestId: guest?.id ?? null,
      redemptionId: redemption?.id ?? null,
      redeemed,
      earned,
      offerPoints,
      lifetimePaid,
      tierId: tierAfter?.id ?? null,
      lastVisitAt,
    }),
  );
  if (inserted.length === 0) {
    // The externalId was taken (by a retry that won the race, or by another check).
    const replay = replayOf(await receiptByExternalId(tx, scope.locationId, input.externalId), hash);
    if (replay) return replay;
    throw idempotencyConflict(`externalId ${input.externalId}`);
  }
  if (planned.length > 0) {
    await takeOffers(tx, {
      tenantId: scope.tenantId,
      locationId: scope.locationId,
      guestId: guest?.id ?? null,
      planned,
      receiptId,
      orderId: scope.orderId,
    });
  }
  if (guest && tierAfter) {
    Object.assign(guest, {
      lifetimePaid,
      tierId: tierAfter.id,
      lastVisitAt,
      balance: guest.balance + earned + offerPoints,
    });
  }
  return { body, replayed: false };
}

/** What `receiptWrite` stores: the check and what it decided for the guest. */
export type ReceiptWrite = {
  scope: PosScope;
  input: ReceiptInput;
  receiptId: string;
  hash: string;
  body: ReceiptBody;
  guestId: string | null;
  redemptionId: string | null;
  redeemed: number;
  /** The check's own accrual (one `accrual` entry). */
  earned: number;
  /** Points its offers add (their own ledger entries, written by takeOffers); in points_earned and the balance. */
  offerPoints?: number;
  lifetimePaid: number;
  tierId: string | null;
  lastVisitAt: Date;
};

/**
 * One statement: the receipt (nothing else happens when its externalId is taken), its lines, the
 * redemption committed, the accrual in the ledger and the guest's balance, tier and visit. Returns
 * the receipt's id, or no row when the externalId was taken. (bench:pos's raw baseline sends it too.)
 */
export function receiptWrite(write: ReceiptWrite): SQL {
  const { scope, input, guestId, redemptionId, earned } = write;
  const pointsTotal = earned + (write.offerPoints ?? 0);
  const lines = input.lines.map((line, index) => ({
    line_no: index + 1,
    sku: line.sku,
    name: line.name,
    quantity: quantityText(line.quantity),
    unit_price: line.unitPrice,
    amount: line.amount,
    category: line.category ?? null,
  }));
  return sql`
    with new_receipt as (
      insert into ${receipts} (tenant_id, id, location_id, channel, external_id, payload_hash, guest_id, order_id,
        redemption_id, occurred_at, total, points_redeemed, points_earned, fiscal_fn, fiscal_fd, fiscal_fp, response)
      values (${scope.tenantId}::uuid, ${write.receiptId}::uuid, ${scope.locationId}::uuid,
        ${scope.channel ?? "pos"}::receipt_channel, ${input.externalId}::text, ${write.hash}::char(64),
        ${guestId}::uuid, ${scope.orderId ?? null}::uuid, ${redemptionId}::uuid,
        ${input.occurredAt}::timestamptz, ${input.total}::integer, ${write.redeemed}::integer, ${pointsTotal}::integer,
        ${input.fiscal?.fn ?? null}::text, ${input.fiscal?.fd ?? null}::text, ${input.fiscal?.fp ?? null}::text,
        ${JSON.stringify(write.body)}::jsonb)
      on conflict (tenant_id, location_id, external_id) do nothing
      returning id
    ), new_lines as (
      insert into ${receiptLines} (tenant_id, receipt_id, line_no, sku, name, quantity, unit_price, amount, category)
      select ${scope.tenantId}::uuid, new_receipt.id, line.line_no, line.sku, line.name, line.quantity, line.unit_price,
             line.amount, line.category
      from new_receipt, jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) as line(line_no integer, sku text, name text,
        quantity numeric(12, 3), unit_price integer, amount integer, category text)
    ), committed as (
      update ${redemptions} set status = 'committed', settled_at = now()
      where id = ${redemptionId}::uuid and exists (select from new_receipt)
    ), accrual as (
      insert into ${ledgerEntries} (tenant_id, guest_id, kind, delta, receipt_id)
      select ${scope.tenantId}::uuid, ${guestId}::uuid, 'accrual', ${earned}::integer, new_receipt.id
      from new_receipt where ${earned}::integer <> 0
    ), visit as (
      update ${guests} set balance = balance + ${pointsTotal}::integer, lifetime_paid = ${write.lifetimePaid}::bigint,
        tier_id = coalesce(${write.tierId}::uuid, tier_id), last_visit_at = ${write.lastVisitAt.toISOString()}::timestamptz,
        updated_at = now()
      where id = ${guestId}::uuid and exists (select from new_receipt)
    )
    select id from new_receipt`;
}

/** The first answer to this check when it was recorded (`existing`) with the same payload, else null. */
function replayOf(existing: StoredReceipt | null, hash: string): Recorded<ReceiptBody> | null {
  return existing?.payloadHash === hash ? { body: existing.response as ReceiptBody, replayed: true } : null;
}

type StoredReceipt = { payloadHash: string; response: unknown };

async function receiptByExternalId(tx: Tx, locationId: string, externalId: string): Promise<StoredReceipt | null> {
  const [existing] = await tx
    .select({ payloadHash: receipts.payloadHash, response: receipts.response })
    .from(receipts)
    .where(and(eq(receipts.locationId, locationId), eq(receipts.externalId, externalId)));
  return existing ?? null;
}

/** The receipt's guest, locked; null for an anonymous check or a guest that is unknown or not active. */
async function resolveReceiptGuest(tx: Tx, input: ReceiptInput): Promise<Guest | null> {
  if (!input.guest && !input.guestId) return null;
  return lockActiveGuest(tx, input.guest ? { identifier: input.guest.identifier } : { guestId: input.guestId ?? "" });
}

/** The receipt's redemption, locked: 404 when there is none, 400 when it is another guest's. */
async function lockRedemption(tx: Tx, input: ReceiptInput, guest: Guest | null) {
  const [redemption] = await tx
    .select()
    .from(redemptions)
    .where(eq(redemptions.id, input.redemptionId ?? ""))
    .for("update");
  if (!redemption) throw new AppError("not_found", "No redemption with this id", "redemption_not_found");
  if (!guest || redemption.guestId !== guest.id) throw anotherGuestsHold();
  return redemption;
}

async function holdOfAnother(tx: Tx, redemptionId: string, guestId: string): Promise<boolean> {
  const [found] = await tx
    .select({ guestId: redemptions.guestId })
    .from(redemptions)
    .where(eq(redemptions.id, redemptionId));
  return Boolean(found) && found?.guestId !== guestId;
}

function anotherGuestsHold() {
  return new AppError("invalid_request", "The redemption belongs to another guest than the receipt's", undefined, [
    { path: "redemptionId", message: "The held redemption must belong to the receipt's guest" },
  ]);
}

/** 409 unless the redemption is still held; 422 when it exceeds the cap of the receipt's total. */
function assertRedeemable(program: Program, redemption: { status: string; points: number }, input: ReceiptInput) {
  if (redemption.status !== "held") {
    throw new AppError("conflict", `The redemption is already ${redemption.status}`, "redemption_not_active");
  }
  assertWithinCap(program, redemption.points, input.total);
}

/** Quantities have at most 3 decimals (validated); numeric(12,3) takes their fixed text. */
function quantityText(quantity: number): string {
  return (Math.round(quantity * 1000) / 1000).toFixed(3);
}

export type RefundBody = {
  externalRefundId: string;
  amount: number;
  pointsReversed: number;
  pointsReturned: number;
};

/** A receipt of this location with the guest's current balance and tier and its refunds. */
export async function getReceipt(tx: Tx, program: Program, locationId: string, externalId: string) {
  const [receipt] = await tx
    .select()
    .from(receipts)
    .where(and(eq(receipts.locationId, locationId), eq(receipts.externalId, externalId)));
  if (!receipt) throw new AppError("not_found", `No receipt ${externalId}`, "receipt_not_found");
  const guest = receipt.guestId ? await refreshedGuest(tx, receipt.guestId) : null;
  const refundRows = await tx
    .select()
    .from(refunds)
    .where(eq(refunds.receiptId, receipt.id))
    .orderBy(asc(refunds.createdAt));
  return {
    receipt: {
      id: receipt.id,
      externalId: receipt.externalId,
      total: receipt.total,
      pointsRedeemed: receipt.pointsRedeemed,
      pointsEarned: receipt.pointsEarned,
    },
    guest: guest ? { id: guest.id, balance: guest.balance, tier: tierName(program, guest.tierId) } : null,
    // As first answered (beyond the contract's GET, additive): the offers the check applied.
    ...((receipt.response as ReceiptBody).offersApplied
      ? { offersApplied: (receipt.response as ReceiptBody).offersApplied }
      : {}),
    refunds: refundRows.map(
      (refund): RefundBody => ({
        externalRefundId: refund.externalRefundId,
        amount: refund.amount,
        pointsReversed: refund.pointsReversed,
        pointsReturned: refund.pointsReturned,
      }),
    ),
  };
}
