import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { testDatabase } from "@/db/testing/database";
import { type FilledTenant, fillTenant } from "@/db/testing/fill-tenant";
import type { StaffSession } from "@/server/auth/sessions";
import { enrolOnline } from "@/server/cabinet/enrol";
import { applyEnv } from "@/server/env";
import { loadProgram } from "@/server/loyalty/program";
import { flushPosRequests } from "@/server/pos/request-log";
import { createPosTenant, posClient, receiptBody } from "@/server/pos/testing";
import { createTenant } from "@/server/tenants/create";
import type { Context, Meta } from "./init";
import { appRouter, createCaller } from "./root";

/**
 * The guests' cross-tenant sweep: every guest procedure (meta.guest, read from `appRouter`) is
 * called signed out, at a café where the caller is not a guest, and with another café's ids —
 * and must refuse without changing anything. A guest procedure without an input here fails.
 */
const db = await testDatabase();
// Some guest paths reach the app's global pool (`appDb()`): point it at this file's database.
applyEnv({ APP_DATABASE_URL: db.appUrl });
afterAll(async () => {
  await (globalThis as { zernoDb?: { client: { end: () => Promise<void> } } }).zernoDb?.client.end();
});

type ProcedureDef = { _def: { meta?: Meta } };
const GUEST_PROCEDURES = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureDef>)
  .filter(([, procedure]) => procedure._def.meta?.guest)
  .map(([path, procedure]) => ({ path, kind: procedure._def.meta?.guest }));

/** Café B's rows a guest of café A might try to reach. */
type CafeB = FilledTenant & {
  slug: string;
  tenantId: string;
  ids: Record<string, string[]>;
  phone: string;
  cardCode: string;
  email: string;
  /** A product of B's menu. */
  sku: string;
  /** The fiscal QR string printed on B's receipt. */
  fiscalQr: string;
};

/**
 * How the sweep calls a guest procedure as café A's guest at café A, naming café B's rows. It
 * must answer NOT_FOUND (or FORBIDDEN), unless `answers` says why it may answer: then the answer
 * must hold none of B's values.
 */
type GuestCase = {
  input: (b: CafeB) => unknown;
  answers?: string;
  /** Called as a fresh guest of A made for it (deleting the account must not end the sweep's guest). */
  disposable?: true;
};

const OWN = "about the caller only: takes no id";

const GUEST_SWEEP: Record<string, GuestCase> = {
  "guest.account": { input: () => undefined, answers: "about the caller only" },
  "guest.signOutEverywhere": {
    input: () => undefined,
    answers: "ends the caller's own sessions",
    disposable: true,
  },
  "guest.enrol": {
    input: (b) => ({ name: "Sweep", phone: b.phone, consent: true, marketingOptIn: false, cardCode: b.cardCode }),
    answers: "the caller is already A's guest: A's own guest is returned",
  },
  "cabinet.summary": { input: () => undefined, answers: OWN },
  "cabinet.qr": { input: () => undefined, answers: OWN },
  "cabinet.offers": {
    input: () => ({ locale: "ru" }),
    answers: "the caller's own offers (B's grants are B's guests')",
  },
  "cabinet.history": { input: () => ({ limit: 20 }), answers: OWN },
  "cabinet.profile": { input: () => undefined, answers: OWN },
  "cabinet.survey": { input: () => undefined, answers: "A's pending survey, if any (A has none)" },
  "cabinet.exportData": { input: () => undefined, answers: OWN },
  "cabinet.updateProfile": { input: () => ({ name: "Sweep" }), answers: "changes the caller's own name" },
  "cabinet.deleteAccount": {
    input: () => ({ confirm: true }),
    answers: "deletes the caller's own account",
    disposable: true,
  },
  // B's paper receipt, by its fiscal data: must stay B's.
  "cabinet.claim": { input: (b) => ({ qr: b.fiscalQr }) },
  "shop.orders": { input: () => undefined, answers: "the caller's own orders" },
  "shop.quote": {
    input: (b) => ({
      locationId: b.ids.locations?.[0],
      items: [{ productSku: b.sku, quantity: 1 }],
      offers: [{ offerId: b.ids.offers?.[0] }],
    }),
  },
  "shop.place": {
    input: (b) => ({
      locationId: b.ids.locations?.[0],
      items: [{ productSku: b.sku, quantity: 1 }],
      pickup: "asap",
      pointsToUse: 0,
      idempotencyKey: "guest-sweep-order-1",
      offers: [{ offerId: b.ids.offers?.[0] }],
    }),
  },
  "shop.order": { input: (b) => ({ orderId: b.ids.orders?.[0] }) },
  "shop.reorder": { input: (b) => ({ orderId: b.ids.orders?.[0], locationId: b.ids.locations?.[0] }) },
  "shop.cancel": { input: (b) => ({ orderId: b.ids.orders?.[0], reason: "sweep" }) },
  "shop.subscribePush": {
    input: () => ({
      endpoint: "https://push.example/guest-sweep",
      keys: { p256dh: "p".repeat(40), auth: "a".repeat(16) },
    }),
    answers: "keeps a push subscription for the caller at A (takes no id of B's)",
  },
  "shop.unsubscribePush": {
    input: () => ({ endpoint: "https://push.example/guest-sweep" }),
    answers: "forgets the caller's own subscription at A",
  },
  "cabinet.answerSurvey": {
    input: (b) => ({ surveyId: b.ids.surveys?.[0], answers: { [b.ids.survey_questions?.[0] ?? ""]: 5 } }),
  },
};

