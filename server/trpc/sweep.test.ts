import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { withTenant } from "@/db/client";
import { guests, memberships, subscriptions, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { fillTenant } from "@/db/testing/fill-tenant";
import { can, type Permission, ROLES, type Role } from "@/server/auth/permissions";
import { createStaffSession, type MfaState, type StaffSession } from "@/server/auth/sessions";
import { startFakeStripe } from "@/server/billing/testing/fake-stripe";
import { applyEnv } from "@/server/env";
import { qrPayload } from "@/server/loyalty/qr";
import { flushPosRequests } from "@/server/pos/request-log";
import { createPosTenant, posClient, receiptBody } from "@/server/pos/testing";
import { createTenant } from "@/server/tenants/create";
import type { Context, Meta } from "./init";
import { appRouter, createCaller } from "./root";

/**
 * The cross-tenant sweep: every procedure of the router (read from `appRouter`, never a list
 * written here) is called with another café's ids, and must refuse without changing anything.
 * A procedure the sweep has no input for fails it, so a new procedure cannot slip past. Guest
 * procedures (meta.guest) have a sweep of their own: server/trpc/guest-sweep.test.ts.
 */
const db = await testDatabase();
// staffProcedure resolves the tenant slug through the app's global pool (`appDb()`), not ctx.db:
// point that pool at this file's database.
// Billing on, against the local Stripe-compatible server: the paying path is swept like the rest.
const stripe = await startFakeStripe({ webhookSecret: "whsec_sweep" });
applyEnv({
  APP_DATABASE_URL: db.appUrl,
  STRIPE_SECRET_KEY: "sk_test_sweep",
  STRIPE_WEBHOOK_SECRET: "whsec_sweep",
  STRIPE_API_BASE: stripe.url,
});
afterAll(async () => {
  await stripe.close();
  await (globalThis as { zernoDb?: { client: { end: () => Promise<void> } } }).zernoDb?.client.end();
});

// ---------------------------------------------------------------------------------------------
// The router, flattened ("staff.invite" → its definition).

type ProcedureDef = { _def: { meta?: Meta; type: string; inputs: z.ZodType[] } };
type Procedure = { path: string; meta: Meta | undefined; inputs: z.ZodType[]; type: string };

const PROCEDURES: Procedure[] = Object.entries(
  appRouter._def.procedures as unknown as Record<string, ProcedureDef>,
).map(([path, procedure]) => ({
  path,
  meta: procedure._def.meta,
  inputs: procedure._def.inputs,
  type: procedure._def.type,
}));

// ---------------------------------------------------------------------------------------------
// The ids a café's rows have, handed to the input map.

type Person = { userId: string; membershipId: string; email: string; session: StaffSession };

type TenantIds = {
  tenantId: string;
  slug: string;
  /** Locations of the café (createTenant's two, and fillTenant's one where filled). */
  locationIds: string[];
  people: Record<Role, Person>;
  /** A guest of the café with its printed card and phone. */
  guest: { id: string; cardCode: string; phone: string };
  /** Every id of every tenant table's rows, by table, for procedures about other kinds of rows. */
  rows: Record<string, string[]>;
  /** Platform users of the café (its people and fillTenant's owner). */
  userIds: string[];
};

/**
 * How the sweep calls a staff procedure. `inputs` name tenant B's rows (A's where the point is
 * to mix both), valid in shape. Each call must answer NOT_FOUND or FORBIDDEN, unless `answers`
 * says why the procedure may answer: then the answer must hold none of B's values, and be empty
 * where `empty` is given.
 */
type StaffCase = {
  /** The permission the procedure must ask; a weaker one in the router fails the sweep. */
  permission: Permission;
  inputs: (b: TenantIds, a: TenantIds) => unknown[];
  answers?: { why: string; empty?: (answer: unknown) => boolean };
};

/** A valid offer of the back-office form (the offers procedures' input). */
const sweepOffer = {
  kind: "percent_off",
  value: 10,
  skus: [],
  categories: [],
  title: { ru: "Проверка" },
  description: {},
  minCheck: 0,
  perGuestLimit: 1,
  totalLimit: null,
  locationIds: [],
  source: "personal",
};

/** A valid one-off campaign of the back-office form (the campaigns procedures' input). */
const sweepCampaign = {
  name: "Проверка",
  kind: "one_off",
  subject: "Тема",
  body: "Текст",
  holdoutPercent: 10,
  windowDays: 14,
  audience: { segment: "sleeping" },
};

/** A rule change naming another café's tier (the only id a rule change has). */
const sweepRuleChange = (tierId: string) => ({
  rules: {
    tiers: [{ id: tierId, name: "Sweep", accrualPercent: 7, minSpend: 0 }],
    maxRedeemPercent: 30,
    welcomeBonus: 100,
    birthdayBonus: 200,
    surveyBonus: 50,
    holdTtlSeconds: 900,
    expireAfterInactiveDays: null,
  },
  effective: { when: "tomorrow" },
});

const STAFF_SWEEP: Record<string, StaffCase> = {
  "staff.team": {
    permission: "staff.manage",
    inputs: () => [undefined],
    answers: { why: "takes no id: it lists the caller's own team" },
  },
  "staff.invite": {
    permission: "staff.manage",
    inputs: (b) => [
      { email: "newcomer@sweep.example", role: "barista", locationIds: [b.locationIds[0]] },
      { email: b.people.barista.email, role: "manager", locationIds: [b.locationIds[1]] },
    ],
  },
  "staff.changeMember": {
    permission: "staff.manage",
    inputs: (b, a) => [
      { membershipId: b.people.barista.membershipId, role: "manager", locationIds: [] },
      { membershipId: b.people.owner.membershipId, role: "barista", locationIds: [] },
      { membershipId: b.people.manager.membershipId, role: "owner", locationIds: [] },
      // A's own member limited to B's location.
      { membershipId: a.people.barista.membershipId, role: "barista", locationIds: [b.locationIds[0]] },
    ],
  },
  "staff.setBaristaTwoFactor": {
    permission: "staff.manage",
    inputs: () => [{ required: true }],
    answers: { why: "takes no id: it sets the caller's own café (B's setting must stay as it is)" },
  },
  "staff.withdrawInvitation": {
    permission: "staff.manage",
    inputs: (b) => [{ invitationId: b.rows.staff_invitations?.[0] }],
  },
  "staff.removeMember": {
    permission: "staff.manage",
    inputs: (b) => [{ membershipId: b.people.barista.membershipId }, { membershipId: b.people.owner.membershipId }],
  },
  "audit.list": {
    permission: "audit.read",
    inputs: (b) => [{ actorUserId: b.people.owner.userId }, { actorUserId: b.people.barista.userId, pageSize: 200 }],
    answers: {
      why: "actorUserId is a filter, not a target: another café's person matches no entry",
      empty: (answer) => (answer as { total: number }).total === 0,
    },
  },
  "guests.setOnlineAccess": {
    permission: "guests.block",
    inputs: (b) => [
      { identifier: b.guest.cardCode, blocked: true },
      { identifier: b.guest.phone, blocked: true },
    ],
  },
  "dataExport.start": {
    permission: "data.export",
    inputs: () => [undefined],
    answers: { why: "takes no id: exports the caller's own café (RLS-bound; B's rows are never read)" },
  },
  "dataExport.latest": {
    permission: "data.export",
    inputs: () => [undefined],
    answers: { why: "takes no id: the caller's own café's latest export" },
  },
  "guests.exportCsv": {
    permission: "guests.export",
    inputs: (b) => [
      undefined,
      { filters: { tierId: rowOf(b, "loyalty_tiers"), locationId: b.locationIds[0], q: b.guest.phone } },
    ],
    answers: { why: "filters, not targets: the caller's own guests (café A has none), B's ids match nothing" },
  },
  "guests.list": {
    permission: "guests.read",
    inputs: (b) => [
      { sort: "lastVisit" },
      { q: b.guest.cardCode, tierId: rowOf(b, "loyalty_tiers"), locationId: b.locationIds[0], sort: "name" },
      { segment: "new", sort: "visits", from: "1" },
    ],
    answers: {
      why: "filters, not targets: the caller's own guests (café A has none)",
      empty: (answer) => (answer as { rows: unknown[] }).rows.length === 0,
    },
  },
  "guests.count": {
    permission: "guests.read",
    inputs: (b) => [{}, { q: b.guest.phone, tierId: rowOf(b, "loyalty_tiers"), locationId: b.locationIds[0] }],
    answers: { why: "filters, not targets: counts the caller's own guests", empty: (answer) => answer === 0 },
  },
  "guests.filterOptions": {
    permission: "guests.read",
    inputs: () => [undefined],
    answers: { why: "takes no id: the caller's own tiers and locations" },
  },
  "guests.columns": {
    permission: "guests.read",
    inputs: () => [undefined],
    answers: { why: "takes no id: the caller's own choice of columns" },
  },
  "guests.saveColumns": {
    permission: "guests.read",
    inputs: () => [{ columns: ["name", "visits"] }],
    answers: { why: "takes no id: keeps the caller's own choice (B's stays as it is)" },
  },
  "guests.card": {
    permission: "guests.read",
    inputs: (b) => [{ guestId: b.guest.id }],
  },
  "guests.timeline": {
    permission: "guests.read",
    inputs: (b) => [{ guestId: b.guest.id }, { guestId: b.guest.id, limit: 100 }],
  },
  "guests.adjustPoints": {
    permission: "guests.adjust_points",
    inputs: (b) => [
      { guestId: b.guest.id, delta: 100, reason: "Sweep adjustment" },
      { guestId: b.guest.id, delta: -1, reason: "Sweep adjustment", expectedBalance: 0 },
    ],
  },
  "guestImport.batches": {
    permission: "guests.import",
    inputs: () => [undefined],
    answers: {
      why: "takes no id: the caller's own imports (café A has none)",
      empty: (answer) => (answer as { batches: unknown[] }).batches.length === 0,
    },
  },
  "guestImport.batch": {
    permission: "guests.import",
    inputs: (b) => [{ batchId: rowOf(b, "guest_import_batches") }],
  },
  "guestImport.beginUpload": {
    permission: "guests.import",
    inputs: () => [{ fileName: "sweep-guests.csv" }],
    answers: { why: "takes no id: starts an upload into the caller's own café" },
  },
  "guestImport.check": {
    permission: "guests.import",
    inputs: (b) => [
      {
        batchId: rowOf(b, "guest_import_batches"),
        preset: "generic",
        mapping: { phone: 0, balance: 1 },
        balanceMode: "add",
        tierMode: "carry",
        saveAs: "Sweep mapping",
      },
    ],
  },
  "guestImport.applyImport": {
    permission: "guests.import",
    inputs: (b) => [{ batchId: rowOf(b, "guest_import_batches") }],
  },
  "guestImport.undo": {
    permission: "guests.import",
    inputs: (b) => [{ batchId: rowOf(b, "guest_import_batches") }],
  },
  "guestImport.mappings": {
    permission: "guests.import",
    inputs: () => [undefined],
    answers: {
      why: "takes no id: the caller's own saved mappings (café A has none)",
      empty: (answer) => (answer as { mappings: unknown[] }).mappings.length === 0,
    },
  },
  "guestImport.deleteMapping": {
    permission: "guests.import",
    inputs: (b) => [{ mappingId: rowOf(b, "guest_import_mappings") }],
  },
  "integrations.keys": {
    permission: "pos_keys.manage",
    inputs: () => [undefined],
    answers: {
      why: "takes no id: the caller's own keys (café A has none)",
      empty: (answer) => (answer as { keys: unknown[] }).keys.length === 0,
    },
  },
  "integrations.createKey": {
    permission: "pos_keys.manage",
    // fillTenant's location slug: only B has a location of that slug.
    inputs: () => [{ locationSlug: "fill-location", name: "Sweep till" }],
  },
  "integrations.revokeKey": {
    permission: "pos_keys.manage",
    inputs: (b) => [{ keyId: rowOf(b, "pos_api_keys") }],
  },
  "integrations.requests": {
    permission: "pos_keys.manage",
    inputs: (b) => [{ keyId: rowOf(b, "pos_api_keys") }],
  },
  "integrations.hintRules": {
    permission: "hint_rules.manage",
    inputs: () => [undefined],
    answers: { why: "takes no id: the caller's own rules" },
  },
  "integrations.saveHintRule": {
    permission: "hint_rules.manage",
    // The skus of B's rule: an upsert in A must make A's own rule and leave B's alone.
    inputs: () => [{ ifSku: "FILL-LATTE", suggestSku: "FILL-CROISSANT", text: "Sweep hint" }],
    answers: { why: "takes no id: it saves a rule of the caller's café" },
  },
  "integrations.deleteHintRule": {
    permission: "hint_rules.manage",
    inputs: (b) => [{ ruleId: rowOf(b, "hint_rules") }],
  },
  "analytics.scope": {
    permission: "analytics.read",
    inputs: () => [undefined],
    answers: { why: "takes no id: the caller's own locations to pick from" },
  },
  ...dashboardSweep("analytics.today", { period: false }, (answer) => {
    const today = answer as { receipts: number; openOrders: number };
    return today.receipts === 0 && today.openOrders === 0;
  }),
  ...dashboardSweep("analytics.figures", { period: true }, (answer) => {
    const figures = answer as { current: { receipts: number; activeGuests: number }; previous: { receipts: number } };
    return figures.current.receipts + figures.previous.receipts + figures.current.activeGuests === 0;
  }),
  ...dashboardSweep("analytics.heatmap", { period: true }, (answer) => (answer as { max: number }).max === 0),
  ...dashboardSweep("analytics.cohorts", { period: true }, (answer) =>
    (answer as { guests: number }[]).every((cohort) => cohort.guests === 0),
  ),
  ...dashboardSweep("analytics.guestBase", { period: false }, (answer) => {
    const base = answer as { tiers: { guests: number }[]; segments: { guests: number }[]; pointsOutstanding: number };
    return [...base.tiers, ...base.segments].every((row) => row.guests === 0) && base.pointsOutstanding === 0;
  }),
  ...dashboardSweep("analytics.products", { period: true }, (answer) => {
    const products = answer as { products: unknown[]; pairs: unknown[] };
    return products.products.length === 0 && products.pairs.length === 0;
  }),
  ...dashboardSweep("analytics.survey", { period: false }, (answer) => (answer as unknown[]).length === 0),
  ...dashboardSweep("analytics.comments", { period: false }, (answer) => (answer as { total: number }).total === 0),
  "campaignResults.get": {
    permission: "analytics.read",
    inputs: (b) => [{ campaignId: rowOf(b, "campaigns") }, { campaignId: rowOf(b, "campaigns"), from: null, to: null }],
  },
  "roi.report": {
    permission: "analytics.read",
    inputs: () => [{ months: 3 }],
    answers: { why: "takes no id: the caller's own café's report (RLS-bound; B's receipts are never read)" },
  },
  "roi.updateAssumptions": {
    permission: "campaigns.manage",
    inputs: () => [{ cogsPercent: 40, pointCostMinor: null, subscriptionMinor: null, winbackPercent: 5 }],
    answers: { why: "takes no id: saves the caller's own café's assumptions (B's stay as they are)" },
  },
  "billing.status": {
    permission: "billing.manage",
    inputs: () => [undefined],
    answers: { why: "takes no id: the caller's own subscription" },
  },
  "billing.checkout": {
    permission: "billing.manage",
    inputs: () => [{ plan: "pro", interval: "month" }],
    answers: { why: "takes no id: a checkout of the caller's own café" },
  },
  "billing.confirmCheckout": {
    permission: "billing.manage",
    inputs: () => [{ sessionId: "cs_test_of_another_cafe" }],
    answers: {
      why: "a session the caller's customer did not complete changes nothing",
      empty: (answer) => (answer as { outcome: string }).outcome === "pending",
    },
  },
  "billing.portal": {
    permission: "billing.manage",
    inputs: () => [undefined],
    answers: { why: "takes no id: the portal of the caller's own customer" },
  },
  "locations.list": {
    permission: "locations.manage",
    inputs: () => [undefined],
    answers: { why: "takes no id: the caller's own locations" },
  },
  "locations.add": {
    permission: "locations.manage",
    // A fresh slug each time: A opens a location of its own (B's stay as they are).
    inputs: () => [{ slug: `sweep-${randomUUID().slice(0, 8)}`, name: "Sweep", address: "1 Sweep Street" }],
    answers: { why: "takes no id: opens a location of the caller's own café (B's stay as they are)" },
  },
  "locations.update": {
    permission: "locations.manage",
    inputs: (b) => [
      {
        locationId: b.locationIds[0],
        settings: {
          name: "Sweep",
          address: "1 Sweep Street",
          timezone: "Europe/Moscow",
          openingHours: {
            "1": [
              ["08:00", "13:00"],
              ["14:00", "20:00"],
            ],
            "2": [],
            "3": [],
            "4": [],
            "5": [],
            "6": [],
            "7": [],
          },
          openingExceptions: [{ date: "2030-01-01", hours: [] }],
          pickupEnabled: false,
          slotMinutes: 30,
          slotCapacityMinutes: 10,
        },
      },
    ],
  },
  "locations.archive": {
    permission: "locations.manage",
    inputs: (b) => [{ locationId: b.locationIds[0] }, { locationId: b.locationIds[2] }],
  },
  "guests.lookup": {
    permission: "guests.lookup",
    inputs: (b) => [{ identifier: b.guest.cardCode }, { identifier: b.guest.phone }],
    answers: {
      why: "a search: an unknown card or phone answers no guest (as any unknown identifier does)",
      empty: (answer) => Array.isArray(answer) && answer.length === 0,
    },
  },
  "orders.board": {
    permission: "orders.board",
    inputs: () => [undefined],
    answers: {
      why: "takes no id: the board of the caller's own locations (café A has no order; B's must not show)",
      empty: (answer) =>
        Object.values((answer as { columns: Record<string, unknown[]> }).columns).every(
          (column) => column.length === 0,
        ),
    },
  },
  "menu.stopList": {
    permission: "menu.stoplist",
    inputs: () => [undefined],
    answers: {
      why: "takes no id: the stop-list of the caller's own locations (café A has no product; B's must not show)",
      empty: (answer) =>
        (answer as { locations: { categories: unknown[] }[] }).locations.every(
          (location) => location.categories.length === 0,
        ),
    },
  },
  "menu.setSoldOut": {
    permission: "menu.stoplist",
    inputs: (b, a) => [
      { locationId: b.locationIds[2], productId: rowOf(b, "products"), soldOut: true },
      { locationId: b.locationIds[2], productId: rowOf(b, "products"), soldOut: false },
      // B's product at A's own location.
      { locationId: a.locationIds[0], productId: rowOf(b, "products"), soldOut: true },
    ],
  },
  "menu.setOptionSoldOut": {
    permission: "menu.stoplist",
    inputs: (b, a) => [
      { locationId: b.locationIds[2], optionId: rowOf(b, "modifier_options"), soldOut: true },
      // B's option at A's own location.
      { locationId: a.locationIds[0], optionId: rowOf(b, "modifier_options"), soldOut: true },
    ],
  },
  "menu.editor": {
    permission: "menu.manage",
    inputs: () => [undefined],
    answers: {
      why: "takes no id: the caller's own menu (café A has none; B's must not show)",
      empty: (answer) => {
        const view = answer as { categories: unknown[]; groups: unknown[] };
        return view.categories.length === 0 && view.groups.length === 0;
      },
    },
  },
  "menu.saveCategory": {
    permission: "menu.manage",
    inputs: (b) => [{ id: rowOf(b, "menu_categories"), name: "Sweep" }],
  },
  "menu.moveCategory": {
    permission: "menu.manage",
    inputs: (b) => [
      { id: rowOf(b, "menu_categories"), direction: "up" },
      { id: rowOf(b, "menu_categories"), direction: "down" },
    ],
  },
  "menu.setCategoryArchived": {
    permission: "menu.manage",
    inputs: (b) => [{ id: rowOf(b, "menu_categories"), archived: true }],
  },
  "menu.saveProduct": {
    permission: "menu.manage",
    inputs: (b) => [
      {
        id: rowOf(b, "products"),
        categoryId: rowOf(b, "menu_categories"),
        sku: "SWEEP",
        name: "Sweep",
        price: 1,
        prepMinutes: 1,
        vatRate: null,
      },
      // A new product of A's in B's category.
      {
        categoryId: rowOf(b, "menu_categories"),
        sku: "SWEEP-1",
        name: "Sweep",
        price: 1,
        prepMinutes: 1,
        vatRate: null,
      },
    ],
  },
  "menu.setProductArchived": {
    permission: "menu.manage",
    inputs: (b) => [{ id: rowOf(b, "products"), archived: true }],
  },
  "menu.deleteProduct": {
    permission: "menu.manage",
    inputs: (b) => [{ id: rowOf(b, "products") }],
  },
  "menu.setProductPhoto": {
    permission: "menu.manage",
    inputs: (b) => [
      { productId: rowOf(b, "products"), photoKey: "0".repeat(40) },
      { productId: rowOf(b, "products"), photoKey: null },
    ],
  },
  "menu.saveModifierGroup": {
    permission: "menu.manage",
    inputs: (b) => [
      {
        id: rowOf(b, "modifier_groups"),
        name: "Sweep",
        minSelect: 0,
        maxSelect: 1,
        maxPerOption: 1,
        options: [{ name: "Sweep", priceDelta: 0 }],
      },
      // A new group of A's naming B's option: refused, and A's half-made group rolls back.
      {
        name: "Sweep",
        minSelect: 0,
        maxSelect: 1,
        maxPerOption: 1,
        options: [{ id: rowOf(b, "modifier_options"), name: "Sweep", priceDelta: 0 }],
      },
    ],
  },
  "menu.setModifierGroupArchived": {
    permission: "menu.manage",
    inputs: (b) => [{ id: rowOf(b, "modifier_groups"), archived: true }],
  },
  "menu.setLocationPrice": {
    permission: "menu.manage",
    inputs: (b, a) => [
      { locationId: b.locationIds[2], productId: rowOf(b, "products"), variantSlug: "", price: 1 },
      { locationId: a.locationIds[0], productId: rowOf(b, "products"), variantSlug: "large", price: null },
    ],
  },
  "menu.importDryRun": {
    permission: "menu.manage",
    inputs: () => [sweepMenuFile],
    answers: { why: "takes a file, no id: matched against the caller's own menu only" },
  },
  "menu.importApply": {
    permission: "menu.manage",
    inputs: () => [sweepMenuFile],
    answers: { why: "takes a file, no id: imports into the caller's own menu (B's stays as it is)" },
  },
  "menu.imports": {
    permission: "menu.manage",
    inputs: () => [undefined],
    answers: { why: "takes no id: the caller's own imports" },
  },
  "menu.undoImport": {
    permission: "menu.manage",
    inputs: (b) => [{ batchId: rowOf(b, "menu_import_batches") }],
  },
  "menu.setAvailable": {
    permission: "menu.manage",
    inputs: (b, a) => [
      { locationId: b.locationIds[2], productId: rowOf(b, "products"), available: false },
      { locationId: a.locationIds[0], productId: rowOf(b, "products"), available: false },
    ],
  },
  "offers.list": {
    permission: "offers.manage",
    inputs: () => [undefined, { archived: true }],
    answers: {
      why: "takes no id: the caller's own offers (café A has none)",
      empty: (answer) => (answer as { offers: unknown[] }).offers.length === 0,
    },
  },
  "offers.choices": {
    permission: "offers.manage",
    inputs: () => [undefined],
    answers: { why: "takes no id: the caller's own menu and locations to pick from" },
  },
  "offers.detail": { permission: "offers.manage", inputs: (b) => [{ offerId: rowOf(b, "offers") }] },
  "offers.create": {
    permission: "offers.manage",
    inputs: (b) => [
      // A's new offer at B's location, on B's SKU: the location is not A's.
      { ...sweepOffer, locationIds: [b.locationIds[0]] },
    ],
  },
  "offers.update": {
    permission: "offers.manage",
    inputs: (b) => [{ offerId: rowOf(b, "offers"), fields: sweepOffer }],
  },
  "offers.setStatus": {
    permission: "offers.manage",
    inputs: (b) => [
      { offerId: rowOf(b, "offers"), status: "paused" },
      { offerId: rowOf(b, "offers"), status: "archived" },
    ],
  },
  "offers.give": {
    permission: "offers.manage",
    inputs: (b) => [
      { offerId: rowOf(b, "offers"), target: { kind: "segment", segment: "sleeping" } },
      // B's guest by card and by phone, to B's offer.
      { offerId: rowOf(b, "offers"), target: { kind: "guest", identifier: b.guest.cardCode } },
      { offerId: rowOf(b, "offers"), target: { kind: "guest", identifier: b.guest.phone } },
    ],
  },
  "campaigns.list": {
    permission: "campaigns.manage",
    inputs: () => [undefined, { finished: true }],
    answers: {
      why: "takes no id: the caller's own campaigns (café A has none)",
      empty: (answer) => (answer as { campaigns: unknown[] }).campaigns.length === 0,
    },
  },
  "campaigns.get": { permission: "campaigns.manage", inputs: (b) => [{ campaignId: rowOf(b, "campaigns") }] },
  "campaigns.create": {
    permission: "campaigns.manage",
    inputs: (b) => [
      // A's one-off to the guests of B's location, or of B's tier: neither is A's.
      { ...sweepCampaign, audience: { directoryFilter: { location: b.locationIds[0] } } },
      { ...sweepCampaign, audience: { directoryFilter: { tier: rowOf(b, "loyalty_tiers") } } },
    ],
  },
  "campaigns.update": {
    permission: "campaigns.manage",
    inputs: (b) => [{ campaignId: rowOf(b, "campaigns"), fields: { ...sweepCampaign, audience: { segment: "lost" } } }],
  },
  "campaigns.launch": { permission: "campaigns.manage", inputs: (b) => [{ campaignId: rowOf(b, "campaigns") }] },
  "campaigns.setStatus": {
    permission: "campaigns.manage",
    inputs: (b) => [
      { campaignId: rowOf(b, "campaigns"), action: "pause" },
      { campaignId: rowOf(b, "campaigns"), action: "resume" },
      { campaignId: rowOf(b, "campaigns"), action: "archive" },
    ],
  },
  "campaigns.preview": {
    permission: "campaigns.manage",
    inputs: (b) => [
      { campaignId: rowOf(b, "campaigns") },
      { campaignId: rowOf(b, "campaigns"), guestId: b.guest.id },
      { campaignId: rowOf(b, "campaigns"), identifier: b.guest.cardCode },
    ],
  },
  "campaigns.sendTest": { permission: "campaigns.manage", inputs: (b) => [{ campaignId: rowOf(b, "campaigns") }] },
  "campaigns.settings": {
    permission: "campaigns.manage",
    inputs: () => [undefined],
    answers: { why: "takes no id: the caller's own settings" },
  },
  "campaigns.updateSettings": {
    permission: "campaigns.manage",
    inputs: () => [
      { frequencyCapCount: 3, frequencyCapDays: 7, quietStart: "22:00", quietEnd: "08:00", globalControlEnabled: true },
    ],
    answers: { why: "takes no id: sets the caller's own café's settings (B's stay as they are)" },
  },
  "orders.advance": {
    permission: "orders.board",
    inputs: (b) => [
      { orderId: rowOf(b, "orders"), to: "accepted" },
      { orderId: rowOf(b, "orders"), to: "ready" },
      { orderId: rowOf(b, "orders"), to: "picked_up" },
      { orderId: rowOf(b, "orders"), to: "cancelled", reason: "Sweep" },
    ],
  },
  "loyalty.program": {
    permission: "loyalty.configure",
    inputs: () => [undefined],
    answers: { why: "takes no id: the caller's own café's loyalty rules" },
  },
  "loyalty.versions": {
    permission: "loyalty.configure",
    inputs: () => [undefined],
    answers: { why: "takes no id: the versions of the caller's own café's rules" },
  },
  "loyalty.preview": {
    permission: "loyalty.configure",
    inputs: (b) => [sweepRuleChange(rowOf(b, "loyalty_tiers"))],
  },
  "loyalty.publish": {
    permission: "loyalty.configure",
    inputs: (b) => [sweepRuleChange(rowOf(b, "loyalty_tiers"))],
  },
  "loyalty.confirmRules": {
    permission: "loyalty.configure",
    inputs: () => [undefined],
    answers: { why: "takes no id: confirms the caller's own café's rules (B's must stay as they are)" },
  },
  "setup.checklist": {
    permission: "storefront.open",
    inputs: () => [undefined],
    answers: { why: "takes no id: the caller's own café's first steps" },
  },
  "setup.openStorefront": {
    permission: "storefront.open",
    inputs: () => [undefined],
    answers: { why: "takes no id: opens the caller's own café (B's must stay as it is)" },
  },
};

/**
 * Procedures public by design (no staff session, no guest, no POS key): the storefront's menu and
 * slots, which anyone may read. The sweep calls each anonymously in café A with café B's ids: it
 * must answer NOT_FOUND, or an answer holding none of B's values, and change nothing of B.
 */
type PublicCase = { why: string; inputs: (b: TenantIds) => unknown[] };

const PUBLIC_BY_DESIGN: Record<string, PublicCase> = {
  "shop.menu": {
    why: "the storefront's menu is for anyone; another café's location falls back to the named café's own",
    inputs: (b) => [{ locationId: b.locationIds[2] }, {}],
  },
  "shop.slots": {
    why: "the storefront's pick-up slots are for anyone",
    inputs: (b) => [{ locationId: b.locationIds[2], prepMinutes: 5 }],
  },
};

/** A menu file in the template, naming nothing of B's: what the import procedures are swept with. */
const sweepMenuFile = {
  fileName: "sweep.csv",
  contentBase64: Buffer.from("category,sku,name,price\r\nSweep,SWEEP-CSV,Sweep,100\r\n").toString("base64"),
  defaultCategory: "Sweep",
};

/** The first id of a table's rows of the café (fillTenant writes one into every tenant table). */
/**
 * A dashboard query: first naming B's location (NOT_FOUND), then with none, when it answers with the
 * caller's own figures — café A has no sales, guests or survey, so the answer must be empty.
 */
function dashboardSweep(
  path: string,
  options: { period: boolean },
  empty: (answer: unknown) => boolean,
): Record<string, StaffCase> {
  const period = options.period ? { period: { kind: "month" } } : {};
  return {
    [path]: {
      permission: "analytics.read",
      inputs: (b) => [
        { ...period, locationId: b.locationIds[0] },
        { ...period, locationId: b.locationIds[2] },
        { ...period },
      ],
      answers: { why: "without a location: the caller's own figures (café A has none; B's must not count)", empty },
    },
  };
}

function rowOf(tenant: TenantIds, table: string): string {
  const id = tenant.rows[table]?.[0];
  if (!id) throw new Error(`café ${tenant.slug} has no row in ${table}`);
  return id;
}

type PosIds = {
  tenantId: string;
  guest: { id: string; cardCode: string; phone: string; qr: string };
  /** The phone of another guest of the café, for enrolment. */
  enrolPhone: string;
  /** A held redemption. */
  redemptionId: string;
  receiptExternalId: string;
  rows: Record<string, string[]>;
};

/**
 * How the sweep calls a POS procedure (through the REST view, with tenant B's key) with tenant
 * A's ids: each call's expected status, 404 unless `why` says otherwise.
 */
type PosCase = (a: PosIds) => { input: Record<string, unknown>; status: number; why?: string }[];

const POS_SWEEP: Record<string, PosCase> = {
  "pos.program": () => [{ input: {}, status: 200, why: "takes no id: the key's own café's rules" }],
  "pos.enrolGuest": (a) => [
    {
      input: { phone: a.enrolPhone, name: "Sweep", consent: true },
      status: 201,
      why: "a phone is per café: A's guest's phone enrols a new guest of B (422 guest_exists would tell B that the phone is A's guest)",
    },
  ],
  "pos.identify": (a) => [
    { input: { identifier: a.guest.cardCode }, status: 404 },
    { input: { identifier: a.guest.phone }, status: 404 },
    { input: { identifier: a.guest.qr }, status: 404 },
  ],
  "pos.holdPoints": (a) => [{ input: { guestId: a.guest.id, points: 10, checkTotal: 10_000 }, status: 404 }],
  "pos.voidHold": (a) => [{ input: { id: a.redemptionId }, status: 404 }],
  "pos.recordReceipt": (a) => [
    { input: receiptBody("SWEEP-B-1", 10_000, { guestId: a.guest.id }), status: 404 },
    { input: receiptBody("SWEEP-B-2", 10_000, { guest: { identifier: a.guest.cardCode } }), status: 404 },
    { input: receiptBody(a.receiptExternalId, 10_000, { redemptionId: a.redemptionId }), status: 404 },
    { input: receiptBody("SWEEP-B-3", 10_000, { offers: [{ id: a.rows.offers?.[0], discount: 0 }] }), status: 404 },
    { input: receiptBody("SWEEP-B-4", 10_000, { offers: [{ code: "FILL10", discount: 0 }] }), status: 404 },
  ],
  // FILL10: the promo code fillTenant gives café A (café B has none).
  "pos.lookupOffer": (a) => [
    { input: { code: "FILL10" }, status: 404 },
    { input: { code: "fill10", guestId: a.guest.id }, status: 404 },
  ],
  "pos.getReceipt": (a) => [{ input: { externalId: a.receiptExternalId }, status: 404 }],
  "pos.refundReceipt": (a) => [
    { input: { externalId: a.receiptExternalId, externalRefundId: "SWEEP-REFUND-B", amount: 1_000 }, status: 404 },
  ],
};

/**
 * Staff procedures: those asking a permission, and those the sweep knows as staff procedures
 * (one that lost its permission is still called, and must still behave as one).
 */
const STAFF_PROCEDURES = PROCEDURES.filter((procedure) => procedure.meta?.permission || STAFF_SWEEP[procedure.path]);
const PUBLIC_PROCEDURES = PROCEDURES.filter((procedure) => PUBLIC_BY_DESIGN[procedure.path]);
const POS_PROCEDURES = PROCEDURES.filter(
  (procedure) => (procedure.meta?.openapi && !procedure.meta.permission) || POS_SWEEP[procedure.path],
);

// ---------------------------------------------------------------------------------------------
// Reading the database: tenant tables, ids and fingerprints (as the superuser).

async function tenantTables(): Promise<{ name: string; hasId: boolean }[]> {
  const rows = await db.admin.execute<{ name: string; has_id: boolean }>(sql`
    select c.relname as name,
      exists (select 1 from pg_attribute i where i.attrelid = c.oid and i.attname = 'id' and not i.attisdropped) as has_id
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped and a.attnum > 0
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`);
  return rows.map((row) => ({ name: row.name, hasId: row.has_id }));
}

let TABLES: { name: string; hasId: boolean }[] = [];

async function rowIds(tenantId: string): Promise<Record<string, string[]>> {
  const parts = TABLES.filter((table) => table.hasId).map(
    (table) => sql`select ${table.name}::text as name, x.id::text as id
      from ${sql.identifier(table.name)} x where x.tenant_id = ${tenantId}`,
  );
  const rows = await db.admin.execute<{ name: string; id: string }>(sql.join(parts, sql` union all `));
  const byTable: Record<string, string[]> = {};
  for (const row of rows) byTable[row.name] = [...(byTable[row.name] ?? []), row.id];
  return byTable;
}

/**
 * A digest (count and md5 of every row) per tenant table of the café, and of its platform rows:
 * the tenant, its people, their sessions, recovery codes and security events, its outbox mail.
 */
async function fingerprint(tenant: { tenantId: string; slug: string; userIds: string[] }) {
  const digest = (from: ReturnType<typeof sql>) =>
    sql`count(*)::int || ':' || md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest from ${from}`;
  const users = tenant.userIds.length > 0 ? tenant.userIds : [randomUUID()];
  const parts = [
    ...TABLES.map(
      (table) =>
        sql`select ${table.name}::text as name, ${digest(sql`${sql.identifier(table.name)} x where x.tenant_id = ${tenant.tenantId}`)}`,
    ),
    sql`select 'tenants'::text, ${digest(sql`tenants x where x.id = ${tenant.tenantId}`)}`,
    sql`select 'users'::text, ${digest(sql`users x where x.id in ${users}`)}`,
    sql`select 'auth_sessions'::text, ${digest(sql`auth_sessions x where x.user_id in ${users}`)}`,
    sql`select 'user_recovery_codes'::text, ${digest(sql`user_recovery_codes x where x.user_id in ${users}`)}`,
    sql`select 'security_events'::text, ${digest(sql`security_events x where x.user_id in ${users}`)}`,
    sql`select 'email_outbox'::text, ${digest(sql`email_outbox x where x.context = ${tenant.slug}`)}`,
  ];
  const rows = await db.admin.execute<{ name: string; digest: string }>(sql.join(parts, sql` union all `));
  return Object.fromEntries(rows.map((row) => [row.name, row.digest]));
}

/** The tables whose rows differ between two fingerprints, with both digests. */
function changes(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after })
    .filter((name) => before[name] !== after[name])
    .map((name) => `${name}: ${before[name]} → ${after[name]}`);
}

