import { and, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { JOB } from "@/db/queue/queues";
import {
  type CampaignAudience,
  campaignSends,
  campaignSettings,
  campaigns,
  guestStats,
  guests,
  locations,
  loyaltyTiers,
  surveys,
  tenants,
  users,
} from "@/db/schema";
import { SEGMENTS } from "../analytics/segments";
import { recordAudit } from "../audit/record";
import { assertFeature } from "../billing/entitlements";
import { AppError } from "../errors";
import { parseDirectoryParams } from "../guests/directory-params";
import { findGuestAsTyped } from "../guests/lookup";
import { enqueueInTransaction } from "../queue";
import { type AudienceCounts, selectAudience } from "./audience";
import { PLACEHOLDERS, renderCampaignMessage } from "./render";

// The back-office's side of campaigns: making and changing them, launching, pausing, resuming and
// archiving, the café's campaign settings, and a preview for a real guest. Every change is audited.
// Selecting the audience and sending are the engine's (render.ts, audience.ts, send.ts, jobs.ts).

export type CampaignRow = typeof campaigns.$inferSelect;
export type CampaignStatus = CampaignRow["status"];

/** The kinds the back-office makes (the schema keeps older values: upsell, broadcast). */
export const CAMPAIGN_KINDS = ["win_back", "birthday", "survey_invite", "one_off"] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];
/** Kinds that run by themselves once launched; each keeps a hold-out group of 5–50 %. */
export const AUTOMATION_KINDS: readonly CampaignKind[] = ["win_back", "birthday", "survey_invite"];
/** Kinds that may give bonus points with the message. */
export const BONUS_KINDS: readonly CampaignKind[] = ["win_back", "birthday"];
/** Who a one-off may go to: a segment of the nightly fit (or the birthday week) … or the guests table's filter. */
export const AUDIENCE_SEGMENTS = [...SEGMENTS, "birthday"] as const;

export const HOLDOUT_DEFAULT = 10;
export const LIMITS = {
  name: 120,
  subject: 200,
  body: 5000,
  bonusPoints: 100_000,
  bonusExpiresDays: 365,
  daysBefore: 30,
  windowDays: 90,
  holdoutMin: 5,
  holdoutMax: 50,
  frequencyCapCount: 20,
  frequencyCapDays: 60,
} as const;

/** What the form sends for a campaign (the router's zod input checks shapes; this checks meaning). */
export type CampaignInput = {
  name: string;
  kind: CampaignKind;
  subject: string;
  body: string;
  bonusPoints: number;
  /** The bonus expires this many days after the send; null: it does not. */
  bonusExpiresDays: number | null;
  /** Birthday: how many days before the birthday the message goes. */
  daysBefore: number | null;
  holdoutPercent: number;
  windowDays: number;
  /** One-off: a segment, or the guests table's filter as its URL parameters. */
  audience: CampaignAudience | null;
  /** One-off: when it goes; null: at launch. */
  scheduledAt: Date | null;
};

/** Who changes campaigns (audited). */
export type CampaignActor = { tenantId: string; userId: string | null; ip?: string | null };

type Problem = { path: string; message: string };