const A_SLUG = "guest-sweep-a";
const B_SLUG = "guest-sweep-b";
const A_EMAIL = "anna@guest-sweep-a.example";
let b: CafeB;
let secretsOfB: string[];

const cafe = (slug: string) => ({
  slug,
  name: `Café ${slug}`,
  currency: "RUB",
  timezone: "Europe/Moscow",
  locale: "ru" as const,
  locations: [{ slug: "main", name: "Main", address: "1 Main Street" }],
});

async function rowIds(tenantId: string): Promise<Record<string, string[]>> {
  const tables = await db.admin.execute<{ name: string }>(sql`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'
      and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id')
      and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'id')`);
  const ids: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await db.admin.execute<{ id: string }>(
      sql`select id::text as id from ${sql.identifier(name)} where tenant_id = ${tenantId}`,
    );
    ids[name] = rows.map((row) => row.id);
  }
  return ids;
}

/** A digest of every row of every tenant table of the café, and of the mail sent for it. */
async function fingerprint(tenantId: string, slug: string): Promise<string> {
  const tables = await db.admin.execute<{ name: string }>(sql`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'
      and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id')
    order by 1`);
  const parts = tables.map(
    ({ name }) =>
      sql`select ${name}::text as name, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest
        from ${sql.identifier(name)} x where x.tenant_id = ${tenantId}`,
  );
  parts.push(sql`select 'email_outbox', md5(coalesce(string_agg(x::text, '|' order by x::text), ''))
    from email_outbox x where x.context = ${slug}`);
  const rows = await db.admin.execute<{ name: string; digest: string }>(sql.join(parts, sql` union all `));
  return rows.map((row) => `${row.name}:${row.digest}`).join("\n");
}

type Outcome = { ok: true; answer: unknown } | { ok: false; code: string; message: string };

async function callAsGuest(
  path: string,
  input: unknown,
  as: { email: string | null; slug: string | null; staff?: StaffSession },
) {
  const ctx: Context = {
    db: db.app,
    requestId: randomUUID(),
    ip: "203.0.113.8",
    headers: new Headers(),
    getStaffSession: async () => as.staff ?? null,
    getGuestAccount: async () => (as.email ? { accountId: randomUUID(), email: as.email } : null),
    tenantSlug: as.slug,
    response: { headers: {} },
  };
  const procedure = path
    .split(".")
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], createCaller(ctx)) as (
    input: unknown,
  ) => Promise<unknown>;
  try {
    return { ok: true, answer: await procedure(input) } as Outcome;
  } catch (error) {
    if (error instanceof TRPCError) return { ok: false, code: error.code, message: error.message } as Outcome;
    return { ok: false, code: "THREW", message: String(error) } as Outcome;
  }
}

