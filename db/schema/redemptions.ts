import { sql } from "drizzle-orm";
import { foreignKey, index, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, createdAt, idColumn, money, points, tenantIdColumn } from "./columns";
import { guests } from "./guests";
import { tenants } from "./platform";
import { locations } from "./tenancy";

export const redemptionStatus = pgEnum("redemption_status", ["held", "committed", "voided", "expired"]);

/** A two-phase spend of points: held for an open check, then committed, voided or expired. */
export const redemptions = pgTable(
  "redemptions",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    guestId: uuid("guest_id").notNull(),
    locationId: uuid("location_id").notNull(),
    points: points("points").notNull(),
    checkTotal: money("check_total").notNull(),
    externalCheckId: text("external_check_id"),
    status: redemptionStatus("status").notNull().default("held"),
    expiresAt: at("expires_at").notNull(),
    settledAt: at("settled_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.guestId], foreignColumns: [guests.tenantId, guests.id] }),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
    // The sweeper finds due holds across tenants; a guest's own holds are found by guest.
    index("redemptions_expiry_idx").on(t.status, t.expiresAt),
    index("redemptions_guest_idx").on(t.tenantId, t.guestId, t.status),
    // A POS retry of a hold for the same check finds the first hold instead of holding twice.
    uniqueIndex("redemptions_held_check_key")
      .on(t.tenantId, t.locationId, t.guestId, t.externalCheckId)
      .where(sql`${t.status} = 'held' and ${t.externalCheckId} is not null`),
  ],
);
