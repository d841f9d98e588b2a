import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { at, createdAt, idColumn, money, points, tenantIdColumn, updatedAt } from "./columns";
import { guests } from "./guests";
import { products } from "./menu";
import { tenants } from "./platform";
import { redemptions } from "./redemptions";
import { locations } from "./tenancy";

export const orderStatus = pgEnum("order_status", ["new", "accepted", "ready", "picked_up", "cancelled"]);

/** An online pick-up pre-order. Picking it up writes an online receipt through the loyalty engine. */
export const orders = pgTable(
  "orders",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    locationId: uuid("location_id").notNull(),
    guestId: uuid("guest_id").notNull(),
    /** Short code the guest shows at the counter. */
    pickupCode: text("pickup_code").notNull(),
    status: orderStatus("status").notNull().default("new"),
    asap: boolean("asap").notNull().default(true),
    pickupAt: at("pickup_at").notNull(),
    prepMinutes: integer("prep_minutes").notNull(),
    comment: text("comment"),
    subtotal: money("subtotal").notNull(),
    pointsApplied: points("points_applied").notNull().default(0),
    /** Money taken off by offers (their uses are held in offer_uses); the guest pays subtotal − discount − points. */
    offerDiscount: money("offer_discount").notNull().default(0),
    redemptionId: uuid("redemption_id"),
    cancelReason: text("cancel_reason"),
    /** Client-chosen key so a double-submitted checkout places one order. */
    idempotencyKey: text("idempotency_key").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("orders_idempotency_key").on(t.tenantId, t.guestId, t.idempotencyKey),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
    foreignKey({ columns: [t.tenantId, t.guestId], foreignColumns: [guests.tenantId, guests.id] }),
    foreignKey({ columns: [t.tenantId, t.redemptionId], foreignColumns: [redemptions.tenantId, redemptions.id] }),
    index("orders_board_idx").on(t.tenantId, t.locationId, t.status, t.pickupAt),
    // A guest's orders, newest first (the guest card's timeline).
    index("orders_guest_idx").on(t.tenantId, t.guestId, t.createdAt),
  ],
);

export type OrderItemModifier = {
  groupSlug: string;
  optionSlug: string;
  name: string;
  priceDelta: number;
  /** Two pumps of syrup: 2 (absent in lines placed before quantities existed: 1). */
  quantity?: number;
};

export const orderItems = pgTable(
  "order_items",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    orderId: uuid("order_id").notNull(),
    lineNo: integer("line_no").notNull(),
    productId: uuid("product_id").notNull(),
    /** Snapshots, so the order reads the same after the menu changes. */
    name: text("name").notNull(),
    sku: text("sku").notNull(),
    /** The size chosen, when the product has sizes (snapshot like the name). */
    variantSlug: text("variant_slug"),
    variantName: text("variant_name"),
    quantity: numeric("quantity", { precision: 12, scale: 3 }).notNull(),
    unitPrice: money("unit_price").notNull(),
    amount: money("amount").notNull(),
    modifiers: jsonb("modifiers").$type<OrderItemModifier[]>().notNull().default([]),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.orderId, t.lineNo] }),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.productId], foreignColumns: [products.tenantId, products.id] }),
  ],
);

/**
 * "Your order is ready" (and "the café cancelled it") owed to a guest: one row per order and state,
 * written in the transaction that moves the order, so a state is announced once however many
 * servers or taps race. `claimed_at` is set by the one sender that delivers it (email, push).
 */
export const orderNotices = pgTable(
  "order_notices",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    orderId: uuid("order_id").notNull(),
    status: orderStatus("status").notNull(),
    claimedAt: at("claimed_at"),
    /** What was delivered: "email", "push:2" (two devices); null until claimed. */
    outcome: text("outcome"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("order_notices_order_status_key").on(t.tenantId, t.orderId, t.status),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }),
    // The sweeper's look for notices nobody delivered (a server that stopped right after the commit).
    index("order_notices_unclaimed_idx").on(t.tenantId, t.createdAt),
  ],
);

/**
 * A guest's Web Push subscription at a café (one per browser: the push service's endpoint URL and
 * the keys the payload is encrypted to). Removed when the push service answers 404 or 410.
 */
export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    guestId: uuid("guest_id").notNull(),
    endpoint: text("endpoint").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    createdAt: createdAt(),
    lastSentAt: at("last_sent_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("push_subscriptions_endpoint_key").on(t.tenantId, t.endpoint),
    foreignKey({ columns: [t.tenantId, t.guestId], foreignColumns: [guests.tenantId, guests.id] }),
    index("push_subscriptions_guest_idx").on(t.tenantId, t.guestId),
  ],
);
