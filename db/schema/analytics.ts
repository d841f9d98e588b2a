import { sql } from "drizzle-orm";
import {
  bigint,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  uuid,
} from "drizzle-orm/pg-core";
import { at, tenantIdColumn, updatedAt } from "./columns";
import { guests } from "./guests";
import { tenants } from "./platform";
import { locations } from "./tenancy";

/**
 * What changed since the roll-ups were last brought up to date: one row per receipt, refund,
 * claim or order change, written by triggers in the writer's own transaction. Insert-only (no
 * unique key, so parallel receipts never wait on each other here); the roll-up job consumes it.
 */
export const analyticsChanges = pgTable(
  "analytics_changes",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity(),
    guestId: uuid("guest_id"),
    locationId: uuid("location_id"),
    occurredAt: at("occurred_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** Receipts by location and café-local hour: the dashboard's sums, the weekday × hour heatmap. */
export const locationHourStats = pgTable(
  "location_hour_stats",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    locationId: uuid("location_id").notNull(),
    /** The café's calendar day and hour (its time zone), not UTC. */
    day: date("day").notNull(),
    hour: smallint("hour").notNull(),
    receipts: integer("receipts").notNull().default(0),
    /** Minor units: receipts' totals (before points), less nothing — refunds are their own column. */
    revenue: bigint("revenue", { mode: "number" }).notNull().default(0),
    /** Receipts with a known guest (a loyalty card or an online order). */
    identifiedReceipts: integer("identified_receipts").notNull().default(0),
    onlineReceipts: integer("online_receipts").notNull().default(0),
    onlineRevenue: bigint("online_revenue", { mode: "number" }).notNull().default(0),
    pointsEarned: integer("points_earned").notNull().default(0),
    pointsRedeemed: integer("points_redeemed").notNull().default(0),
    refunds: integer("refunds").notNull().default(0),
    refundedAmount: bigint("refunded_amount", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.locationId, t.day, t.hour] }),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
    index("location_hour_stats_day_idx").on(t.tenantId, t.day),
  ],
);

/** Which guest came where on which day: active guests, repeat visits and cohorts without the receipts. */
export const guestLocationDays = pgTable(
  "guest_location_days",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    guestId: uuid("guest_id").notNull(),
    locationId: uuid("location_id").notNull(),
    day: date("day").notNull(),
    receipts: integer("receipts").notNull(),
    revenue: bigint("revenue", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.guestId, t.locationId, t.day] }),
    foreignKey({ columns: [t.tenantId, t.guestId], foreignColumns: [guests.tenantId, guests.id] }),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
    index("guest_location_days_day_idx").on(t.tenantId, t.day, t.locationId),
  ],
);

/** Products sold by location and café-local day (top products without reading receipt lines). */
export const productDayStats = pgTable(
  "product_day_stats",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    locationId: uuid("location_id").notNull(),
    day: date("day").notNull(),
    sku: text("sku").notNull(),
    /** The latest name the SKU was sold under that day. */
    name: text("name").notNull(),
    quantity: doublePrecision("quantity").notNull(),
    revenue: bigint("revenue", { mode: "number" }).notNull(),
    receipts: integer("receipts").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.locationId, t.day, t.sku] }),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
    index("product_day_stats_day_idx").on(t.tenantId, t.day),
  ],
);

/**
 * Pairs of products bought in one check over the last 90 days, per location (computed nightly):
 * the dashboard's "bought together" and the offers' "the usual plus one".
 */
export const productPairStats = pgTable(
  "product_pair_stats",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    locationId: uuid("location_id").notNull(),
    /** sku_a < sku_b, so a pair is one row. */
    skuA: text("sku_a").notNull(),
    skuB: text("sku_b").notNull(),
    nameA: text("name_a").notNull(),
    nameB: text("name_b").notNull(),
    receipts: integer("receipts").notNull(),
    computedAt: at("computed_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.locationId, t.skuA, t.skuB] }),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
  ],
);

/**
 * One row per guest with a visit: what the guests table sorts and filters by and the guest card's
 * summary. Visit counts and money are kept up to date by the roll-up job; rhythm, segment and RFM
 * by the nightly fit.
 */
export const guestStats = pgTable(
  "guest_stats",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    guestId: uuid("guest_id").notNull(),
    /** Distinct receipts (POS checks and picked-up online orders). */
    visits: integer("visits").notNull().default(0),
    posVisits: integer("pos_visits").notNull().default(0),
    onlineVisits: integer("online_visits").notNull().default(0),
    firstVisitAt: at("first_visit_at"),
    lastVisitAt: at("last_visit_at"),
    /** Minor units: receipts' totals less refunds. */
    spend: bigint("spend", { mode: "number" }).notNull().default(0),
    /** Median days between consecutive visits (null below two visits). */
    medianGapDays: real("median_gap_days"),
    /** 0 = Monday … 6 = Sunday, and 0–23, in the café's time zone; null until there is a habit. */
    usualWeekday: smallint("usual_weekday"),
    usualHour: smallint("usual_hour"),
    favouriteSku: text("favourite_sku"),
    favouriteName: text("favourite_name"),
    favouriteCount: integer("favourite_count"),
    /** Locations the guest visited (a manager limited to locations sees these guests). */
    locationIds: uuid("location_ids").array().notNull().default(sql`'{}'::uuid[]`),
    /** From the nightly MBG/NBD fit. */
    pActive: real("p_active"),
    expectedVisits30d: real("expected_visits_30d"),
    /** new | regular | loyal | sleeping | lost (by the guest's own rhythm). */
    segment: text("segment"),
    rfmRecency: smallint("rfm_recency"),
    rfmFrequency: smallint("rfm_frequency"),
    rfmMonetary: smallint("rfm_monetary"),
    rhythmAt: at("rhythm_at"),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.guestId] }),
    foreignKey({ columns: [t.tenantId, t.guestId], foreignColumns: [guests.tenantId, guests.id] }),
    index("guest_stats_last_visit_idx").on(t.tenantId, t.lastVisitAt, t.guestId),
    index("guest_stats_spend_idx").on(t.tenantId, t.spend, t.guestId),
    index("guest_stats_visits_idx").on(t.tenantId, t.visits, t.guestId),
    index("guest_stats_segment_idx").on(t.tenantId, t.segment, t.lastVisitAt, t.guestId),
    index("guest_stats_locations_idx").using("gin", t.locationIds),
    // The dashboard's new guests and cohorts: a range of first visits, read from the index alone.
    index("guest_stats_first_visit_idx").on(t.tenantId, t.firstVisitAt, t.lastVisitAt),
  ],
);

/** The café's nightly MBG/NBD fit: its parameters and how long it took. */
export const rhythmFits = pgTable(
  "rhythm_fits",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    fittedAt: at("fitted_at").notNull(),
    r: doublePrecision("r").notNull(),
    alpha: doublePrecision("alpha").notNull(),
    a: doublePrecision("a").notNull(),
    b: doublePrecision("b").notNull(),
    logLikelihood: doublePrecision("log_likelihood").notNull(),
    guests: integer("guests").notNull(),
    patterns: integer("patterns").notNull(),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.fittedAt] })],
);

/** The owner's fixed thresholds for guests with too few visits for a rhythm (fewer than 3). */
export const analyticsSettings = pgTable(
  "analytics_settings",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    sleepingAfterDays: integer("sleeping_after_days").notNull().default(30),
    lostAfterDays: integer("lost_after_days").notNull().default(90),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
);
