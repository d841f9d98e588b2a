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

export const campaignKind = pgEnum("campaign_kind", ["win_back", "upsell", "birthday", "broadcast"]);
export const campaignStatus = pgEnum("campaign_status", ["draft", "scheduled", "running", "finished", "paused"]);

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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const campaignSends = pgTable(
  "campaign_sends",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    campaignId: uuid("campaign_id").notNull(),
    guestId: uuid("guest_id").notNull(),
    emailOutboxId: uuid("email_outbox_id"),
    sentAt: at("sent_at"),
    /** A visit within the attribution window after the send. */
    convertedAt: at("converted_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("campaign_sends_guest_key").on(t.tenantId, t.campaignId, t.guestId),
    foreignKey({ columns: [t.tenantId, t.campaignId], foreignColumns: [campaigns.tenantId, campaigns.id] }),
    foreignKey({ columns: [t.tenantId, t.guestId], foreignColumns: [guests.tenantId, guests.id] }),
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
