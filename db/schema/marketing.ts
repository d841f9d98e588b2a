import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  time,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { at, createdAt, idColumn, points, tenantIdColumn, updatedAt } from "./columns";
import { guests } from "./guests";
import { tenants } from "./platform";

/** Owner-written upsell rules: when a guest usually takes `ifSku`, suggest `suggestSku` with `text`. */
export const hintRules = pgTable(
  "hint_rules",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    ifSku: text("if_sku").notNull(),
    suggestSku: text("suggest_sku").notNull(),
    text: text("text").notNull(),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("hint_rules_if_sku_key").on(t.tenantId, t.ifSku, t.suggestSku),
  ],
);

export const campaignKind = pgEnum("campaign_kind", [
  "win_back",
  "upsell",
  "birthday",
  "broadcast",
  "survey_invite",
  "one_off",
]);
export const campaignStatus = pgEnum("campaign_status", ["draft", "scheduled", "running", "finished", "paused"]);

/**
 * Who a one-off campaign goes to: a segment (new | regular | loyal | sleeping | lost, see
 * server/analytics/segments.ts) or the guests table's filter as its URL parameters
 * (server/guests/directory-params.ts `parseDirectoryParams`).
 */
export type CampaignAudience = {
  segment?: string;
  directoryFilter?: Record<string, string>;
};

/** Segment rules of a campaign, evaluated over the unified guest profile. */
export type CampaignSegment = {
  sleepingDays?: number;
  minVisits?: number;
  tierIds?: string[];
  favouriteSku?: string;
};