/** The café's values no other café's answer may contain: its row ids, cards, phones, emails. */
function secretsOf(tenant: TenantIds | PosIds, extra: string[] = []): string[] {
  const values = [tenant.tenantId, ...Object.values(tenant.rows).flat(), tenant.guest.cardCode, tenant.guest.phone];
  if ("people" in tenant) {
    for (const person of Object.values(tenant.people)) values.push(person.userId, person.email);
  }
  // Short values (serial ids of log tables) would match any number in an answer.
  return [...new Set([...values, ...extra])].filter((value) => value.length >= 8);
}

function leaked(answer: unknown, secrets: string[]): string[] {
  const text = JSON.stringify(answer) ?? "";
  return secrets.filter((secret) => text.includes(secret));
}

// ---------------------------------------------------------------------------------------------
// Calling a staff procedure as someone.

type Outcome = { ok: true; answer: unknown } | { ok: false; code: string; message: string };

async function callStaff(
  path: string,
  input: unknown,
  as: { session: StaffSession | null; tenantSlug: string | null },
): Promise<Outcome> {
  const ctx: Context = {
    db: db.app,
    requestId: randomUUID(),
    ip: "203.0.113.7",
    headers: new Headers(),
    getStaffSession: async () => as.session,
    tenantSlug: as.tenantSlug,
    response: { headers: {} },
  };
  const procedure = path
    .split(".")
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], createCaller(ctx)) as (
    input: unknown,
  ) => Promise<unknown>;
  try {
    return { ok: true, answer: await procedure(input) };
  } catch (error) {
    if (error instanceof TRPCError) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: "THREW", message: String(error) };
  }
}

