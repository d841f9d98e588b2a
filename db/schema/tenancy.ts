import { sql } from "drizzle-orm";
import {
  boolean,
  foreignKey,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { at, createdAt, idColumn, tenantIdColumn } from "./columns";
import { tenants, users } from "./platform";

export const staffRole = pgEnum("staff_role", ["owner", "manager", "barista"]);

/**
 * Opening hours per ISO weekday (1 = Monday): [["07:30", "21:00"]] or [] when closed; several
 * intervals make breaks ([["08:00", "13:00"], ["14:00", "21:00"]]).
 */
export type OpeningHours = Record<"1" | "2" | "3" | "4" | "5" | "6" | "7", [string, string][]>;

/** A date with other hours than its weekday's (a holiday): `hours` [] = closed all day. */
export type OpeningException = { date: string; hours: [string, string][]; note?: string };

export const locations = pgTable(
  "locations",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    address: text("address").notNull(),
    timezone: text("timezone").notNull(),
    openingHours: jsonb("opening_hours").$type<OpeningHours>().notNull(),
    /** Dates whose hours differ from their weekday's (holidays), by date. */
    openingExceptions: jsonb("opening_exceptions").$type<OpeningException[]>().notNull().default([]),
    /** Whether guests may order ahead for pick-up here (off: the storefront shows it, takes no order). */
    pickupEnabled: boolean("pickup_enabled").notNull().default(true),
    /** Length of a pick-up slot in minutes. */
    slotMinutes: integer("slot_minutes").notNull().default(15),
    /** Preparation minutes the counter can absorb per pick-up slot. */
    slotCapacityMinutes: integer("slot_capacity_minutes").notNull().default(30),
    /** Archived locations keep their history but are not billed, listed or offered. */
    archivedAt: at("archived_at"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), unique("locations_slug_key").on(t.tenantId, t.slug)],
);

export const memberships = pgTable(
  "memberships",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    role: staffRole("role").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), unique("memberships_user_key").on(t.tenantId, t.userId)],
);

/** A manager or barista limited to some locations; none listed means all. */
export const membershipLocations = pgTable(
  "membership_locations",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    membershipId: uuid("membership_id").notNull(),
    locationId: uuid("location_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.membershipId, t.locationId] }),
    foreignKey({
      columns: [t.tenantId, t.membershipId],
      foreignColumns: [memberships.tenantId, memberships.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }).onDelete(
      "cascade",
    ),
  ],
);

export const staffInvitations = pgTable(
  "staff_invitations",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    email: text("email").notNull(),
    role: staffRole("role").notNull(),
    locationIds: jsonb("location_ids").$type<string[]>().notNull().default([]),
    tokenHash: text("token_hash").notNull(),
    invitedBy: uuid("invited_by")
      .notNull()
      .references(() => users.id),
    expiresAt: at("expires_at").notNull(),
    acceptedAt: at("accepted_at"),
    /** The owner took the invitation back; its link says so. */
    withdrawnAt: at("withdrawn_at"),
    /** A newer invitation of the same email (or its acceptance) closed this one. */
    replacedAt: at("replaced_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("staff_invitations_token_key").on(t.tenantId, t.tokenHash),
    // One live invitation per email and café: of two sent at once, one wins. An expired one stays
    // live here until the next invitation of that email replaces it.
    uniqueIndex("staff_invitations_live_email_key")
      .on(t.tenantId, sql`lower(${t.email})`)
      .where(sql`${t.acceptedAt} is null and ${t.withdrawnAt} is null and ${t.replacedAt} is null`),
  ],
);
