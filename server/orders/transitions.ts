import { and, eq, gt, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guests, offers, offerUses, orderItems, orders, redemptions } from "@/db/schema";
import type { AuditAction } from "../audit/actions";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import type { Program } from "../loyalty/program";
import type { ReceiptBody } from "../loyalty/receipts";
import { recordReceipt } from "../loyalty/receipts";
import { voidHold } from "../loyalty/redemptions";
import { allocateDiscount } from "../offers/evaluate";
import { DISCOUNT_KINDS } from "../offers/types";
import { releaseOrderOffers } from "../offers/uses";
import { GUEST_CANCEL_REASON } from "./cancel-reason";
import { oweOrderNotice } from "./guest-notices";
import { type OrderStatus, type OrderSummary, orderById } from "./queries";

/** The PostgreSQL NOTIFY channel the live order board listens on. */
export const ORDERS_CHANNEL = "zerno_orders";

export type OrderEvent = { tenantId: string; locationId: string; orderId: string; status: OrderStatus };

/**
 * Publishes an order change on `zerno_orders`. NOTIFY is transactional: listeners hear it only
 * when (and if) the caller's transaction commits, so the board never sees a rolled-back order.
 */
export async function notifyOrder(tx: Tx, event: OrderEvent): Promise<void> {
  const payload = JSON.stringify({
    tenantId: event.tenantId,
    locationId: event.locationId,
    orderId: event.orderId,
    status: event.status,
  });
  await tx.execute(sql`select pg_notify(${ORDERS_CHANNEL}, ${payload})`);
}

export type OrderActor =
  | { kind: "guest"; guestId: string; ip?: string | null }
  | {
      kind: "staff";
      userId?: string;
      /** The locations a manager or barista is limited to; null or empty means all. */
      locationIds?: string[] | null;
      ip?: string | null;
    };

/** Where each status may go, and who may move it there. */
const STAFF_MOVES: Record<OrderStatus, OrderStatus[]> = {
  new: ["accepted", "cancelled"],
  accepted: ["ready", "cancelled"],
  ready: ["picked_up", "cancelled"],
  picked_up: [],
  cancelled: [],
};
const GUEST_MOVES: Record<OrderStatus, OrderStatus[]> = {
  new: ["cancelled"],
  accepted: [],
  ready: [],
  picked_up: [],
  cancelled: [],
};

/** Whether `actor` may move an order from `from` to `to` (pure; the board greys out the rest). */
export function canTransition(actorKind: OrderActor["kind"], from: OrderStatus, to: OrderStatus): boolean {
  return (actorKind === "guest" ? GUEST_MOVES : STAFF_MOVES)[from].includes(to);
}

export type TransitionResult = {
  order: OrderSummary;
  receipt: ReceiptBody | null;
  /** A notice the guest is owed: deliver it once the transaction has committed (deliverOrderNotice). */
  noticeId: string | null;
};

/**
 * Moves an order along new → accepted → ready → picked_up, or to cancelled with a reason, in the
 * caller's transaction: cancelling voids the points hold, picking up writes the online receipt
 * through the loyalty engine (the hold becomes a spend, the paid part accrues). 409
 * invalid_transition for a move the actor may not make; another guest's order, or one of a
 * location the staff member is not assigned to, is a 404.
 */
export async function transitionOrder(
  tx: Tx,
  program: Program,
  input: { orderId: string; to: OrderStatus; actor: OrderActor; reason?: string },
): Promise<TransitionResult> {
  // The row lock serialises two taps on one order (a barista and the guest cancelling at once).
  const [order] = await tx.select().from(orders).where(eq(orders.id, input.orderId)).for("update");
  const { actor } = input;
  const visible =
    order &&
    (actor.kind === "guest"
      ? order.guestId === actor.guestId
      : !actor.locationIds?.length || actor.locationIds.includes(order.locationId));
  if (!order || !visible) throw new AppError("not_found", "No order with this id", "order_not_found");
  if (!canTransition(actor.kind, order.status, input.to)) {
    throw new AppError(
      "conflict",
      actor.kind === "guest" && order.status !== "new" && input.to === "cancelled"
        ? "The café has already accepted this order; it can no longer be cancelled online"
        : `An order cannot go from ${order.status} to ${input.to}`,
      "invalid_transition",
      { from: order.status, to: input.to },
    );
  }

  let cancelReason: string | null = null;
  let receipt: ReceiptBody | null = null;
  let pointsReleased = 0;
  if (input.to === "cancelled") {
    cancelReason = input.reason?.trim().slice(0, 500) || null;
    if (!cancelReason) {
      if (actor.kind === "staff") {
        throw new AppError("invalid_request", "A cancellation by the café needs a reason", undefined, [
          { path: "reason", message: "Required" },
        ]);
      }
      cancelReason = GUEST_CANCEL_REASON;
    }
    if (order.redemptionId && (await holdIsLive(tx, order.redemptionId))) {
      await voidHold(tx, order.redemptionId);
      pointsReleased = order.pointsApplied;
    }
    // The offers held with the order are the guest's again.
    await releaseOrderOffers(tx, order.id);
  }
  if (input.to === "picked_up") {
    receipt = await writeOnlineReceipt(tx, program, order);
  }

  await tx.update(orders).set({ status: input.to, cancelReason, updatedAt: sql`now()` }).where(eq(orders.id, order.id));
  await notifyOrder(tx, {
    tenantId: order.tenantId,
    locationId: order.locationId,
    orderId: order.id,
    status: input.to,
  });
  // The guest hears of it too ("ready", a cancellation by the café), once per state: see guest-notices.ts.
  const noticeId = await oweOrderNotice(tx, order, input.to, actor.kind);
  await recordAudit(tx, {
    tenantId: order.tenantId,
    actorKind: actor.kind,
    actorUserId: actor.kind === "staff" ? (actor.userId ?? null) : null,
    actorRef: actor.kind === "guest" ? actor.guestId : null,
    ip: actor.ip ?? null,
    // input.to is never "new" here (no move leads there), so this is one of AUDIT_ACTIONS' order.*.
    action: `order.${input.to}` as AuditAction,
    targetType: "order",
    targetId: order.id,
    meta: {
      from: order.status,
      to: input.to,
      ...(cancelReason ? { reason: cancelReason, pointsReleased } : {}),
      ...(receipt ? { receiptId: receipt.receipt.id, ...receipt.receipt } : {}),
    },
  });
  return { order: await orderById(tx, order.id), receipt, noticeId };
}

