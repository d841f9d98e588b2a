import { foreignKey, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { tenantIdColumn, updatedAt } from "./columns";
import { tenants } from "./platform";
import { memberships } from "./tenancy";

/**
 * A staff member's choices in one café's back-office (the guests table's visible columns…), keyed
 * by membership (one user in one café) and a short name of what is chosen. Goes with the membership.
 */
export const staffPreferences = pgTable(
  "staff_preferences",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    membershipId: uuid("membership_id").notNull(),
    /** What the value is about, e.g. "guests.columns". */
    key: text("key").notNull(),
    value: jsonb("value").$type<unknown>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.membershipId, t.key] }),
    foreignKey({
      columns: [t.tenantId, t.membershipId],
      foreignColumns: [memberships.tenantId, memberships.id],
    }).onDelete("cascade"),
  ],
);