const campaignNotFound = () => new AppError("not_found", "No campaign with this id", "campaign_not_found");
const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** The campaign (404 campaign_not_found for an unknown id or another café's). */
export async function getCampaign(tx: Tx, campaignId: string, options: { lock?: boolean } = {}): Promise<CampaignRow> {
  if (!isUuid(campaignId)) throw campaignNotFound();
  const query = tx.select().from(campaigns).where(eq(campaigns.id, campaignId));
  const [campaign] = options.lock ? await query.for("update") : await query;
  if (!campaign) throw campaignNotFound();
  return campaign;
}

/** `{word}` placeholders in a template that the engine does not know. */
export function unknownPlaceholders(template: string): string[] {
  const found = [...template.matchAll(/\{([^{}\s]{1,40})\}/g)].map((match) => match[1] ?? "");
  return [...new Set(found.filter((word) => !(PLACEHOLDERS as readonly string[]).includes(word)))];
}

/**
 * Checks a whole campaign (a new one, or an old one with a patch applied): 400 naming each field
 * that is wrong; a tier or location of the audience that is not the café's is a 404, as elsewhere.
 */
async function validate(tx: Tx, input: CampaignInput, now: Date, current?: CampaignRow): Promise<void> {
  const problems: Problem[] = [];
  const need = (ok: boolean, path: string, message: string) => {
    if (!ok) problems.push({ path, message });
  };
  const whole = (value: unknown, min: number, max: number) =>
    typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
  need(input.name.trim().length > 0 && input.name.length <= LIMITS.name, "name", "Give the campaign a name");
  need(input.subject.trim().length > 0 && input.subject.length <= LIMITS.subject, "subject", "Write a subject");
  need(input.body.trim().length > 0 && input.body.length <= LIMITS.body, "body", "Write the message");
  need(unknownPlaceholders(input.subject).length === 0, "subject", "Unknown placeholder");
  need(unknownPlaceholders(input.body).length === 0, "body", "Unknown placeholder");
  const automation = AUTOMATION_KINDS.includes(input.kind);
  need(
    whole(input.holdoutPercent, automation ? LIMITS.holdoutMin : 0, LIMITS.holdoutMax),
    "holdoutPercent",
    automation ? "From 5 to 50 %" : "From 0 to 50 %",
  );
  need(whole(input.windowDays, 1, LIMITS.windowDays), "windowDays", "From 1 to 90 days");
  if (BONUS_KINDS.includes(input.kind)) {
    need(whole(input.bonusPoints, 0, LIMITS.bonusPoints), "bonusPoints", "Zero or more points");
    if (input.bonusExpiresDays !== null) {
      need(whole(input.bonusExpiresDays, 1, LIMITS.bonusExpiresDays), "bonusExpiresDays", "From 1 to 365 days");
      need(input.bonusPoints > 0, "bonusExpiresDays", "Only bonus points expire");
    }
  } else {
    need(input.bonusPoints === 0, "bonusPoints", "Only win-back and birthday campaigns give points");
    need(input.bonusExpiresDays === null, "bonusExpiresDays", "Only win-back and birthday campaigns give points");
  }
  if (input.kind === "birthday") {
    need(whole(input.daysBefore, 0, LIMITS.daysBefore), "daysBefore", "From 0 to 30 days");
  } else {
    need(input.daysBefore === null, "daysBefore", "Only birthday campaigns");
  }
  if (input.kind === "one_off") {
    const audience = input.audience;
    const segment = audience?.segment;
    const filter = audience?.directoryFilter;
    need(Boolean(segment) !== Boolean(filter), "audience", "A segment or the guests table's filter");
    if (segment) need((AUDIENCE_SEGMENTS as readonly string[]).includes(segment), "audience", "Unknown segment");
    if (input.scheduledAt) {
      // A little slack for the time the form took to send; "now" is no date at all.
      const unchangedPast = current?.scheduledAt?.getTime() === input.scheduledAt.getTime();
      need(unchangedPast || input.scheduledAt.getTime() > now.getTime() - 60_000, "scheduledAt", "In the future");
    }
  } else {
    need(input.audience === null, "audience", "Only one-off campaigns");
    need(input.scheduledAt === null, "scheduledAt", "Only one-off campaigns");
  }
  if (problems.length > 0) throw new AppError("invalid_request", "The campaign is not valid", undefined, problems);
  const filter = input.audience?.directoryFilter;
  if (filter) await assertOwnFilter(tx, filter);
}

/**
 * The guests table's filter must name the café's own tier and location: another café's id is a
 * 404, as a wrong id anywhere else, never a campaign that silently reaches nobody.
 */
async function assertOwnFilter(tx: Tx, filter: Record<string, string>): Promise<void> {
  const view = parseDirectoryParams(filter);
  if (filter.tier && !view.filters.tierId) {
    throw new AppError("invalid_request", "Unknown tier", undefined, [{ path: "audience", message: "Unknown tier" }]);
  }
  if (view.filters.tierId) {
    const [tier] = await tx
      .select({ id: loyaltyTiers.id })
      .from(loyaltyTiers)
      .where(eq(loyaltyTiers.id, view.filters.tierId));
    if (!tier) throw new AppError("not_found", "No such tier", "tier_not_found", [{ path: "audience" }]);
  }
  if (filter.location && !view.filters.locationId) {
    throw new AppError("invalid_request", "Unknown location", undefined, [
      { path: "audience", message: "Unknown location" },
    ]);
  }
  if (view.filters.locationId) {
    const [location] = await tx
      .select({ id: locations.id })
      .from(locations)
      .where(and(eq(locations.id, view.filters.locationId), isNull(locations.archivedAt)));
    if (!location) throw new AppError("not_found", "No such location", "location_not_found", [{ path: "audience" }]);
  }
}

/** The guests table's filter parameters a one-off keeps (none of its order or page). */
export const GUEST_FILTER_PARAMS = [
  "q",
  "segment",
  "tier",
  "lastVisitFrom",
  "lastVisitTo",
  "visitsMin",
  "visitsMax",
  "spendMin",
  "spendMax",
  "channel",
  "location",
  "marketing",
] as const;

/** The filter as stored: only the parameters the guests table knows, none of its order or page. */
export function storedFilter(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of GUEST_FILTER_PARAMS) {
    const raw = params[name];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) out[name] = value.slice(0, 200);
  }
  return out;
}

