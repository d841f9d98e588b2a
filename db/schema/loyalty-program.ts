import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, idColumn, points, tenantIdColumn, updatedAt } from "./columns";
import { tenants, users } from "./platform";

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
    /** The tier's name in the café's language; also what the POS API and imports use. */
    name: text("name").notNull(),
    /** The name per UI language ({ ru, en }); a language without one reads `name`. */
    names: jsonb("names").$type<TierNames>().notNull().default({}),
    /** Integer percent of the paid money earned as points. */
    accrualPercent: integer("accrual_percent").notNull(),
    /** Lifetime paid money (minor units) needed for the tier. */
    minSpend: bigint("min_spend", { mode: "number" }).notNull(),
    active: boolean("active").notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // Unique among the first rules' (active) tiers; a tier a later version brought in is a row
    // with active = false (guests' tier_id names it) and may share a name or threshold with an
    // earlier tier that version dropped.
    uniqueIndex("loyalty_tiers_name_key").on(t.tenantId, t.name).where(sql`${t.active}`),
    uniqueIndex("loyalty_tiers_min_spend_key").on(t.tenantId, t.minSpend).where(sql`${t.active}`),
  ],
);

/** A tier's name per UI language (server/i18n/locales.ts). */
export type TierNames = { ru?: string; en?: string };

/** The rules a version sets: the whole programme, tiers by id (rows of loyalty_tiers). */
export type LoyaltyRuleSet = {
  tiers: { id: string; name: string; names?: TierNames; accrualPercent: number; minSpend: number }[];
  maxRedeemPercent: number;
  welcomeBonus: number;
  birthdayBonus: number;
  surveyBonus: number;
  holdTtlSeconds: number;
  expireAfterInactiveDays: number | null;
};

/**
 * Versions of the loyalty rules after the café's first ones (version 1 is loyalty_programs with its
 * active tiers). Each is the whole rule set, in force from `effective_from` until the next one;
 * receipts are computed with the version in force at their time. Append-only: never updated.
 */
export const loyaltyRuleVersions = pgTable(
  "loyalty_rule_versions",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    /** 2, 3, …: the version's number within the café. */
    number: integer("number").notNull(),
    effectiveFrom: timestamp("effective_from", { withTimezone: true }).notNull(),
    rules: jsonb("rules").$type<LoyaltyRuleSet>().notNull(),
    /**
     * Whether a changed expiry counts inactivity from the guest's last visit (true) or from
     * `effective_from` at the earliest (false, the default): points earned under the old terms
     * never expire sooner because of the change.
     */
    retroactive: boolean("retroactive").notNull().default(false),
    publishedBy: uuid("published_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.number] })],
);
