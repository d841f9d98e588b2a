import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { receiptLines, receipts, redemptions, refunds } from "@/db/schema";
import { AppError } from "../errors";
import { lockName } from "../locks";
import { payloadHash } from "./canonical";
import { paidMoney, pointsEarned, tierFor } from "./formulas";
import { lockActiveGuest, refreshedGuest } from "./guests";
import { type Guest, postPoints } from "./ledger";
import { type Program, tierName } from "./program";
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
};

export type ReceiptBody = {
  receipt: { id: string; externalId: string; total: number; pointsRedeemed: number; pointsEarned: number };
  guest: { id: string; balance: number; tier: string } | null;
};

/** `replayed`: the same request was answered before; the body is that first answer. */
export type Recorded<T> = { body: T; replayed: boolean };

export type PosScope = { tenantId: string; locationId: string; channel?: "pos" | "online"; orderId?: string };

const idempotencyConflict = (what: string) =>
  new AppError("conflict", `${what} was already used with a different payload`, "idempotency_conflict");

/**
 * Records a closed check: commits its held redemption, accrues points by the guest's tier before
 * the check, moves lifetime paid money and the tier — all in the caller's transaction. The same
 * externalId with the same payload (a retry, even a concurrent one) replays the first answer.
 */
export async function recordReceipt(
  tx: Tx,
  program: Program,
  scope: PosScope,
  input: ReceiptInput,
): Promise<Recorded<ReceiptBody>> {
  const hash = payloadHash(input);
  // Retries of one check queue here; each then sees what the one before it committed.
  await lockName(tx, `receipt:${scope.locationId}:${input.externalId}`);
  const existing = await receiptByExternalId(tx, scope.locationId, input.externalId);
  if (existing?.payloadHash === hash) return { body: existing.response as ReceiptBody, replayed: true };

  const guest = await resolveReceiptGuest(tx, input);
  // The contract answers 404 before 409: the guest is resolved before the reuse is refused.
  if (existing) throw idempotencyConflict(`externalId ${input.externalId}`);
  const redemption = input.redemptionId ? await lockHeldRedemption(tx, program, input, guest) : null;
  const redeemed = redemption?.points ?? 0;
  const tierBefore = guest ? tierFor(guest.lifetimePaid, program.tiers) : null;
  const earned = tierBefore ? pointsEarned(input.total, redeemed, tierBefore.accrualPercent) : 0;
  const lifetimePaid = guest ? guest.lifetimePaid + paidMoney(input.total, redeemed) : 0;
  const tierAfter = guest ? tierFor(lifetimePaid, program.tiers) : null;
  const receiptId = randomUUID();
  const body: ReceiptBody = {
    receipt: {
      id: receiptId,
      externalId: input.externalId,
      total: input.total,
      pointsRedeemed: redeemed,
      pointsEarned: earned,
    },
    guest: guest && tierAfter ? { id: guest.id, balance: guest.balance + earned, tier: tierAfter.name } : null,
  };
  await tx.insert(receipts).values({
    tenantId: scope.tenantId,
    id: receiptId,
    locationId: scope.locationId,
    channel: scope.channel ?? "pos",
    externalId: input.externalId,
    payloadHash: hash,
    guestId: guest?.id ?? null,
    orderId: scope.orderId ?? null,
    redemptionId: redemption?.id ?? null,
    occurredAt: new Date(input.occurredAt),
    total: input.total,
    pointsRedeemed: redeemed,
    pointsEarned: earned,
    fiscalFn: input.fiscal?.fn ?? null,
    fiscalFd: input.fiscal?.fd ?? null,
    fiscalFp: input.fiscal?.fp ?? null,
    response: body,
  });
  await tx.insert(receiptLines).values(
    input.lines.map((line, index) => ({
      tenantId: scope.tenantId,
      receiptId,
      lineNo: index + 1,
      sku: line.sku,
      name: line.name,
      quantity: quantityText(line.quantity),
      unitPrice: line.unitPrice,
      amount: line.amount,
      category: line.category ?? null,
    })),
  );
  if (redemption) {
    await tx
      .update(redemptions)
      .set({ status: "committed", settledAt: sql`now()` })
      .where(eq(redemptions.id, redemption.id));
  }
  if (guest && tierAfter) {
    // A check dated ahead (a POS clock running fast) must not push the last visit into the future.
    const occurredAt = new Date(Math.min(Date.parse(input.occurredAt), Date.now()));
    await postPoints(tx, guest, [{ kind: "accrual", delta: earned, receiptId }], {
      lifetimePaid,
      tierId: tierAfter.id,
      lastVisitAt: guest.lastVisitAt && guest.lastVisitAt > occurredAt ? guest.lastVisitAt : occurredAt,
    });
  }
  return { body, replayed: false };
}

async function receiptByExternalId(tx: Tx, locationId: string, externalId: string) {
  const [existing] = await tx
    .select({ payloadHash: receipts.payloadHash, response: receipts.response })
    .from(receipts)
    .where(and(eq(receipts.locationId, locationId), eq(receipts.externalId, externalId)));
  return existing ?? null;
}

async function resolveReceiptGuest(tx: Tx, input: ReceiptInput): Promise<Guest | null> {
  if (!input.guest && !input.guestId) return null;
  const guest = await lockActiveGuest(
    tx,
    input.guest ? { identifier: input.guest.identifier } : { guestId: input.guestId ?? "" },
  );
  if (!guest) throw new AppError("not_found", "No guest with this identifier", "guest_not_found");
  return guest;
}

async function lockHeldRedemption(tx: Tx, program: Program, input: ReceiptInput, guest: Guest | null) {
  const [redemption] = await tx
    .select()
    .from(redemptions)
    .where(eq(redemptions.id, input.redemptionId ?? ""))
    .for("update");
  if (!redemption) throw new AppError("not_found", "No redemption with this id", "redemption_not_found");
  if (!guest || redemption.guestId !== guest.id) {
    throw new AppError("invalid_request", "The redemption belongs to another guest than the receipt's", undefined, [
      { path: "redemptionId", message: "The held redemption must belong to the receipt's guest" },
    ]);
  }
  if (redemption.status !== "held") {
    throw new AppError("conflict", `The redemption is already ${redemption.status}`, "redemption_not_active");
  }
  assertWithinCap(program, redemption.points, input.total);
  return redemption;
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