function columnsOf(input: CampaignInput) {
  return {
    name: input.name.trim(),
    kind: input.kind,
    subject: input.subject.trim(),
    body: input.body.trim(),
    bonusPoints: BONUS_KINDS.includes(input.kind) ? input.bonusPoints : 0,
    bonusExpiresDays: input.bonusExpiresDays,
    daysBefore: input.kind === "birthday" ? input.daysBefore : null,
    holdoutPercent: input.holdoutPercent,
    windowDays: input.windowDays,
    channel: "email",
    audience: input.kind === "one_off" ? input.audience : null,
    scheduledAt: input.kind === "one_off" ? input.scheduledAt : null,
  };
}

function rowAsInput(row: CampaignRow): CampaignInput {
  return {
    name: row.name,
    kind: (CAMPAIGN_KINDS as readonly string[]).includes(row.kind) ? (row.kind as CampaignKind) : "one_off",
    subject: row.subject,
    body: row.body,
    bonusPoints: row.bonusPoints,
    bonusExpiresDays: row.bonusExpiresDays,
    daysBefore: row.daysBefore,
    holdoutPercent: row.holdoutPercent,
    windowDays: row.windowDays,
    audience: row.audience ?? null,
    scheduledAt: row.scheduledAt,
  };
}

function auditMeta(row: CampaignRow) {
  return {
    name: row.name,
    kind: row.kind,
    status: row.status,
    subject: row.subject,
    bonusPoints: row.bonusPoints,
    bonusExpiresDays: row.bonusExpiresDays,
    daysBefore: row.daysBefore,
    holdoutPercent: row.holdoutPercent,
    windowDays: row.windowDays,
    audience: row.audience ?? null,
    scheduledAt: row.scheduledAt?.toISOString() ?? null,
  };
}

async function audit(
  tx: Tx,
  actor: CampaignActor,
  action: "campaign.created" | "campaign.updated" | "campaign.launched" | "campaign.status_changed",
  campaignId: string,
  meta: Record<string, unknown>,
) {
  await recordAudit(tx, {
    tenantId: actor.tenantId,
    actorKind: actor.userId ? "staff" : "system",
    actorUserId: actor.userId,
    ip: actor.ip ?? null,
    action,
    targetType: "campaign",
    targetId: campaignId,
    meta,
  });
}

/** Makes a draft campaign (audited); 400 naming the fields that are wrong. */
export async function createCampaign(
  tx: Tx,
  actor: CampaignActor,
  input: CampaignInput,
  now = new Date(),
): Promise<CampaignRow> {
  await validate(tx, input, now);
  const [row] = await tx
    .insert(campaigns)
    .values({ tenantId: actor.tenantId, ...columnsOf(input), status: "draft", createdBy: actor.userId })
    .returning();
  if (!row) throw new Error("campaign insert returned nothing");
  await audit(tx, actor, "campaign.created", row.id, auditMeta(row));
  return row;
}

