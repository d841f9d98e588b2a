import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { receipts, refunds } from "@/db/schema";
import { AppError } from "../errors";
import { lockName } from "../locks";
import { refundOffers } from "../offers/uses";
import { payloadHash } from "./canonical";
import { refundPoints, tierFor } from "./formulas";
import { lockGuest, postPoints, releaseDueHolds } from "./ledger";
import type { Program } from "./program";
import { idempotencyConflict, type PosScope, type Recorded, type RefundBody } from "./receipts";

export type RefundResponse = { refund: RefundBody; guest: { balance: number } | null };

/**
 * Refunds money of a receipt (fully or partly): takes back earned points and gives back spent
 * ones in proportion, cumulatively so that refunds adding up to the check move exactly what the
 * receipt had. externalRefundId is idempotent like a receipt's externalId.
 */
export async function recordRefund(
  tx: Tx,
  program: Program,
  scope: PosScope,
  externalId: string,
  input: { externalRefundId: string; amount: number },
): Promise<Recorded<RefundResponse>> {
  // Retries of one refund queue here; each then sees what the one before it committed.
  await lockName(tx, `refund:${scope.locationId}:${input.externalRefundId}`);
  const [found] = await tx
    .select({ id: receipts.id, guestId: receipts.guestId })
    .from(receipts)
    .where(and(eq(receipts.locationId, scope.locationId), eq(receipts.externalId, externalId)));
  if (!found) throw new AppError("not_found", `No receipt ${externalId}`, "receipt_not_found");
  const hash = payloadHash({ externalId, ...input });
  const replay = await replayRefund(tx, scope.locationId, input.externalRefundId, hash);
  if (replay) return replay;

  // Guest, then receipt: the lock order of receipts; the receipt lock serialises its refunds.
  const guest = found.guestId ? await lockGuest(tx, found.guestId) : null;
  if (guest) await releaseDueHolds(tx, guest);
  const [receipt] = await tx.select().from(receipts).where(eq(receipts.id, found.id)).for("update");
  if (!receipt) throw new AppError("not_found", `No receipt ${externalId}`, "receipt_not_found");
  const [before] = await tx
    .select({
      amount: sql<number>`coalesce(sum(${refunds.amount}), 0)::int`,
      reversed: sql<number>`coalesce(sum(${refunds.pointsReversed}), 0)::int`,
      returned: sql<number>`coalesce(sum(${refunds.pointsReturned}), 0)::int`,
    })
    .from(refunds)
    .where(eq(refunds.receiptId, receipt.id));
  const refundedBefore = before?.amount ?? 0;
  if (refundedBefore + input.amount > receipt.total) {
    throw new AppError(
      "unprocessable",
      `Refunds would exceed the receipt: ${refundedBefore} of ${receipt.total} already refunded`,
      "refund_exceeds_receipt",
    );
  }
  const points = refundPoints({
    total: receipt.total,
    pointsEarned: receipt.pointsEarned,
    pointsRedeemed: receipt.pointsRedeemed,
    refundedBefore,
    amount: input.amount,
    reversedBefore: before?.reversed ?? 0,
    returnedBefore: before?.returned ?? 0,
  });
  const refundId = randomUUID();
  const refund: RefundBody = { externalRefundId: input.externalRefundId, amount: input.amount, ...points };
  // The guest's balance after: reversal may push it below zero (a debt later accruals pay off).
  const balanceAfter = guest ? guest.balance - points.pointsReversed + points.pointsReturned : null;
  const body: RefundResponse = { refund, guest: balanceAfter === null ? null : { balance: balanceAfter } };
  const [inserted] = await tx
    .insert(refunds)
    .values({
      tenantId: scope.tenantId,
      id: refundId,
      receiptId: receipt.id,
      locationId: scope.locationId,
      externalRefundId: input.externalRefundId,
      payloadHash: hash,
      amount: input.amount,
      pointsReversed: points.pointsReversed,
      pointsReturned: points.pointsReturned,
      response: body,
    })
    .returning({ id: refunds.id });
  if (!inserted) throw new Error("refund insert returned nothing");
  // The offers' share of the reversal (entries naming each offer); a whole refund gives their uses back.
  const offerPart = await refundOffers(tx, {
    receiptId: receipt.id,
    refundId,
    total: receipt.total,
    refunded: refundedBefore + input.amount,
    reversed: points.pointsReversed,
  });
  if (guest) {
    // Money given back is the refunded amount less the points returned in its place.
    const lifetimePaid = guest.lifetimePaid - (input.amount - points.pointsReturned * 100);
    await postPoints(
      tx,
      guest,
      [
        {
          kind: "refund_reversal",
          delta: -(points.pointsReversed - offerPart.offerReversed),
          receiptId: receipt.id,
          refundId,
        },
        ...offerPart.entries,
        { kind: "refund_return", delta: points.pointsReturned, receiptId: receipt.id, refundId },
      ],
      { lifetimePaid, tierId: tierFor(lifetimePaid, program.tiers).id },
    );
  }
  return { body, replayed: false };
}

async function replayRefund(
  tx: Tx,
  locationId: string,
  externalRefundId: string,
  hash: string,
): Promise<Recorded<RefundResponse> | null> {
  const [existing] = await tx
    .select({ payloadHash: refunds.payloadHash, response: refunds.response })
    .from(refunds)
    .where(and(eq(refunds.locationId, locationId), eq(refunds.externalRefundId, externalRefundId)));
  if (!existing) return null;
  if (existing.payloadHash !== hash) {
    throw idempotencyConflict(`externalRefundId ${externalRefundId}`);
  }
  return { body: existing.response as RefundResponse, replayed: true };
}
