import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { redemptions } from "@/db/schema";
import { AppError } from "../errors";
import { redeemCap } from "./formulas";
import { lockActiveGuest } from "./guests";
import { lockGuest, postPoints, releaseDueHolds } from "./ledger";
import type { Program } from "./program";

export type Redemption = typeof redemptions.$inferSelect;

const guestNotFound = () => new AppError("not_found", "No guest with this id", "guest_not_found");
const redemptionNotFound = () => new AppError("not_found", "No redemption with this id", "redemption_not_found");

/** 422 redemption_limit_exceeded when points × 100 > checkTotal × maxRedeemPercent / 100. */
export function assertWithinCap(program: Program, points: number, checkTotal: number): void {
  if (points > redeemCap(checkTotal, program.maxRedeemPercent)) {
    throw new AppError(
      "unprocessable",
      `At most ${program.maxRedeemPercent}% of the check may be paid with points`,
      "redemption_limit_exceeded",
    );
  }
}

/**
 * Holds points for an open check: a −points ledger entry at once, released on void or expiry.
 * Under the guest's row lock, so concurrent holds never together exceed the balance. A hold that
 * names its check (`externalCheckId`) is idempotent while it is held: the same request again (a POS
 * retry, even a concurrent one) gets the first hold back (`replayed`); another number of points
 * for that check is 409 idempotency_conflict — void the first hold to hold anew.
 */
export async function holdPoints(
  tx: Tx,
  program: Program,
  input: {
    guestId: string;
    locationId: string;
    points: number;
    checkTotal: number;
    externalCheckId?: string;
    /** When the hold runs out; by default the program's hold TTL from now (a POS check). An online
     * order passes its pick-up time plus a grace, so the points stay held until it is collected. */
    expiresAt?: Date;
  },
) {
  const guest = await lockActiveGuest(tx, { guestId: input.guestId });
  if (!guest) throw guestNotFound();
  if (input.externalCheckId) {
    // Read under the guest's lock, so a concurrent retry sees the first hold once it is committed.
    const [held] = await tx
      .select()
      .from(redemptions)
      .where(
        and(
          eq(redemptions.locationId, input.locationId),
          eq(redemptions.guestId, guest.id),
          eq(redemptions.externalCheckId, input.externalCheckId),
          eq(redemptions.status, "held"),
        ),
      );
    if (held) {
      // The check's total may have moved since (the receipt checks the cap against its own total);
      // another number of points is another hold, refused until the first one is voided.
      if (held.points !== input.points) {
        throw new AppError(
          "conflict",
          `Check ${input.externalCheckId} already has a hold of ${held.points} points; void it to hold anew`,
          "idempotency_conflict",
        );
      }
      return { redemption: held, balance: guest.balance, replayed: true };
    }
  }
  // The contract orders the 422s: the cap first, then the balance.
  assertWithinCap(program, input.points, input.checkTotal);
  if (guest.balance < input.points) {
    throw new AppError("unprocessable", `The guest has ${Math.max(0, guest.balance)} points`, "insufficient_points");
  }
  const [hold] = await tx
    .insert(redemptions)
    .values({
      tenantId: guest.tenantId,
      guestId: guest.id,
      locationId: input.locationId,
      points: input.points,
      checkTotal: input.checkTotal,
      externalCheckId: input.externalCheckId ?? null,
      expiresAt: input.expiresAt ?? sql`now() + make_interval(secs => ${program.holdTtlSeconds})`,
    })
    .returning();
  if (!hold) throw new Error("hold insert returned nothing");
  const balance = await postPoints(tx, guest, [
    { kind: "redemption_hold", delta: -input.points, redemptionId: hold.id },
  ]);
  return { redemption: hold, balance, replayed: false };
}

/** Voids a held redemption: the points are available again. 409 when it is no longer held. */
export async function voidHold(tx: Tx, redemptionId: string) {
  const [found] = await tx
    .select({ guestId: redemptions.guestId })
    .from(redemptions)
    .where(eq(redemptions.id, redemptionId));
  if (!found) throw redemptionNotFound();
  // Guest first, then the redemption: the same lock order as holds and receipts (no deadlocks).
  const guest = await lockGuest(tx, found.guestId);
  if (!guest) throw redemptionNotFound();
  await releaseDueHolds(tx, guest);
  const [hold] = await tx.select().from(redemptions).where(eq(redemptions.id, redemptionId)).for("update");
  if (!hold) throw redemptionNotFound();
  if (hold.status !== "held") {
    throw new AppError("conflict", `The redemption is already ${hold.status}`, "redemption_not_active");
  }
  const [voided] = await tx
    .update(redemptions)
    .set({ status: "voided", settledAt: sql`now()` })
    .where(eq(redemptions.id, hold.id))
    .returning();
  const balance = await postPoints(tx, guest, [
    { kind: "redemption_release", delta: hold.points, redemptionId: hold.id },
  ]);
  return { redemption: voided ?? hold, balance };
}