/**
 * Changes a campaign (audited). Once launched its kind, hold-out share and audience stay as they
 * were (422 campaign_launched): the groups already drawn must keep meaning what they meant. A
 * finished (archived) campaign is kept as it was (422 campaign_finished).
 */
export async function updateCampaign(
  tx: Tx,
  actor: CampaignActor,
  campaignId: string,
  patch: Partial<CampaignInput>,
  now = new Date(),
): Promise<CampaignRow> {
  const current = await getCampaign(tx, campaignId, { lock: true });
  if (current.status === "finished") {
    throw new AppError("unprocessable", "A finished campaign is kept as it was", "campaign_finished");
  }
  const merged: CampaignInput = { ...rowAsInput(current), ...patch };
  if (current.launchedAt) {
    const changed = (
      [
        ["kind", merged.kind !== current.kind],
        ["holdoutPercent", merged.holdoutPercent !== current.holdoutPercent],
        ["audience", JSON.stringify(merged.audience ?? null) !== JSON.stringify(current.audience ?? null)],
      ] as const
    ).find(([, differs]) => differs);
    if (changed) {
      throw new AppError("unprocessable", "Launched: its kind, hold-out and audience stay", "campaign_launched", [
        { path: changed[0], message: "Fixed once launched" },
      ]);
    }
  }
  await validate(tx, merged, now, current);
  const [row] = await tx
    .update(campaigns)
    .set({ ...columnsOf(merged), updatedAt: sql`now()` })
    .where(eq(campaigns.id, current.id))
    .returning();
  if (!row) throw campaignNotFound();
  await audit(tx, actor, "campaign.updated", row.id, { before: auditMeta(current), after: auditMeta(row) });
  return row;
}

export type LaunchResult = {
  campaign: CampaignRow;
  /** The guests drawn at launch (null for a one-off scheduled for later). */
  selected: AudienceCounts | null;
};

/**
 * Launches a draft (audited): an automation starts running (the guests who qualify now are drawn
 * at once, later ones by the automations job), a one-off runs now or waits for its time. The
 * send job is enqueued in the same transaction, so it exists exactly when the launch does. Refused without the plan's
 * campaigns feature (402), for a campaign already launched (422 campaign_not_draft), a one-off
 * whose time has passed (400 scheduledAt) and a survey invitation without an active survey
 * (422 no_active_survey).
 */
export async function launchCampaign(
  tx: Tx,
  actor: CampaignActor,
  campaignId: string,
  now = new Date(),
): Promise<LaunchResult> {
  const current = await getCampaign(tx, campaignId, { lock: true });
  if (current.status !== "draft") {
    throw new AppError("unprocessable", "Only a draft is launched", "campaign_not_draft");
  }
  await assertFeature(tx, "campaigns");
  await validate(tx, rowAsInput(current), now);
  if (current.kind === "survey_invite") {
    const [survey] = await tx.select({ id: surveys.id }).from(surveys).where(eq(surveys.active, true)).limit(1);
    if (!survey) throw new AppError("unprocessable", "The café has no active survey", "no_active_survey");
  }
  const later = current.kind === "one_off" && current.scheduledAt !== null && current.scheduledAt > now;
  const [row] = await tx
    .update(campaigns)
    .set({ status: later ? "scheduled" : "running", launchedAt: now, updatedAt: sql`now()` })
    .where(eq(campaigns.id, current.id))
    .returning();
  if (!row) throw campaignNotFound();
  if (later) {
    await audit(tx, actor, "campaign.launched", row.id, auditMeta(row));
    return { campaign: row, selected: null };
  }
  const selected = await selectAudience(tx, actor.tenantId, row.id, now);
  await audit(tx, actor, "campaign.launched", row.id, { ...auditMeta(row), selected });
  await enqueueCampaignSend(tx, actor.tenantId, row.id);
  return { campaign: row, selected };
}

async function hasAnySend(tx: Tx, campaignId: string) {
  const [row] = await tx
    .select({ id: campaignSends.id })
    .from(campaignSends)
    .where(eq(campaignSends.campaignId, campaignId))
    .limit(1);
  return row !== undefined;
}