export const campaigns = pgTable(
  "campaigns",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    name: text("name").notNull(),
    kind: campaignKind("kind").notNull(),
    status: campaignStatus("status").notNull().default("draft"),
    segment: jsonb("segment").$type<CampaignSegment>().notNull().default({}),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    /** Points granted to each recipient, or 0. */
    bonusPoints: points("bonus_points").notNull().default(0),
    /** Shown in the guest cabinet as a personal offer until then. */
    offerUntil: at("offer_until"),
    scheduledAt: at("scheduled_at"),
    /** Share of eligible guests kept back as the control group (5–50 for automations, 0–50 one-off). */
    holdoutPercent: integer("holdout_percent").notNull().default(10),
    /** Days after the send in which a visit counts as "came back" (results). */
    windowDays: integer("window_days").notNull().default(14),
    /** The bonus points expire this many days after the send (null = they do not). */
    bonusExpiresDays: integer("bonus_expires_days"),
    /** Birthday: send this many days before the birthday. */
    daysBefore: integer("days_before"),
    /** email now; sms and telegram later (server/campaigns channel interface). */
    channel: text("channel").notNull().default("email"),
    /** One-off: the segment or guests-table filter it goes to. */
    audience: jsonb("audience").$type<CampaignAudience>(),
    launchedAt: at("launched_at"),
    finishedAt: at("finished_at"),
    /** The staff user who created it (users.id; no foreign key, users are platform-wide). */
    createdBy: uuid("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const campaignSendGroup = pgEnum("campaign_send_group", ["target", "holdout", "global_control"]);
export const campaignSendStatus = pgEnum("campaign_send_status", [
  "queued",
  "sending",
  "sent",
  "delivered",
  "bounced",
  "complained",
  "failed",
  "skipped",
  "held_out",
]);
export const campaignSkipReason = pgEnum("campaign_skip_reason", [
  "no_consent",
  "no_email",
  "frequency_cap",
  "unsubscribed",
  /** The guest deleted their account after the draw (at send time; stays in the comparison). */
  "deleted",
  /** The campaign was archived before the message went out. */
  "archived",
]);

export const campaignSends = pgTable(
  "campaign_sends",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    campaignId: uuid("campaign_id").notNull(),
    guestId: uuid("guest_id").notNull(),
    /**
     * Which time this campaign reaches the guest: '' one-off, the birthday year, the date of the
     * last visit before the guest fell asleep (win-back), 'survey'. With campaign and guest, THE
     * idempotency key: a guest gets one message per occasion however often selection runs.
     */
    occasion: text("occasion").notNull().default(""),
    group: campaignSendGroup("group").notNull().default("target"),
    status: campaignSendStatus("status").notNull().default("queued"),
    skipReason: campaignSkipReason("skip_reason"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: at("next_attempt_at"),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    emailOutboxId: uuid("email_outbox_id"),
    queuedAt: at("queued_at").notNull().defaultNow(),
    sentAt: at("sent_at"),
    deliveredAt: at("delivered_at"),
    unsubscribedAt: at("unsubscribed_at"),
    /** The campaign_bonus ledger entry (posted once per row), and its expiry. */
    bonusLedgerEntryId: bigint("bonus_ledger_entry_id", { mode: "number" }),
    bonusExpiresAt: at("bonus_expires_at"),
    /** The entry taking the unspent bonus back at bonus_expires_at (once). */
    bonusExpiryEntryId: bigint("bonus_expiry_entry_id", { mode: "number" }),
    /** A visit within the attribution window after the send. */
    convertedAt: at("converted_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("campaign_sends_occasion_key").on(t.tenantId, t.campaignId, t.guestId, t.occasion),
    // The sender's claim: due queued rows of one campaign.
    index("campaign_sends_queue_idx").on(t.tenantId, t.campaignId, t.status, t.nextAttemptAt),
    // The frequency cap: a guest's recent sends across campaigns.
    index("campaign_sends_guest_sent_idx").on(t.tenantId, t.guestId, t.sentAt),
    index("campaign_sends_bonus_expiry_idx")
      .on(t.tenantId, t.bonusExpiresAt)
      .where(sql`${t.bonusExpiresAt} is not null and ${t.bonusExpiryEntryId} is null`),
    foreignKey({ columns: [t.tenantId, t.campaignId], foreignColumns: [campaigns.tenantId, campaigns.id] }),
    foreignKey({ columns: [t.tenantId, t.guestId], foreignColumns: [guests.tenantId, guests.id] }),
  ],
);

/** A café's campaign settings (one row per tenant; missing = the defaults). */
export const campaignSettings = pgTable(
  "campaign_settings",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    /** At most this many campaign messages per guest in frequency_cap_days, across campaigns. */
    frequencyCapCount: integer("frequency_cap_count").notNull().default(2),
    frequencyCapDays: integer("frequency_cap_days").notNull().default(7),
    /** No sends between these local times (the café's time zone); sends wait until the end. */
    quietStart: time("quiet_start").notNull().default("21:00"),
    quietEnd: time("quiet_end").notNull().default("09:00"),
    globalControlEnabled: boolean("global_control_enabled").notNull().default(false),
    globalControlPercent: integer("global_control_percent").notNull().default(5),
    /** ROI assumptions (results): cost of goods as % of revenue, a point's cost, subscription. */
    cogsPercent: integer("cogs_percent").notNull().default(30),
    pointCostMinor: integer("point_cost_minor"),
    subscriptionMinor: integer("subscription_minor"),
    /** ROI until hold-out results can tell: % of sleeping guests a month's win-back brings back. */
    roiWinbackPercent: integer("roi_winback_percent").notNull().default(5),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
);

/** Delivery events from the email provider's webhooks (Resend), one per provider event id. */
export const messageEvents = pgTable(
  "message_events",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    sendId: uuid("send_id"),
    providerEventId: text("provider_event_id").notNull(),
    type: text("type").notNull(),
    occurredAt: at("occurred_at").notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("message_events_provider_event_key").on(t.tenantId, t.providerEventId),
    foreignKey({ columns: [t.tenantId, t.sendId], foreignColumns: [campaignSends.tenantId, campaignSends.id] }),
    index("message_events_send_idx").on(t.tenantId, t.sendId),
  ],
);

export const surveys = pgTable(
  "surveys",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    title: text("title").notNull(),
    /** Invite the guest after this many visits. */
    afterVisits: integer("after_visits").notNull().default(3),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const surveyQuestionKind = pgEnum("survey_question_kind", ["rating", "choice", "text"]);

export const surveyQuestions = pgTable(
  "survey_questions",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    surveyId: uuid("survey_id").notNull(),
    text: text("text").notNull(),
    kind: surveyQuestionKind("kind").notNull(),
    options: jsonb("options").$type<string[]>().notNull().default([]),
    sortOrder: integer("sort_order").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.surveyId], foreignColumns: [surveys.tenantId, surveys.id] }).onDelete(
      "cascade",
    ),
  ],
);

export const surveyResponses = pgTable(
  "survey_responses",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    surveyId: uuid("survey_id").notNull(),
    guestId: uuid("guest_id").notNull(),
    answers: jsonb("answers").$type<Record<string, string | number>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // The survey bonus is earned once: one response per guest and survey.
    unique("survey_responses_guest_key").on(t.tenantId, t.surveyId, t.guestId),
    foreignKey({ columns: [t.tenantId, t.surveyId], foreignColumns: [surveys.tenantId, surveys.id] }),
    foreignKey({ columns: [t.tenantId, t.guestId], foreignColumns: [guests.tenantId, guests.id] }),
  ],
);
