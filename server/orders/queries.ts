import { and, asc, eq, gte, inArray, lt, or } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { locations, orderItems, orders } from "@/db/schema";
import type { OrderItemModifier } from "@/db/schema/orders";
import { AppError } from "../errors";
import { localDateOf, localDayRange } from "./slots";

export type OrderStatus = (typeof orders.$inferSelect)["status"];
export const ORDER_STATUSES: readonly OrderStatus[] = ["new", "accepted", "ready", "picked_up", "cancelled"];

export type OrderItemSummary = {
  lineNo: number;
  productId: string;
  sku: string;
  name: string;
  /** The size ordered, for a product with sizes. */
  variantName: string | null;
  quantity: number;
  unitPrice: number;
  amount: number;
  modifiers: OrderItemModifier[];
};

export type OrderSummary = {
  id: string;
  locationId: string;
  guestId: string;
  pickupCode: string;
  status: OrderStatus;
  asap: boolean;
  pickupAt: string;
  prepMinutes: number;
  comment: string | null;
  /** Money in minor units. */
  subtotal: number;
  pointsApplied: number;
  /** Money taken off by the order's offers (minor units). */
  offerDiscount: number;
  /** What is left to pay at pick-up: subtotal − offerDiscount − points × 100. */
  toPay: number;
  redemptionId: string | null;
  cancelReason: string | null;
  createdAt: string;
  items: OrderItemSummary[];
};

type OrderRow = typeof orders.$inferSelect;
type ItemRow = typeof orderItems.$inferSelect;

const orderNotFound = () => new AppError("not_found", "No order with this id", "order_not_found");

/** The plain summary of an order row and its item rows. */
export function toOrderSummary(order: OrderRow, items: ItemRow[]): OrderSummary {
  return {
    id: order.id,
    locationId: order.locationId,
    guestId: order.guestId,
    pickupCode: order.pickupCode,
    status: order.status,
    asap: order.asap,
    pickupAt: new Date(order.pickupAt).toISOString(),
    prepMinutes: order.prepMinutes,
    comment: order.comment,
    subtotal: order.subtotal,
    pointsApplied: order.pointsApplied,
    offerDiscount: order.offerDiscount,
    toPay: order.subtotal - order.offerDiscount - order.pointsApplied * 100,
    redemptionId: order.redemptionId,
    cancelReason: order.cancelReason,
    createdAt: new Date(order.createdAt).toISOString(),
    items: items
      .filter((item) => item.orderId === order.id)
      .sort((a, b) => a.lineNo - b.lineNo)
      .map((item) => ({
        lineNo: item.lineNo,
        productId: item.productId,
        sku: item.sku,
        name: item.name,
        variantName: item.variantName,
        quantity: Number(item.quantity),
        unitPrice: item.unitPrice,
        amount: item.amount,
        modifiers: item.modifiers,
      })),
  };
}

async function withItems(tx: Tx, rows: OrderRow[]): Promise<OrderSummary[]> {
  if (rows.length === 0) return [];
  const items = await tx
    .select()
    .from(orderItems)
    .where(
      inArray(
        orderItems.orderId,
        rows.map((row) => row.id),
      ),
    );
  return rows.map((row) => toOrderSummary(row, items));
}

/** One order of the bound tenant with its items; 404 when there is none. */
export async function orderById(tx: Tx, orderId: string): Promise<OrderSummary> {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
  if (!order) throw orderNotFound();
  const [summary] = await withItems(tx, [order]);
  if (!summary) throw orderNotFound();
  return summary;
}

/** The guest's own order for the status page; another guest's order is a 404, not a 403. */
export async function orderForGuest(tx: Tx, guestId: string, orderId: string): Promise<OrderSummary> {
  const [order] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.guestId, guestId)));
  if (!order) throw orderNotFound();
  const [summary] = await withItems(tx, [order]);
  if (!summary) throw orderNotFound();
  return summary;
}

export type OrderBoard = Record<OrderStatus, OrderSummary[]>;

/**
 * The board of the given locations: every open order (new, accepted, ready — also one left
 * over from an earlier day) and today's picked-up and cancelled ones, "today" in each
 * location's own time zone; by status, earliest pick-up first.
 */
export async function orderBoard(tx: Tx, input: { locationIds: string[]; now?: Date }): Promise<OrderBoard> {
  const board: OrderBoard = { new: [], accepted: [], ready: [], picked_up: [], cancelled: [] };
  if (input.locationIds.length === 0) return board;
  const now = input.now ?? new Date();
  const places = await tx
    .select({ id: locations.id, timezone: locations.timezone })
    .from(locations)
    .where(inArray(locations.id, input.locationIds));
  if (places.length === 0) return board;
  const rows = await tx
    .select()
    .from(orders)
    .where(
      or(
        ...places.map((place) => {
          const { from, to } = localDayRange(localDateOf(now, place.timezone), place.timezone);
          return and(
            eq(orders.locationId, place.id),
            or(
              inArray(orders.status, ["new", "accepted", "ready"]),
              and(gte(orders.pickupAt, from), lt(orders.pickupAt, to)),
            ),
          );
        }),
      ),
    )
    .orderBy(asc(orders.pickupAt), asc(orders.createdAt));
  for (const summary of await withItems(tx, rows)) board[summary.status].push(summary);
  return board;
}
