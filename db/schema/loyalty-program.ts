import { sql } from "drizzle-orm";
import { bigint, boolean, integer, pgTable, primaryKey, text, unique } from "drizzle-orm/pg-core";
import { idColumn, points, tenantIdColumn, updatedAt } from "./columns";
import { tenants } from "./platform";

/** One loyalty program per tenant. */
export const loyaltyPrograms = pgTable(
  "loyalty_programs",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    /** Share of a check (percent) that points may pay. */
    maxRedeemPercent: integer("max_redeem_percent").notNull().default(30),
    welcomeBonus: points("welcome_bonus").notNull().default(100),
    birthdayBonus: points("birthday_bonus").notNull().default(200),
    surveyBonus: points("survey_bonus").notNull().default(50),
    holdTtlSeconds: integer("hold_ttl_seconds").notNull().default(900),
    /** Points expire when the guest has had no accrual for this many days; null = never. */
    expireAfterInactiveDays: integer("expire_after_inactive_days"),
    /** Raised by triggers on any change of the program, its tiers or the café's currency and locale,
     * so app servers may keep the program in memory and re-read it only when this moves. */
    version: bigint("version", { mode: "number" }).notNull().default(sql`nextval('loyalty_program_versions')`),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
);

export const loyaltyTiers = pgTable(
  "loyalty_tiers",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    name: text("name").notNull(),
    /** Integer percent of the paid money earned as points. */
    accrualPercent: integer("accrual_percent").notNull(),
    /** Lifetime paid money (minor units) needed for the tier. */
    minSpend: bigint("min_spend", { mode: "number" }).notNull(),
    active: boolean("active").notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("loyalty_tiers_name_key").on(t.tenantId, t.name),
    unique("loyalty_tiers_min_spend_key").on(t.tenantId, t.minSpend),
  ],
);
