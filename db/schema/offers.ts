import { sql } from "drizzle-orm";
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { at, createdAt, idColumn, money, points, tenantIdColumn, updatedAt } from "./columns";
import { guests } from "./guests";
import { orders } from "./orders";
import { tenants, users } from "./platform";
import { receipts } from "./receipts";
import { locations } from "./tenancy";

/** The kinds of POS-API.md "Offers and coupons": what `value` means depends on it. */
export const offerKind = pgEnum("offer_kind", [
  /** value = percent (1–100) off the matching lines (or the whole check without skus/categories). */
  "percent_off",
  /** value = minor units off, never more than the matching lines (or the check). */
  "amount_off",
  /** value unused (1): one unit of a matching SKU for free. */
  "free_item",
  /** value = N: the check's own points on the matching lines count N times (N − 1 extra). */
  "points_multiplier",
  /** value = N points when the check qualifies. */
  "bonus_points",
]);
export const offerStatus = pgEnum("offer_status", ["active", "paused", "archived"]);
/**
 * How an offer reaches guests: given by the owner (`personal`), typed as a promo `code`, or by an
 * automation (`birthday`, `usual_plus_one`: "a guest who buys the same drink three visits in a
 * row gets an offer on its usual pair"), or attached to a `campaign`.
 */
export const offerSource = pgEnum("offer_source", ["personal", "code", "birthday", "usual_plus_one", "campaign"]);
/** held: reserved by an open online order; used: spent by a receipt; released: the order was
 * cancelled; returned: given back by a refund of the whole check. */
export const offerUseStatus = pgEnum("offer_use_status", ["held", "used", "released", "returned"]);

/** An offer's title (and optional conditions text) per locale: `{ ru: "…", en: "…" }`. */
export type OfferTexts = Partial<Record<string, string>>;

export const offers = pgTable(
  "offers",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    kind: offerKind("kind").notNull(),
    value: integer("value").notNull(),
    /** The SKUs (receipt/menu SKUs) the offer is on; with `categories` empty too: the whole check. */
    skus: text("skus").array().notNull().default(sql`'{}'::text[]`),
    /** Categories as the POS names them on receipt lines (the menu's category slugs online). */
    categories: text("categories").array().notNull().default(sql`'{}'::text[]`),
    /**
     * "Only together with": the check must hold one of these SKUs for the offer to apply (the
     * croissant free with a cappuccino). Empty: no condition.
     */
    requiredSkus: text("required_skus").array().notNull().default(sql`'{}'::text[]`),
    title: jsonb("title").$type<OfferTexts>().notNull(),
    /** Conditions in words for the cabinet, per locale (optional). */
    description: jsonb("description").$type<OfferTexts>().notNull().default({}),
    validFrom: at("valid_from").notNull().defaultNow(),
    /** null: no end. */
    validUntil: at("valid_until"),
    /** Minor units; the check (basket) total must reach it. 0 = none. */
    minCheck: money("min_check").notNull().default(0),
    /** Uses per guest (per grant for personal offers); null = unlimited. */
    perGuestLimit: integer("per_guest_limit").default(1),
    /** Uses in total; null = unlimited. */
    totalLimit: integer("total_limit"),
    /** Held and used uses; the race-free counter behind `total_limit` (a conditional UPDATE). */
    usesCount: integer("uses_count").notNull().default(0),
    /** Locations where it applies; empty = all of the café's. */
    locationIds: uuid("location_ids").array().notNull().default(sql`'{}'::uuid[]`),
    status: offerStatus("status").notNull().default("active"),
    source: offerSource("source").notNull(),
    /** Promo code as typed by the owner (`OSEN25`); unique per café case-insensitively. */
    code: text("code"),
    /** A personal grant lasts this many days from being given (null: until valid_until). */
    grantDays: integer("grant_days"),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("offers_code_key").on(t.tenantId, sql`lower(${t.code})`).where(sql`${t.code} is not null`),
    index("offers_status_idx").on(t.tenantId, t.status, t.source),
    check("offers_value_positive", sql`${t.value} > 0`),
    check("offers_percent_max", sql`${t.kind} <> 'percent_off' or ${t.value} <= 100`),
    check("offers_uses_within_limit", sql`${t.totalLimit} is null or ${t.usesCount} <= ${t.totalLimit}`),
    check("offers_code_when_code_source", sql`(${t.source} = 'code') = (${t.code} is not null)`),
  ],
);