/** Whether the hold still holds points (not voided, committed, or run out). */
async function holdIsLive(tx: Tx, redemptionId: string): Promise<boolean> {
  const [hold] = await tx
    .select({ id: redemptions.id })
    .from(redemptions)
    .where(
      and(eq(redemptions.id, redemptionId), eq(redemptions.status, "held"), gt(redemptions.expiresAt, sql`now()`)),
    );
  return Boolean(hold);
}

/**
 * The online receipt of a collected order, through the same `recordReceipt` as a POS check:
 * the order's hold is committed as the spend and the paid part accrues by the guest's tier.
 * A hold that ran out meanwhile (the guest came hours late) was already given back, so the
 * receipt then records no spend rather than failing at the counter.
 */
async function writeOnlineReceipt(tx: Tx, program: Program, order: typeof orders.$inferSelect) {
  const items = await tx.select().from(orderItems).where(eq(orderItems.orderId, order.id));
  items.sort((a, b) => a.lineNo - b.lineNo);
  const redemptionId = order.redemptionId && (await holdIsLive(tx, order.redemptionId)) ? order.redemptionId : null;
  // A guest who deleted their account is no member any more: the collected order is an anonymous sale.
  const [owner] = await tx.select({ deletedAt: guests.deletedAt }).from(guests).where(eq(guests.id, order.guestId));
  const member = owner && !owner.deletedAt;
  // The order's held offers become uses of this receipt; a money-off one is spread over its lines.
  const held = await tx
    .select({ offerId: offerUses.offerId, discount: offerUses.discount, lines: offerUses.lines, kind: offers.kind })
    .from(offerUses)
    .innerJoin(offers, eq(offers.id, offerUses.offerId))
    .where(and(eq(offerUses.orderId, order.id), eq(offerUses.status, "held")))
    .orderBy(offerUses.offerId);
  let amounts = items.map((item) => item.amount);
  for (const use of held.filter((candidate) => DISCOUNT_KINDS.includes(candidate.kind) && candidate.discount > 0)) {
    const basket = items.map((item, index) => ({
      sku: item.sku,
      quantity: Number(item.quantity),
      unitPrice: item.unitPrice,
      amount: amounts[index] ?? 0,
    }));
    amounts = allocateDiscount(basket, use.lines ?? items.map((_, index) => index), use.discount);
  }
  const { body } = await recordReceipt(
    tx,
    program,
    { tenantId: order.tenantId, locationId: order.locationId, channel: "online", orderId: order.id },
    {
      externalId: `order-${order.pickupCode}-${order.id}`,
      occurredAt: new Date().toISOString(),
      ...(member ? { guestId: order.guestId } : {}),
      ...(member && redemptionId ? { redemptionId } : {}),
      lines: items.map((item, index) => ({
        sku: item.sku,
        name: item.modifiers.length
          ? `${item.name} (${item.modifiers.map((modifier) => modifier.name).join(", ")})`
          : item.name,
        quantity: Number(item.quantity),
        unitPrice: item.unitPrice,
        amount: amounts[index] ?? item.amount,
      })),
      total: amounts.reduce((sum, amount) => sum + amount, 0),
      ...(held.length
        ? {
            offers: held.map((use) => ({
              id: use.offerId,
              discount: use.discount,
              ...(use.lines ? { lines: use.lines } : {}),
            })),
          }
        : {}),
    },
  );
  return body;
}

/** The guest cancels their own order; only while the café has not accepted it (else 409). */
export function cancelOrderByGuest(
  tx: Tx,
  program: Program,
  input: { guestId: string; orderId: string; reason?: string; ip?: string | null },
): Promise<TransitionResult> {
  return transitionOrder(tx, program, {
    orderId: input.orderId,
    to: "cancelled",
    reason: input.reason,
    actor: { kind: "guest", guestId: input.guestId, ip: input.ip },
  });
}