/** The campaign's send job (one waiting per campaign: the sender takes every queued row it finds). */
async function enqueueCampaignSend(tx: Tx, tenantId: string, campaignId: string) {
  await enqueueInTransaction(tx, JOB.campaignSend, { tenantId, campaignId }, { singletonKey: campaignId });
}

/** The statuses a campaign may be moved to by hand: pause, resume, archive (final). */
export const STATUS_ACTIONS = ["pause", "resume", "archive"] as const;
export type StatusAction = (typeof STATUS_ACTIONS)[number];

/**
 * Pauses (a running or scheduled campaign sends nothing more until resumed), resumes or archives
 * a campaign (finished for good: an automation stops drawing guests) — audited. 422
 * campaign_not_launched / campaign_not_paused / campaign_finished when the move makes no sense.
 */
export async function setCampaignStatus(
  tx: Tx,
  actor: CampaignActor,
  campaignId: string,
  action: StatusAction,
  now = new Date(),
): Promise<CampaignRow> {
  const current = await getCampaign(tx, campaignId, { lock: true });
  if (current.status === "finished") {
    throw new AppError("unprocessable", "A finished campaign stays finished", "campaign_finished");
  }
  let status: CampaignStatus;
  if (action === "pause") {
    if (current.status === "paused") return current;
    if (current.status !== "running" && current.status !== "scheduled") {
      throw new AppError("unprocessable", "Only a launched campaign is paused", "campaign_not_launched");
    }
    status = "paused";
  } else if (action === "resume") {
    if (current.status === "running" || current.status === "scheduled") return current;
    if (current.status !== "paused") {
      throw new AppError("unprocessable", "Only a paused campaign is resumed", "campaign_not_paused");
    }
    await assertFeature(tx, "campaigns");
    status = current.kind === "one_off" && current.scheduledAt && current.scheduledAt > now ? "scheduled" : "running";
  } else {
    status = "finished";
  }
  const [row] = await tx
    .update(campaigns)
    .set({ status, finishedAt: status === "finished" ? now : null, updatedAt: sql`now()` })
    .where(eq(campaigns.id, current.id))
    .returning();
  if (!row) throw campaignNotFound();
  // An archived campaign sends nothing more: what still waits is marked so, not pending forever.
  // (A row being sent right now finishes; its sender records it.)
  const unsent =
    status === "finished"
      ? await tx
          .update(campaignSends)
          .set({ status: "skipped", skipReason: "archived", nextAttemptAt: null })
          .where(and(eq(campaignSends.campaignId, row.id), eq(campaignSends.status, "queued")))
          .returning({ id: campaignSends.id })
      : [];
  await audit(tx, actor, "campaign.status_changed", row.id, {
    from: current.status,
    to: status,
    name: row.name,
    ...(status === "finished" ? { unsent: unsent.length } : {}),
  });
  if (status === "running") {
    // A one-off paused before its time came was never drawn: draw it now, as its launch would have.
    if (row.kind === "one_off" && !(await hasAnySend(tx, row.id)))
      await selectAudience(tx, actor.tenantId, row.id, now);
    // What was queued when it was paused goes out now.
    await enqueueCampaignSend(tx, actor.tenantId, row.id);
  }
  return row;
}

export type CampaignCounts = {
  /** Messages sent (sent, delivered, or bounced/complained after sending). */
  sent: number;
  /** Waiting to be sent (queued or being sent). */
  queued: number;
  /** Held back: the campaign's hold-out and the café's control group. */
  heldOut: number;
  /** Not sent: no consent, no email, the frequency cap, unsubscribed. */
  skipped: number;
  failed: number;
};

const countColumns = {
  sent: sql<number>`count(*) filter (where ${campaignSends.status} in ('sent', 'delivered', 'bounced', 'complained'))::int`,
  queued: sql<number>`count(*) filter (where ${campaignSends.status} in ('queued', 'sending'))::int`,
  heldOut: sql<number>`count(*) filter (where ${campaignSends.status} = 'held_out')::int`,
  skipped: sql<number>`count(*) filter (where ${campaignSends.status} = 'skipped')::int`,
  failed: sql<number>`count(*) filter (where ${campaignSends.status} = 'failed')::int`,
};

