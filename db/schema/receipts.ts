import {
  char,
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
import { at, createdAt, idColumn, money, points, tenantIdColumn } from "./columns";
import { guests } from "./guests";
import { orders } from "./orders";
import { tenants } from "./platform";
import { redemptions } from "./redemptions";
import { locations } from "./tenancy";

export const receiptChannel = pgEnum("receipt_channel", ["pos", "online"]);

/** A closed check from a POS or a picked-up online order; the one accrual path for both. */
export const receipts = pgTable(
  "receipts",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    locationId: uuid("location_id").notNull(),
    channel: receiptChannel("channel").notNull(),
    /** The POS's own id; unique per location (idempotency key of the contract). */
    externalId: text("external_id").notNull(),
    /** SHA-256 of the canonical request, to tell a retry from a conflicting reuse. */
    payloadHash: char("payload_hash", { length: 64 }).notNull(),
    guestId: uuid("guest_id"),
    orderId: uuid("order_id"),
    redemptionId: uuid("redemption_id"),
    occurredAt: at("occurred_at").notNull(),
    total: money("total").notNull(),
    pointsRedeemed: points("points_redeemed").notNull().default(0),
    pointsEarned: points("points_earned").notNull().default(0),
    fiscalFn: text("fiscal_fn"),
    fiscalFd: text("fiscal_fd"),
    fiscalFp: text("fiscal_fp"),
    /** When an anonymous receipt was claimed by a guest. */
    claimedAt: at("claimed_at"),
    /** The body first answered, replayed to a retry. */
    response: jsonb("response").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("receipts_external_id_key").on(t.tenantId, t.locationId, t.externalId),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
    foreignKey({ columns: [t.tenantId, t.guestId], foreignColumns: [guests.tenantId, guests.id] }),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }),
    foreignKey({ columns: [t.tenantId, t.redemptionId], foreignColumns: [redemptions.tenantId, redemptions.id] }),
    index("receipts_guest_idx").on(t.tenantId, t.guestId, t.occurredAt),
    index("receipts_occurred_idx").on(t.tenantId, t.occurredAt),
    index("receipts_fiscal_idx").on(t.tenantId, t.fiscalFn, t.fiscalFd),
  ],
);

export const receiptLines = pgTable(
  "receipt_lines",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    receiptId: uuid("receipt_id").notNull(),
    lineNo: integer("line_no").notNull(),
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    /** Up to 3 decimals, for goods sold by weight. */
    quantity: numeric("quantity", { precision: 12, scale: 3 }).notNull(),
    unitPrice: money("unit_price").notNull(),
    amount: money("amount").notNull(),
    category: text("category"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.receiptId, t.lineNo] }),
    foreignKey({ columns: [t.tenantId, t.receiptId], foreignColumns: [receipts.tenantId, receipts.id] }).onDelete(
      "cascade",
    ),
  ],
);

export const refunds = pgTable(
  "refunds",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    receiptId: uuid("receipt_id").notNull(),
    locationId: uuid("location_id").notNull(),
    externalRefundId: text("external_refund_id").notNull(),
    payloadHash: char("payload_hash", { length: 64 }).notNull(),
    amount: money("amount").notNull(),
    pointsReversed: points("points_reversed").notNull(),
    pointsReturned: points("points_returned").notNull(),
    response: jsonb("response").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("refunds_external_id_key").on(t.tenantId, t.locationId, t.externalRefundId),
    // A receipt's refunds (a guest's timeline reaches refunds through the guest's receipts).
    index("refunds_receipt_idx").on(t.tenantId, t.receiptId),
    foreignKey({ columns: [t.tenantId, t.receiptId], foreignColumns: [receipts.tenantId, receipts.id] }),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
  ],
);
