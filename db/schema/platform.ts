import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { at, createdAt } from "./columns";

/**
 * Platform tables: not owned by one tenant, so they carry no tenant_id and no RLS.
 * Everything a café owns lives in the tenant tables of the other files.
 */
export const tenants = pgTable("tenants", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  currency: char("currency", { length: 3 }).notNull(),
  timezone: text("timezone").notNull(),
  locale: text("locale").notNull(),
  /** Owners may require 2FA of baristas too (owners and managers always need it). */
  requireBarista2fa: boolean("require_barista_2fa").notNull().default(false),
  /** When the owner opened the storefront to guests (needs a verified email); null = not public yet. */
  storefrontOpenedAt: at("storefront_opened_at"),
  /** When an owner confirmed the loyalty rules (the first-steps checklist). */
  loyaltyReviewedAt: at("loyalty_reviewed_at"),
  createdAt: createdAt(),
});

/** Staff identities (Auth.js users). One person may belong to several tenants through memberships. */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name"),
    emailVerified: at("email_verified"),
    image: text("image"),
    passwordHash: text("password_hash"),
    /** TOTP secret, encrypted at rest (never the plain secret). */
    totpSecretEncrypted: text("totp_secret_encrypted"),
    totpEnabledAt: at("totp_enabled_at"),
    /** Last accepted TOTP time step, so a code cannot be replayed. */
    totpLastStep: integer("totp_last_step"),
    /** Bumped to revoke every session of the user (JWT sessions carry it). */
    sessionVersion: integer("session_version").notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`)],
);

export const userRecoveryCodes = pgTable("user_recovery_codes", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  codeHash: text("code_hash").notNull(),
  usedAt: at("used_at"),
  createdAt: createdAt(),
});

/** Auth.js adapter tables (accounts, sessions, verification tokens). */
export const authAccounts = pgTable("auth_accounts", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  type: text("type").notNull(),
  provider: text("provider").notNull(),
  providerAccountId: text("provider_account_id").notNull(),
  refreshToken: text("refresh_token"),
  accessToken: text("access_token"),
  expiresAt: integer("expires_at"),
  tokenType: text("token_type"),
  scope: text("scope"),
  idToken: text("id_token"),
  sessionState: text("session_state"),
});

/**
 * Staff sessions. The signed session cookie names one row; deleting the row ends the session
 * at once ("sign out everywhere", password or role change), and `expires` slides with activity.
 */
export const authSessions = pgTable("auth_sessions", {
  sessionToken: text("session_token").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  expires: timestamp("expires", { withTimezone: true }).notNull(),
  /** "verified" after a second factor, "enrolment" until 2FA is set up, "none" when not required. */
  mfa: text("mfa").notNull().default("none"),
  ip: text("ip"),
  userAgent: text("user_agent"),
  createdAt: createdAt(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
});

export const authVerificationTokens = pgTable("auth_verification_tokens", {
  identifier: text("identifier").notNull(),
  token: text("token").primaryKey(),
  expires: timestamp("expires", { withTimezone: true }).notNull(),
});

/**
 * A person's security events (sign-ins, 2FA, passwords). Platform rows: a sign-in may name no café.
 * `in_tenant_id` is the café the event happened in (a sign-in on the way to its back-office): only
 * that café's audit page shows it; an event that names no café shows on each of the person's cafés.
 * (Not `tenant_id`: the column is nullable and the table is no tenant table under RLS.)
 */
export const securityEvents = pgTable(
  "security_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    inTenantId: uuid("in_tenant_id").references(() => tenants.id),
    email: text("email"),
    action: text("action").notNull(),
    ip: text("ip"),
    meta: jsonb("meta"),
    createdAt: createdAt(),
  },
  (t) => [index("security_events_user_time_idx").on(t.userId, t.createdAt)],
);

/** Stripe event ids already processed, so a redelivery is a no-op. */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  processedAt: createdAt(),
});

/**
 * Every email the platform sends, also the dev outbox when RESEND_API_KEY is unset.
 * `context` names the tenant slug for display only; mail may be tenant-less (password reset).
 */
export const emailOutbox = pgTable("email_outbox", {
  id: uuid("id").primaryKey().defaultRandom(),
  context: text("context"),
  toAddress: text("to_address").notNull(),
  subject: text("subject").notNull(),
  html: text("html").notNull(),
  text: text("text").notNull(),
  provider: text("provider").notNull(),
  providerMessageId: text("provider_message_id"),
  delivered: boolean("delivered").notNull().default(false),
  error: text("error"),
  createdAt: createdAt(),
});

/** rate-limiter-flexible's table (its own column names): counters per key, shared by app servers. */
export const rateLimits = pgTable("rate_limits", {
  key: varchar("key", { length: 255 }).primaryKey(),
  points: integer("points").notNull().default(0),
  expire: bigint("expire", { mode: "number" }),
});

/**
 * Guests' sign-in identities (Auth.js users of the guest instance): an email address proven by a
 * magic link. One person may be a guest of several cafés; each café's guest row (tenant table
 * `guests`) is matched to the identity by that email.
 */
export const guestAccounts = pgTable(
  "guest_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    emailVerified: at("email_verified"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("guest_accounts_email_lower_key").on(sql`lower(${t.email})`)],
);

/**
 * Guests' sessions: the signed session cookie names one row (by the SHA-256 of its random id), so
 * signing out, "sign out on all devices" and deleting the account end a session on the server at
 * once. Checked on each request by primary key; no write per request (a guest session does not
 * slide: it ends 90 days after the magic link was used).
 */
export const guestSessions = pgTable(
  "guest_sessions",
  {
    sessionToken: text("session_token").primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => guestAccounts.id, { onDelete: "cascade" }),
    expires: timestamp("expires", { withTimezone: true }).notNull(),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
  },
  (t) => [index("guest_sessions_account_idx").on(t.accountId)],
);