const show = (outcome: Outcome) =>
  outcome.ok ? `answered ${JSON.stringify(outcome.answer)?.slice(0, 200)}` : `${outcome.code} (${outcome.message})`;

let tenantAId = "";
let disposables = 0;

/** A new guest of café A, for a procedure that ends its caller's account. */
async function disposableGuestOfA(): Promise<string> {
  disposables += 1;
  const email = `disposable-${disposables}@guest-sweep-a.example`;
  await withTenant(
    tenantAId,
    async (tx) =>
      enrolOnline(db.app, tx, await loadProgram(tx), {
        tenantId: tenantAId,
        email,
        name: "Disposable",
        phone: `+7916222${String(disposables).padStart(4, "0")}`,
        consent: true,
        marketingOptIn: false,
      }),
    db.app,
  );
  return email;
}

beforeAll(async () => {
  const { tenant: tenantA } = await db.app.transaction((tx) => createTenant(tx, cafe(A_SLUG)));
  const posB = await createPosTenant(db.app, B_SLUG);
  const tenantB = { id: posB.tenantId };
  // An anonymous check with fiscal data: the paper receipt a guest of A might try to claim.
  const paper = await posClient(db.app, posB.key)(
    "POST",
    "/receipts",
    receiptBody("B-PAPER-1", 25_000, { fiscal: { fn: "7380440700000001", fd: "51234", fp: "1234567890" } }),
  );
  expect(paper.status).toBe(201);
  await flushPosRequests();
  tenantAId = tenantA.id;
  await withTenant(
    tenantA.id,
    async (tx) =>
      enrolOnline(db.app, tx, await loadProgram(tx), {
        tenantId: tenantA.id,
        email: A_EMAIL,
        name: "Anna",
        phone: "+79161110001",
        consent: true,
        marketingOptIn: false,
      }),
    db.app,
  );
  const filled = await withTenant(tenantB.id, (tx) => fillTenant(tx, tenantB.id), db.app);
  b = {
    ...filled,
    slug: B_SLUG,
    tenantId: tenantB.id,
    ids: await rowIds(tenantB.id),
    phone: "+79990000001",
    cardCode: "FILL-0001",
    email: "guest@fill.example",
    fiscalQr: "",
    sku: "",
  };
  const [product] = await db.admin.execute<{ sku: string }>(
    sql`select sku from products where tenant_id = ${tenantB.id} limit 1`,
  );
  b.sku = product?.sku ?? "";
  if (!b.sku || !b.ids.orders?.[0] || !b.ids.locations?.[0])
    throw new Error("café B lacks a product, order or location");
  const [receipt] = await db.admin.execute<{ fn: string; fd: string; fp: string; total: number; at: Date }>(sql`
    select fiscal_fn as fn, fiscal_fd as fd, fiscal_fp as fp, total, occurred_at as at
    from receipts where tenant_id = ${tenantB.id} and fiscal_fn is not null limit 1`);
  if (!receipt) throw new Error("fillTenant wrote no fiscal receipt");
  const stamp = new Date(receipt.at).toISOString().replace(/[-:]/g, "").slice(0, 13);
  b.fiscalQr = `t=${stamp}&s=${(receipt.total / 100).toFixed(2)}&fn=${receipt.fn}&i=${receipt.fd}&fp=${receipt.fp}&n=1`;
  secretsOfB = [tenantB.id, b.phone, b.cardCode, b.email, ...Object.values(b.ids).flat()];
});

