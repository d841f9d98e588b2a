import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  foreignKey,
  index,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { at, createdAt, idColumn, points, tenantIdColumn, updatedAt } from "./columns";
import { guestImportBatches } from "./guest-imports";
import { loyaltyTiers } from "./loyalty-program";
import { tenants } from "./platform";
import { locations } from "./tenancy";

export const consentKind = pgEnum("consent_kind", ["personal_data", "marketing"]);
export const consentChannel = pgEnum("consent_channel", ["pos", "online", "back_office", "import"]);

export const guests = pgTable(
  "guests",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    /** E.164, e.g. +79161234567; null once the guest deleted their account. */
    phone: text("phone"),
    email: text("email"),
    name: text("name"),
    birthday: date("birthday"),
    /** The printed card code; accepted at the till as long as the card is not blocked. */
    cardCode: text("card_code").notNull(),
    /** Secret behind the guest's rotating QR code (a TOTP bound to the guest). */
    qrSecret: text("qr_secret").notNull(),
    tierId: uuid("tier_id").notNull(),
    /** Sum of the guest's ledger, kept under a row lock in the same transaction as each entry. */
    balance: points("balance").notNull().default(0),
    /** Lifetime paid money in minor units (receipts' total − points × 100, less refunds); tiers use it. */
    lifetimePaid: bigint("lifetime_paid", { mode: "number" }).notNull().default(0),
    marketingOptIn: boolean("marketing_opt_in").notNull().default(false),
    enrolledLocationId: uuid("enrolled_location_id"),
    lastVisitAt: at("last_visit_at"),
    blockedAt: at("blocked_at"),
    /**
     * The café closed the guest's online access (cabinet, online orders); the card keeps working
     * at the till, since its points are the guest's. Null = allowed.
     */
    onlineBlockedAt: at("online_blocked_at"),
    deletedAt: at("deleted_at"),
    /** The guest import that created this guest (undoing it takes such a guest away again). */
    importBatchId: uuid("import_batch_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("guests_card_code_key").on(t.tenantId, t.cardCode),
    uniqueIndex("guests_phone_key").on(t.tenantId, t.phone).where(sql`${t.phone} is not null`),
    uniqueIndex("guests_email_key").on(t.tenantId, sql`lower(${t.email})`).where(sql`${t.email} is not null`),
    // The back-office guests table sorts by name (case-insensitively) and by balance, page by page (keyset).
    index("guests_name_sort_idx").on(t.tenantId, sql`lower(${t.name})`, t.id),
    index("guests_balance_sort_idx").on(t.tenantId, t.balance, t.id),
    foreignKey({ columns: [t.tenantId, t.tierId], foreignColumns: [loyaltyTiers.tenantId, loyaltyTiers.id] }),
    foreignKey({ columns: [t.tenantId, t.enrolledLocationId], foreignColumns: [locations.tenantId, locations.id] }),
    foreignKey({
      columns: [t.tenantId, t.importBatchId],
      foreignColumns: [guestImportBatches.tenantId, guestImportBatches.id],
    }),
  ],
);

/** Consent as given or withdrawn: time, channel, the text version the guest saw, and where. */
export const guestConsents = pgTable(
  "guest_consents",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    guestId: uuid("guest_id").notNull(),
    kind: consentKind("kind").notNull(),
    granted: boolean("granted").notNull(),
    channel: consentChannel("channel").notNull(),
    textVersion: text("text_version").notNull(),
    locationId: uuid("location_id"),
    /** Consent the café had before, brought with its guest file (channel "import"): which file. */
    importBatchId: uuid("import_batch_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.guestId], foreignColumns: [guests.tenantId, guests.id] }),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
    foreignKey({
      columns: [t.tenantId, t.importBatchId],
      foreignColumns: [guestImportBatches.tenantId, guestImportBatches.id],
    }),
  ],
);

/**
 * Who has had the café's welcome bonus: a keyed hash (HMAC, server secret) of each phone and email
 * a bonus was given for, kept after "delete my account" erases them, so deleting and joining again
 * does not pay the bonus twice. The hash alone does not give the phone or email back.
 */
export const welcomeBonusClaims = pgTable(
  "welcome_bonus_claims",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    identityHash: text("identity_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.identityHash] })],
);