const noCounts: CampaignCounts = { sent: 0, queued: 0, heldOut: 0, skipped: 0, failed: 0 };

export type CampaignListItem = CampaignRow & { counts: CampaignCounts };

/** The café's campaigns, newest first, with their counts; `finished` lists the archived ones. */
export async function listCampaigns(tx: Tx, filter: { finished?: boolean } = {}): Promise<CampaignListItem[]> {
  const rows = await tx
    .select()
    .from(campaigns)
    .where(
      and(
        inArray(campaigns.kind, [...CAMPAIGN_KINDS]),
        filter.finished ? eq(campaigns.status, "finished") : ne(campaigns.status, "finished"),
      ),
    )
    .orderBy(desc(campaigns.createdAt))
    .limit(500);
  if (rows.length === 0) return [];
  const counts = await tx
    .select({ campaignId: campaignSends.campaignId, ...countColumns })
    .from(campaignSends)
    .where(
      inArray(
        campaignSends.campaignId,
        rows.map((row) => row.id),
      ),
    )
    .groupBy(campaignSends.campaignId);
  const byCampaign = new Map(counts.map(({ campaignId, ...row }) => [campaignId, row]));
  return rows.map((row) => ({ ...row, counts: { ...noCounts, ...byCampaign.get(row.id) } }));
}

/** One campaign with its counts. */
export async function campaignWithCounts(tx: Tx, campaignId: string): Promise<CampaignListItem> {
  const campaign = await getCampaign(tx, campaignId);
  const [row] = await tx.select(countColumns).from(campaignSends).where(eq(campaignSends.campaignId, campaign.id));
  return { ...campaign, counts: { ...noCounts, ...row } };
}

// ---------------------------------------------------------------------------------------------
// Settings.

export type CampaignSettingsInput = {
  frequencyCapCount: number;
  frequencyCapDays: number;
  /** "HH:MM", the café's local time. */
  quietStart: string;
  quietEnd: string;
  globalControlEnabled: boolean;
};

export type CampaignSettingsView = CampaignSettingsInput & { globalControlPercent: number };

const SETTINGS_DEFAULTS: CampaignSettingsView = {
  frequencyCapCount: 2,
  frequencyCapDays: 7,
  quietStart: "21:00",
  quietEnd: "09:00",
  globalControlEnabled: false,
  globalControlPercent: 5,
};

const hhmm = (time: string) => time.slice(0, 5);

/** The café's campaign settings (the defaults until changed). */
export async function getCampaignSettings(tx: Tx): Promise<CampaignSettingsView> {
  const [row] = await tx.select().from(campaignSettings).limit(1);
  if (!row) return { ...SETTINGS_DEFAULTS };
  return {
    frequencyCapCount: row.frequencyCapCount,
    frequencyCapDays: row.frequencyCapDays,
    quietStart: hhmm(row.quietStart),
    quietEnd: hhmm(row.quietEnd),
    globalControlEnabled: row.globalControlEnabled,
    globalControlPercent: row.globalControlPercent,
  };
}

const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Changes the frequency cap, the quiet hours and the global control group (audited); the ROI
 * assumptions in the same row are the results' and stay as they are. 400 naming the field.
 */