describe("guest procedures", () => {
  it("has an input for every guest procedure and no stale entry", () => {
    const problems: string[] = [];
    for (const { path } of GUEST_PROCEDURES) {
      if (!GUEST_SWEEP[path])
        problems.push(`add an input for ${path} to GUEST_SWEEP in server/trpc/guest-sweep.test.ts`);
    }
    const paths = new Set(GUEST_PROCEDURES.map((procedure) => procedure.path));
    for (const path of Object.keys(GUEST_SWEEP)) {
      if (!paths.has(path)) problems.push(`GUEST_SWEEP names ${path}, which is not a guest procedure: remove it`);
    }
    expect(problems).toEqual([]);
    expect(GUEST_PROCEDURES.length).toBeGreaterThan(1);
  });

  it("signed out: UNAUTHORIZED for every guest procedure, at any café", async () => {
    const problems: string[] = [];
    const before = await fingerprint(b.tenantId, b.slug);
    for (const { path } of GUEST_PROCEDURES) {
      const input = GUEST_SWEEP[path]?.input(b);
      for (const slug of [A_SLUG, B_SLUG, null]) {
        const outcome = await callAsGuest(path, input, { email: null, slug });
        if (outcome.ok || outcome.code !== "UNAUTHORIZED") {
          problems.push(`${path} signed out at ${slug} ${show(outcome)}; expected UNAUTHORIZED`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(await fingerprint(b.tenantId, b.slug)).toBe(before);
  });

  it("a staff session is no guest: UNAUTHORIZED for every guest procedure", async () => {
    const problems: string[] = [];
    for (const { path } of GUEST_PROCEDURES) {
      const outcome = await callAsGuest(path, GUEST_SWEEP[path]?.input(b), {
        email: null,
        slug: A_SLUG,
        staff: { sid: randomUUID(), userId: randomUUID(), mfa: "verified" },
      });
      if (outcome.ok || outcome.code !== "UNAUTHORIZED") {
        problems.push(`${path} with only a staff session ${show(outcome)}; expected UNAUTHORIZED`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("B's guest at café A, where they are nobody: FORBIDDEN for every enrolled-guest procedure", async () => {
    const problems: string[] = [];
    const before = await fingerprint(b.tenantId, b.slug);
    for (const { path, kind } of GUEST_PROCEDURES) {
      if (kind !== "enrolled") continue;
      const outcome = await callAsGuest(path, GUEST_SWEEP[path]?.input(b), { email: b.email, slug: A_SLUG });
      if (outcome.ok || outcome.code !== "FORBIDDEN") {
        problems.push(`${path} as a non-guest of A ${show(outcome)}; expected FORBIDDEN`);
      }
    }
    expect(problems).toEqual([]);
    expect(await fingerprint(b.tenantId, b.slug)).toBe(before);
  });

  it("A's guest at café A with B's ids: refused or answered without B's values, and B unchanged", async () => {
    const problems: string[] = [];
    const before = await fingerprint(b.tenantId, b.slug);
    for (const { path } of GUEST_PROCEDURES) {
      const sweep = GUEST_SWEEP[path];
      if (!sweep) continue;
      const email = sweep.disposable ? await disposableGuestOfA() : A_EMAIL;
      const outcome = await callAsGuest(path, sweep.input(b), { email, slug: A_SLUG });
      if (sweep.answers && !outcome.ok) {
        // It answers about the caller: a refusal would mean the sweep's guest was not signed in.
        problems.push(`${path} ${show(outcome)}; expected an answer (${sweep.answers})`);
      }
      if (outcome.ok) {
        if (!sweep.answers) problems.push(`${path} ${show(outcome)}; expected NOT_FOUND for B's ids`);
        const text = JSON.stringify(outcome.answer) ?? "";
        const leaks = secretsOfB.filter((secret) => secret.length >= 8 && text.includes(secret));
        if (leaks.length > 0) problems.push(`${path} answers B's values: ${leaks.join(", ")}`);
      } else if (!["NOT_FOUND", "FORBIDDEN", "UNPROCESSABLE_CONTENT"].includes(outcome.code)) {
        // BAD_REQUEST would mean the sweep's input is malformed, and so proves nothing.
        problems.push(`${path} ${show(outcome)}; expected NOT_FOUND`);
      }
    }
    expect(problems).toEqual([]);
    expect(await fingerprint(b.tenantId, b.slug)).toBe(before);
  });
});