const show = (outcome: Outcome) =>
  outcome.ok ? `answered ${JSON.stringify(outcome.answer)?.slice(0, 200)}` : `${outcome.code} (${outcome.message})`;

function staffCase(path: string, problems: string[]): StaffCase | undefined {
  const found = STAFF_SWEEP[path];
  if (!found) problems.push(`add an input for ${path} to the sweep (STAFF_SWEEP in server/trpc/sweep.test.ts)`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// The cafés.

const twoLocations = (slug: string) => ({
  slug,
  name: `Café ${slug}`,
  currency: "RUB",
  timezone: "Europe/Moscow",
  locale: "ru" as const,
  locations: [
    { slug: "main", name: "Main", address: "1 Main Street" },
    { slug: "second", name: "Second", address: "2 Second Street" },
  ],
});

/** A café with an owner, a manager and a barista (sessions verified by 2FA); filled when asked. */
async function staffTenant(slug: string, options: { fill: boolean }): Promise<TenantIds> {
  const { tenant, locations } = await db.app.transaction((tx) => createTenant(tx, twoLocations(slug)));
  const filled = options.fill ? await withTenant(tenant.id, (tx) => fillTenant(tx, tenant.id), db.app) : null;
  const people = {} as Record<Role, Person>;
  for (const role of ROLES) {
    const email = `${role}@${slug}.sweep.example`;
    const [user] = await db.app
      .insert(users)
      // A confirmed email: opening the storefront needs one.
      .values({ email, name: `${role} of ${slug}`, emailVerified: new Date() })
      .returning({ id: users.id });
    if (!user) throw new Error("user insert returned nothing");
    const [membership] = await withTenant(
      tenant.id,
      (tx) => tx.insert(memberships).values({ tenantId: tenant.id, userId: user.id, role }).returning(),
      db.app,
    );
    if (!membership) throw new Error("membership insert returned nothing");
    const sid = await createStaffSession(db.app, { userId: user.id, mfa: "verified" });
    people[role] = {
      userId: user.id,
      membershipId: membership.id,
      email,
      session: { sid, userId: user.id, mfa: "verified" },
    };
  }
  const [guest] = filled ? await db.admin.select().from(guests).where(eq(guests.id, filled.guestId)) : [];
  return {
    tenantId: tenant.id,
    slug,
    locationIds: [...locations.map((location) => location.id), ...(filled ? [filled.locationId] : [])],
    people,
    guest: {
      id: guest?.id ?? randomUUID(),
      cardCode: guest?.cardCode ?? "NO-CARD",
      phone: guest?.phone ?? "+70000000000",
    },
    rows: await rowIds(tenant.id),
    userIds: [...Object.values(people).map((person) => person.userId), ...(filled ? [filled.userId] : [])],
  };
}

beforeAll(async () => {
  TABLES = await tenantTables();
});

// ---------------------------------------------------------------------------------------------

describe("the sweep covers the whole router", () => {
  it("finds the procedures in appRouter", () => {
    expect(STAFF_PROCEDURES.length).toBeGreaterThan(0);
    expect(POS_PROCEDURES.length).toBeGreaterThan(0);
  });

  it("has an input for every procedure, the expected permission for every staff procedure, and no stale entry", () => {
    const problems: string[] = [];
    for (const procedure of PROCEDURES) {
      const { path, meta } = procedure;
      if (meta?.permission) {
        const expected = staffCase(path, problems)?.permission;
        if (expected && meta.permission !== expected) {
          problems.push(`${path} asks the permission "${meta.permission}", the sweep expects "${expected}"`);
        }
        if (meta.openapi) problems.push(`${path} is a staff procedure with a REST view; the sweep does not cover that`);
      } else if (meta?.openapi) {
        if (!POS_SWEEP[path])
          problems.push(`add an input for ${path} to the sweep (POS_SWEEP in server/trpc/sweep.test.ts)`);
        if (!path.startsWith("pos.")) problems.push(`${path} has a REST view outside the pos router`);
      } else if (meta?.guest) {
        // A guest procedure: server/trpc/guest-sweep.test.ts has its inputs and checks it.
        if (STAFF_SWEEP[path] || POS_SWEEP[path] || PUBLIC_BY_DESIGN[path]) {
          problems.push(`${path} is a guest procedure (guest-sweep.test.ts): remove it from this sweep's maps`);
        }
      } else if (STAFF_SWEEP[path]) {
        problems.push(`${path} asks no permission; the sweep expects "${STAFF_SWEEP[path]?.permission}"`);
      } else if (POS_SWEEP[path]) {
        problems.push(`${path} has no REST view (meta.openapi); the sweep expects a POS procedure`);
      } else if (!PUBLIC_BY_DESIGN[path]) {
        problems.push(
          `${path} is public (no permission, no guest, no POS key): add an input for ${path} to the sweep, or to PUBLIC_BY_DESIGN with the reason`,
        );
      }
    }
    // A lazy router's procedures are not in _def.procedures until it is loaded.
    for (const path of Object.keys((appRouter._def as { lazy?: object }).lazy ?? {})) {
      problems.push(`${path} is a lazy router: the sweep cannot see its procedures`);
    }
    const paths = new Set(PROCEDURES.map((procedure) => procedure.path));
    const named = [STAFF_SWEEP, POS_SWEEP, PUBLIC_BY_DESIGN].flatMap((map) => Object.keys(map));
    for (const path of named) {
      if (!paths.has(path)) problems.push(`the sweep names ${path}, which the router no longer has: remove it`);
    }
    expect(problems).toEqual([]);
  });
});

describe("staff procedures: café A's people and café B's ids", () => {
  let a: TenantIds;
  let b: TenantIds;
  let secretsOfB: string[];
  let initialB: Record<string, string>;

  beforeAll(async () => {
    a = await staffTenant("sweep-a", { fill: false });
    b = await staffTenant("sweep-b", { fill: true });
    secretsOfB = secretsOf(b);
    initialB = await fingerprint(b);
  });

  it("the inputs are valid in shape (a refusal then proves tenancy, not validation)", () => {
    const problems: string[] = [];
    for (const { path, inputs } of STAFF_PROCEDURES) {
      for (const input of staffCase(path, problems)?.inputs(b, a) ?? []) {
        for (const parser of inputs) {
          const parsed = parser.safeParse(input);
          if (!parsed.success)
            problems.push(`${path}: input ${JSON.stringify(input)} is invalid: ${parsed.error.message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("A's owner gets NOT_FOUND or FORBIDDEN for B's ids, and no procedure changes B's rows", async () => {
    const problems: string[] = [];
    let calls = 0;
    for (const { path } of STAFF_PROCEDURES) {
      const sweep = staffCase(path, problems);
      if (!sweep) continue;
      const before = await fingerprint(b);
      for (const input of sweep.inputs(b, a)) {
        calls += 1;
        const outcome = await callStaff(path, input, { session: a.people.owner.session, tenantSlug: a.slug });
        const where = `${path}(${JSON.stringify(input)})`;
        if (outcome.ok) {
          if (!sweep.answers) problems.push(`${where} ${show(outcome)}; expected NOT_FOUND or FORBIDDEN`);
          else if (sweep.answers.empty && !sweep.answers.empty(outcome.answer)) {
            problems.push(`${where} ${show(outcome)}; expected an empty answer (${sweep.answers.why})`);
          }
          const leaks = leaked(outcome.answer, secretsOfB);
          if (leaks.length > 0) problems.push(`${where} answers B's values: ${leaks.join(", ")}`);
        } else if (outcome.code !== "NOT_FOUND" && outcome.code !== "FORBIDDEN") {
          problems.push(`${where} ${show(outcome)}; expected NOT_FOUND or FORBIDDEN`);
        }
      }
      for (const change of changes(before, await fingerprint(b))) problems.push(`${path} changed B's ${change}`);
    }
    expect(problems).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(STAFF_PROCEDURES.length);
  });

  it("in B's café A's owner is not a member: NOT_FOUND, as for a café that does not exist", async () => {
    const problems: string[] = [];
    const before = await fingerprint(b);
    for (const { path } of STAFF_PROCEDURES) {
      for (const input of staffCase(path, problems)?.inputs(b, a) ?? []) {
        for (const tenantSlug of [b.slug, "sweep-no-such-cafe"]) {
          const outcome = await callStaff(path, input, { session: a.people.owner.session, tenantSlug });
          if (outcome.ok || outcome.code !== "NOT_FOUND") {
            problems.push(`${path} in ${tenantSlug} as A's owner ${show(outcome)}; expected NOT_FOUND`);
          }
        }
      }
    }
    for (const change of changes(before, await fingerprint(b))) problems.push(`changed B's ${change}`);
    expect(problems).toEqual([]);
  });

  it("each role of A: a role the permission table denies gets FORBIDDEN, an allowed one never does", async () => {
    const problems: string[] = [];
    const before = await fingerprint(b);
    for (const { path } of STAFF_PROCEDURES) {
      const sweep = staffCase(path, problems);
      if (!sweep) continue;
      const [input] = sweep.inputs(b, a);
      for (const role of ROLES) {
        const outcome = await callStaff(path, input, { session: a.people[role].session, tenantSlug: a.slug });
        const where = `${path} as A's ${role}`;
        if (!can(role, sweep.permission)) {
          if (outcome.ok || outcome.code !== "FORBIDDEN") {
            problems.push(`${where} ${show(outcome)}; "${sweep.permission}" is denied to ${role}: expected FORBIDDEN`);
          }
        } else if (outcome.ok) {
          if (!sweep.answers) problems.push(`${where} ${show(outcome)}; expected NOT_FOUND for B's ids`);
          const leaks = leaked(outcome.answer, secretsOfB);
          if (leaks.length > 0) problems.push(`${where} answers B's values: ${leaks.join(", ")}`);
        } else if (outcome.code !== "NOT_FOUND") {
          problems.push(`${where} ${show(outcome)}; "${sweep.permission}" is allowed to ${role}: expected NOT_FOUND`);
        }
      }
    }
    for (const change of changes(before, await fingerprint(b))) problems.push(`changed B's ${change}`);
    expect(problems).toEqual([]);
  });

  it("signed out: UNAUTHORIZED for every staff procedure", async () => {
    const problems: string[] = [];
    const before = await fingerprint(b);
    for (const { path } of STAFF_PROCEDURES) {
      const [input] = staffCase(path, problems)?.inputs(b, a) ?? [];
      for (const tenantSlug of [a.slug, b.slug, null]) {
        const outcome = await callStaff(path, input, { session: null, tenantSlug });
        if (outcome.ok || outcome.code !== "UNAUTHORIZED") {
          problems.push(`${path} signed out (tenant ${tenantSlug}) ${show(outcome)}; expected UNAUTHORIZED`);
        }
      }
    }
    for (const change of changes(before, await fingerprint(b))) problems.push(`changed B's ${change}`);
    expect(problems).toEqual([]);
  });

  it("without a verified second factor an owner or a manager gets FORBIDDEN", async () => {
    const problems: string[] = [];
    const before = await fingerprint(b);
    const unverified: [Role, MfaState][] = [
      ["owner", "enrolment"],
      ["owner", "none"],
      ["manager", "enrolment"],
      ["manager", "none"],
    ];
    for (const { path } of STAFF_PROCEDURES) {
      const [input] = staffCase(path, problems)?.inputs(b, a) ?? [];
      for (const [role, mfa] of unverified) {
        const session = { ...a.people[role].session, mfa };
        const outcome = await callStaff(path, input, { session, tenantSlug: a.slug });
        if (outcome.ok || outcome.code !== "FORBIDDEN") {
          problems.push(`${path} as A's ${role} with mfa "${mfa}" ${show(outcome)}; expected FORBIDDEN`);
        }
      }
    }
    for (const change of changes(before, await fingerprint(b))) problems.push(`changed B's ${change}`);
    expect(problems).toEqual([]);
  });

  it("after all of it, none of B's rows changed", async () => {
    expect(changes(initialB, await fingerprint(b))).toEqual([]);
  });

  it("a café whose subscription lapsed is read-only: every write refused, except paying, exporting, revoking access and handing over orders; reads work", async () => {
    await db.admin
      .update(subscriptions)
      .set({ status: "canceled", trialEndsAt: null })
      .where(eq(subscriptions.tenantId, a.tenantId));
    const problems: string[] = [];
    const paying: string[] = [];
    try {
      const before = await fingerprint(a);
      for (const { path, type, meta } of STAFF_PROCEDURES) {
        const [input] = staffCase(path, problems)?.inputs(b, a) ?? [];
        const outcome = await callStaff(path, input, { session: a.people.owner.session, tenantSlug: a.slug });
        const where = `${path} (${type})`;
        if (type === "mutation" && !meta?.whenReadOnly) {
          if (outcome.ok || outcome.code !== "PAYMENT_REQUIRED") {
            problems.push(`${where} ${show(outcome)}; expected PAYMENT_REQUIRED while read-only`);
          }
        } else {
          if (type === "mutation") paying.push(path);
          if (!outcome.ok && outcome.code === "PAYMENT_REQUIRED") problems.push(`${where} refused while read-only`);
        }
      }
      // Paying may write (the Stripe customer, the audit of a checkout); nothing else changed (the
      // exceptions were called with B's ids, which A does not have).
      // Exporting the café writes its job row and archive (and the audit entry).
      const changed = changes(before, await fingerprint(a)).filter(
        (change) =>
          !change.startsWith("subscriptions:") &&
          !change.startsWith("audit_log:") &&
          !change.startsWith("data_exports:") &&
          !change.startsWith("data_export_chunks:"),
      );
      expect(changed).toEqual([]);
    } finally {
      await db.admin
        .update(subscriptions)
        .set({ status: "trialing", trialEndsAt: new Date(Date.now() + 86_400_000) })
        .where(eq(subscriptions.tenantId, a.tenantId));
    }
    expect(problems).toEqual([]);
    expect(paying.sort()).toEqual([
      "billing.checkout",
      "billing.confirmCheckout",
      "billing.portal",
      "dataExport.start",
      "guests.exportCsv",
      "integrations.revokeKey",
      "orders.advance",
      "staff.removeMember",
    ]);
  });
});

describe("public procedures: anyone in café A with café B's ids", () => {
  let a: TenantIds;
  let b: TenantIds;
  let secretsOfB: string[];

  beforeAll(async () => {
    a = await staffTenant("sweep-public-a", { fill: false });
    b = await staffTenant("sweep-public-b", { fill: true });
    secretsOfB = secretsOf(b);
  });

  it("the inputs are valid in shape", () => {
    const problems: string[] = [];
    for (const { path, inputs } of PUBLIC_PROCEDURES) {
      for (const input of PUBLIC_BY_DESIGN[path]?.inputs(b) ?? []) {
        for (const parser of inputs) {
          const parsed = parser.safeParse(input);
          if (!parsed.success)
            problems.push(`${path}: input ${JSON.stringify(input)} is invalid: ${parsed.error.message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("NOT_FOUND, or an answer with nothing of B; no café: NOT_FOUND; and nothing of B changes", async () => {
    const problems: string[] = [];
    const before = await fingerprint(b);
    for (const { path } of PUBLIC_PROCEDURES) {
      for (const input of PUBLIC_BY_DESIGN[path]?.inputs(b) ?? []) {
        for (const tenantSlug of [a.slug, "sweep-no-such-cafe"]) {
          const outcome = await callStaff(path, input, { session: null, tenantSlug });
          const where = `${path}(${JSON.stringify(input)}) in ${tenantSlug}`;
          if (outcome.ok) {
            if (tenantSlug !== a.slug) problems.push(`${where} ${show(outcome)}; expected NOT_FOUND`);
            const leaks = leaked(outcome.answer, secretsOfB);
            if (leaks.length > 0) problems.push(`${where} answers B's values: ${leaks.join(", ")}`);
          } else if (outcome.code !== "NOT_FOUND") {
            problems.push(`${where} ${show(outcome)}; expected NOT_FOUND or an answer without B's values`);
          }
        }
      }
    }
    for (const change of changes(before, await fingerprint(b))) problems.push(`changed B's ${change}`);
    expect(problems).toEqual([]);
  });
});

describe("POS procedures: café B's key and café A's ids", () => {
  let a: PosIds;
  let secretsOfA: string[];
  let tenantA: { tenantId: string; slug: string; userIds: string[] };
  let withKeyOfB: ReturnType<typeof posClient>;

  /** Calls a POS procedure through the REST view its OpenAPI meta describes. */
  function rest(client: ReturnType<typeof posClient>, procedure: Procedure, input: Record<string, unknown>) {
    const openapi = procedure.meta?.openapi;
    if (!openapi) throw new Error(`${procedure.path} has no REST view`);
    const body = { ...input };
    const url = openapi.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = body[name];
      delete body[name];
      return encodeURIComponent(String(value));
    });
    return openapi.method === "GET" || openapi.method === "DELETE"
      ? client(openapi.method, url)
      : client(openapi.method, url, body);
  }

  beforeAll(async () => {
    const cafeA = await createPosTenant(db.app, "sweep-pos-a");
    const cafeB = await createPosTenant(db.app, "sweep-pos-b");
    await withTenant(cafeA.tenantId, (tx) => fillTenant(tx, cafeA.tenantId), db.app);
    withKeyOfB = posClient(db.app, cafeB.key);
    const withKeyOfA = posClient(db.app, cafeA.key);
    type Guest = { guest: { id: string; cardCode: string } };
    const guest = await withKeyOfA<Guest>("POST", "/guests", { phone: "+79161230001", name: "A", consent: true });
    const other = await withKeyOfA<Guest>("POST", "/guests", { phone: "+79161230002", name: "A2", consent: true });
    expect([guest.status, other.status]).toEqual([201, 201]);
    const hold = await withKeyOfA<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId: guest.body.guest.id,
      points: 20,
      checkTotal: 20_000,
    });
    expect(hold.status).toBe(201);
    const receipt = await withKeyOfA(
      "POST",
      "/receipts",
      receiptBody("SWEEP-A-1", 30_000, { guestId: guest.body.guest.id }),
    );
    expect(receipt.status).toBe(201);
    const refund = await withKeyOfA("POST", "/receipts/SWEEP-A-1/refunds", {
      externalRefundId: "SWEEP-A-R1",
      amount: 5_000,
    });
    expect(refund.status).toBe(201);
    const [stored] = await db.admin.select().from(guests).where(eq(guests.id, guest.body.guest.id));
    a = {
      tenantId: cafeA.tenantId,
      guest: {
        id: guest.body.guest.id,
        cardCode: guest.body.guest.cardCode,
        phone: "+79161230001",
        qr: qrPayload(guest.body.guest.id, stored?.qrSecret ?? ""),
      },
      enrolPhone: "+79161230002",
      redemptionId: hold.body.redemption.id,
      receiptExternalId: "SWEEP-A-1",
      rows: {},
    };
    a.rows = await rowIds(cafeA.tenantId);
    secretsOfA = secretsOf(a, [a.enrolPhone, other.body.guest.id, other.body.guest.cardCode]);
    // A's own requests are logged in batches: write them now, so that they do not land mid-sweep.
    await flushPosRequests();
    const userIds = await db.admin.execute<{ user_id: string }>(
      sql`select user_id from memberships where tenant_id = ${cafeA.tenantId}`,
    );
    tenantA = { tenantId: cafeA.tenantId, slug: "sweep-pos-a", userIds: userIds.map((row) => row.user_id) };
  });

  afterAll(async () => {
    await flushPosRequests();
  });

  it("without a key every POS procedure answers 401", async () => {
    const problems: string[] = [];
    const noKey = posClient(db.app, null);
    for (const procedure of POS_PROCEDURES) {
      const [call] = POS_SWEEP[procedure.path]?.(a) ?? [{ input: {} }];
      const reply = await rest(noKey, procedure, call?.input ?? {});
      if (reply.status !== 401) problems.push(`${procedure.path} without a key answered ${reply.status}; expected 401`);
    }
    expect(problems).toEqual([]);
  });

  it("B's key gets 404 for A's guests, cards, QR codes, holds and receipts, and nothing of A changes", async () => {
    const problems: string[] = [];
    const initial = await fingerprint(tenantA);
    let calls = 0;
    for (const procedure of POS_PROCEDURES) {
      const sweep = POS_SWEEP[procedure.path];
      if (!sweep) {
        problems.push(`add an input for ${procedure.path} to the sweep (POS_SWEEP in server/trpc/sweep.test.ts)`);
        continue;
      }
      const before = await fingerprint(tenantA);
      for (const { input, status, why } of sweep(a)) {
        calls += 1;
        const reply = await rest(withKeyOfB, procedure, input);
        const where = `${procedure.path}(${JSON.stringify(input).slice(0, 160)})`;
        if (reply.status !== status) {
          problems.push(
            `${where} answered ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}; expected ${status}${why ? ` (${why})` : ""}`,
          );
        }
        const leaks = leaked(reply.body, secretsOfA);
        if (leaks.length > 0) problems.push(`${where} answers A's values: ${leaks.join(", ")}`);
      }
      for (const change of changes(before, await fingerprint(tenantA)))
        problems.push(`${procedure.path} changed A's ${change}`);
    }
    await flushPosRequests();
    for (const change of changes(initial, await fingerprint(tenantA))) problems.push(`the sweep changed A's ${change}`);
    expect(problems).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(POS_PROCEDURES.length);
  });
});