export async function updateCampaignSettings(
  tx: Tx,
  actor: CampaignActor,
  input: CampaignSettingsInput,
): Promise<CampaignSettingsView> {
  const problems: Problem[] = [];
  const need = (ok: boolean, path: string, message: string) => {
    if (!ok) problems.push({ path, message });
  };
  const whole = (value: number, min: number, max: number) =>
    Number.isSafeInteger(value) && value >= min && value <= max;
  need(whole(input.frequencyCapCount, 1, LIMITS.frequencyCapCount), "frequencyCapCount", "From 1 to 20 messages");
  need(whole(input.frequencyCapDays, 1, LIMITS.frequencyCapDays), "frequencyCapDays", "From 1 to 60 days");
  need(TIME_PATTERN.test(input.quietStart), "quietStart", "A time, HH:MM");
  need(TIME_PATTERN.test(input.quietEnd), "quietEnd", "A time, HH:MM");
  if (problems.length > 0) throw new AppError("invalid_request", "The settings are not valid", undefined, problems);
  const before = await getCampaignSettings(tx);
  const values = {
    frequencyCapCount: input.frequencyCapCount,
    frequencyCapDays: input.frequencyCapDays,
    quietStart: input.quietStart,
    quietEnd: input.quietEnd,
    globalControlEnabled: input.globalControlEnabled,
  };
  await tx
    .insert(campaignSettings)
    .values({ tenantId: actor.tenantId, ...values })
    .onConflictDoUpdate({ target: campaignSettings.tenantId, set: { ...values, updatedAt: sql`now()` } });
  const after = await getCampaignSettings(tx);
  await recordAudit(tx, {
    tenantId: actor.tenantId,
    actorKind: actor.userId ? "staff" : "system",
    actorUserId: actor.userId,
    ip: actor.ip ?? null,
    action: "campaign.settings_changed",
    targetType: "campaign_settings",
    meta: { before, after },
  });
  return after;
}

// ---------------------------------------------------------------------------------------------
// Preview.

export type CampaignPreview = {
  guest: { id: string; name: string | null; favourite: string | null; segment: string | null } | null;
  message: { subject: string; html: string; text: string } | null;
};

/**
 * The campaign's message as one real guest would get it: the guest chosen (by id, or as typed:
 * card code or phone), else a sleeping guest the café has — one with a favourite product and an
 * email first, so the preview shows what the placeholders become. 404 guest_not_found for a
 * guest chosen who is not the café's; no guest at all (a new café) previews nothing.
 */
export async function previewCampaign(
  tx: Tx,
  tenantId: string,
  campaignId: string,
  choice: { guestId?: string; identifier?: string } = {},
): Promise<CampaignPreview> {
  const campaign = await getCampaign(tx, campaignId);
  const guestId = await chosenGuestId(tx, choice);
  const [guest] = await tx
    .select({
      id: guests.id,
      name: guests.name,
      balance: guests.balance,
      favourite: guestStats.favouriteName,
      segment: guestStats.segment,
    })
    .from(guests)
    .leftJoin(guestStats, eq(guestStats.guestId, guests.id))
    .where(and(isNull(guests.deletedAt), guestId ? eq(guests.id, guestId) : eq(guestStats.segment, "sleeping")))
    .orderBy(
      sql`(${guestStats.favouriteName} is null)`,
      sql`(${guests.email} is null)`,
      desc(guestStats.lastVisitAt),
      guests.id,
    )
    .limit(1);
  if (!guest) {
    if (guestId) throw new AppError("not_found", "No guest with this id", "guest_not_found", [{ path: "guest" }]);
    return { guest: null, message: null };
  }
  const [cafe] = await tx
    .select({ name: tenants.name, locale: tenants.locale })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  const message = renderCampaignMessage(campaign, {
    guestName: guest.name ?? "",
    favouriteProduct: guest.favourite ?? undefined,
    points: campaign.bonusPoints > 0 ? campaign.bonusPoints : guest.balance,
    cafeName: cafe?.name ?? "",
    locale: cafe?.locale ?? "ru",
  });
  return {
    guest: { id: guest.id, name: guest.name, favourite: guest.favourite, segment: guest.segment },
    message: { subject: message.subject, html: message.html, text: message.text },
  };
}

async function chosenGuestId(tx: Tx, choice: { guestId?: string; identifier?: string }): Promise<string | null> {
  const notFound = () => new AppError("not_found", "No such guest", "guest_not_found", [{ path: "guest" }]);
  if (choice.guestId) {
    if (!isUuid(choice.guestId)) throw notFound();
    return choice.guestId;
  }
  const typed = choice.identifier?.trim();
  if (!typed) return null;
  const found = await findGuestAsTyped(tx, typed);
  if (!found) throw notFound();
  return found.id;
}

/** The member's own address, where a test message goes. */
export async function staffEmail(tx: Tx, userId: string): Promise<string> {
  const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("not_found", "No such member", "member_not_found");
  return user.email;
}