/** A personal offer given to one guest (by the owner, a campaign, a birthday, an automation). */
export const guestOffers = pgTable(
  "guest_offers",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    offerId: uuid("offer_id").notNull(),
    guestId: uuid("guest_id").notNull(),
    source: offerSource("source").notNull(),
    /**
     * Tells grants of one offer to one guest apart ("" for a one-off grant, "birthday:2026",
     * "usual:<sku>"), so a job that runs twice grants once.
     */
    grantKey: text("grant_key").notNull().default(""),
    /** The SKUs of this grant when the offer leaves them to the grant (the usual plus one). */
    skus: text("skus").array(),
    /** The SKUs this grant asks the check to hold when the offer leaves them to the grant (the usual drink). */
    requiredSkus: text("required_skus").array(),
    grantedAt: createdAt(),
    expiresAt: at("expires_at"),
    grantedBy: uuid("granted_by").references(() => users.id),
    /** When the guest was told by email (null: not yet, or no marketing consent). */
    notifiedAt: at("notified_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("guest_offers_grant_key").on(t.tenantId, t.offerId, t.guestId, t.grantKey),
    foreignKey({ columns: [t.tenantId, t.offerId], foreignColumns: [offers.tenantId, offers.id] }),
    foreignKey({ columns: [t.tenantId, t.guestId], foreignColumns: [guests.tenantId, guests.id] }),
    index("guest_offers_guest_idx").on(t.tenantId, t.guestId, t.grantedAt),
  ],
);

/** One use of an offer by a receipt (POS or a picked-up order) or held by an open online order. */
export const offerUses = pgTable(
  "offer_uses",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    offerId: uuid("offer_id").notNull(),
    /** null: an anonymous check that typed a promo code. */
    guestId: uuid("guest_id"),
    /** The personal grant used (null for a promo code). */
    grantId: uuid("grant_id"),
    locationId: uuid("location_id").notNull(),
    receiptId: uuid("receipt_id"),
    orderId: uuid("order_id"),
    status: offerUseStatus("status").notNull(),
    /** Money the offer took off the check (minor units; 0 for points offers). */
    discount: money("discount").notNull().default(0),
    /** Points the offer added (points_multiplier, bonus_points), and how many refunds took back. */
    points: points("points").notNull().default(0),
    pointsReversed: points("points_reversed").notNull().default(0),
    /** The receipt lines (0-based) the offer was applied to, as reported. */
    lines: integer("lines").array(),
    createdAt: createdAt(),
    settledAt: at("settled_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.offerId], foreignColumns: [offers.tenantId, offers.id] }),
    foreignKey({ columns: [t.tenantId, t.guestId], foreignColumns: [guests.tenantId, guests.id] }),
    foreignKey({ columns: [t.tenantId, t.grantId], foreignColumns: [guestOffers.tenantId, guestOffers.id] }),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
    foreignKey({ columns: [t.tenantId, t.receiptId], foreignColumns: [receipts.tenantId, receipts.id] }),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }),
    // One use per offer per check, whatever retries or races do.
    uniqueIndex("offer_uses_receipt_key").on(t.tenantId, t.offerId, t.receiptId).where(sql`${t.receiptId} is not null`),
    uniqueIndex("offer_uses_order_key").on(t.tenantId, t.offerId, t.orderId).where(sql`${t.orderId} is not null`),
    // Per-guest limits count a guest's held and used uses of an offer; the stats read by offer.
    index("offer_uses_guest_idx").on(t.tenantId, t.offerId, t.guestId, t.status),
    index("offer_uses_receipt_idx").on(t.tenantId, t.receiptId).where(sql`${t.receiptId} is not null`),
    index("offer_uses_order_idx").on(t.tenantId, t.orderId).where(sql`${t.orderId} is not null`),
    check("offer_uses_discount_nonnegative", sql`${t.discount} >= 0`),
  ],
);
