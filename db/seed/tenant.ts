// Writing one tenant: its rows in foreign-key order, in the caller's transaction.

import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { PgInsertValue, PgTable } from "drizzle-orm/pg-core";
import { createTenant } from "../../server/tenants/create";
import type { Tx } from "../client";
import {
  campaignSends,
  campaigns,
  guestConsents,
  guests,
  hintRules,
  ledgerEntries,
  loyaltyPrograms,
  receiptLines,
  receipts,
  redemptions,
  refunds,
  subscriptions,
  surveyQuestions,
  surveys,
  tenants,
} from "../schema";
import { addMinutes, must, time } from "./helpers";
import { type HistoryRows, simulateHistory } from "./history-simulation";
import { insertMenu } from "./menu";
import type { EngagementSpec, LocationSpec, TenantSpec } from "./spec";
import { insertStaff } from "./staff";

// Well under PostgreSQL's 65 535 bind parameters per statement for the widest table (receipts).
const INSERT_CHUNK = 1000;

export type Program = { welcomeBonus: number; maxRedeemPercent: number; holdTtlSeconds: number };
export type LocationRef = { id: string; spec: LocationSpec };

export async function tenantExists(tx: Tx, slug: string): Promise<boolean> {
  const rows = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
  return rows.length > 0;
}

export async function seedTenant(tx: Tx, spec: TenantSpec, now: Date, passwordHash: string): Promise<void> {
  // createTenant binds the transaction to the new tenant (RLS), so every insert below passes.
  const created = await createTenant(tx, spec.tenant);
  const tenantId = created.tenant.id;
  const locations = spec.tenant.locations.map((location) => ({
    id: must(created.locations.find((row) => row.slug === location.slug)).id,
    spec: location,
  }));
  const program = await configureProgram(tx, tenantId, spec.program);
  await insertStaff(tx, tenantId, spec.staff, locations, passwordHash, now);
  const menu = await insertMenu(tx, tenantId, spec.menu, locations);
  const history = simulateHistory({ spec, now, tenantId, locations, tiers: created.tiers, program, menu });
  await insertHistory(tx, history);
  await insertEngagement(tx, tenantId, spec.engagement);
  await activateSubscription(tx, tenantId, now);
}

/** The demo tenants are paying customers: an active plan, whatever createTenant started them on. */
async function activateSubscription(tx: Tx, tenantId: string, now: Date): Promise<void> {
  const plan = {
    plan: "pro",
    status: "active" as const,
    trialEndsAt: null,
    currentPeriodEnd: addMinutes(now, 30 * 24 * 60),
  };
  await tx
    .insert(subscriptions)
    .values({ tenantId, ...plan })
    .onConflictDoUpdate({ target: subscriptions.tenantId, set: plan });
}

/** The program createTenant made, with the spec's overrides applied. */
async function configureProgram(tx: Tx, tenantId: string, overrides: TenantSpec["program"]): Promise<Program> {
  const where = eq(loyaltyPrograms.tenantId, tenantId);
  const [program] = overrides
    ? await tx.update(loyaltyPrograms).set(overrides).where(where).returning()
    : await tx.select().from(loyaltyPrograms).where(where);
  return must(program);
}

/** In foreign-key order: guests before what points at them, the ledger last. */
async function insertHistory(tx: Tx, history: HistoryRows): Promise<void> {
  await insertInChunks(tx, guests, history.guests);
  await insertInChunks(tx, guestConsents, history.consents);
  await insertInChunks(tx, redemptions, history.redemptions);
  await insertInChunks(tx, receipts, history.receipts);
  await insertInChunks(tx, receiptLines, history.receiptLines);
  await insertInChunks(tx, refunds, history.refunds);
  // Ledger ids are an identity: insert in time order so that id order is history order.
  const ledger = [...history.ledger].sort((a, b) => time(a.createdAt) - time(b.createdAt));
  await insertInChunks(tx, ledgerEntries, ledger);
  await insertInChunks(tx, campaigns, history.campaigns);
  await insertInChunks(tx, campaignSends, history.campaignSends);
}

async function insertEngagement(tx: Tx, tenantId: string, engagement: EngagementSpec): Promise<void> {
  await tx.insert(hintRules).values({ tenantId, ...engagement.hint });
  const surveyId = randomUUID();
  await tx.insert(surveys).values({
    tenantId,
    id: surveyId,
    title: engagement.survey.title,
    afterVisits: engagement.survey.afterVisits,
  });
  await tx.insert(surveyQuestions).values(
    engagement.survey.questions.map((question, sortOrder) => ({
      tenantId,
      surveyId,
      text: question.text,
      kind: question.kind,
      options: question.options ?? [],
      sortOrder,
    })),
  );
  await tx.insert(campaigns).values({ tenantId, status: "draft", ...engagement.campaign });
}

async function insertInChunks<T extends PgTable>(tx: Tx, table: T, rows: PgInsertValue<T>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await tx.insert(table).values(rows.slice(start, start + INSERT_CHUNK));
  }
}
