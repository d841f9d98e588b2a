// Building blocks shared by the POS simulator, the POS benchmark and the POS tests: a seeded PRNG, a timed
// HTTP client for /api/pos/v1, open- and closed-loop drivers, latency statistics, POS keys, and a tenant's
// regulars and menu read from the database. Not a script; imported by server/ops/pos-simulate.ts and others.
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import { type Database, withTenant } from "@/db/client";
import { guests, menuCategories, products, tenants } from "@/db/schema";
import { createPosKey } from "../pos/keys";
import { POS_BASE_PATH } from "../pos/rest";

// ---------------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------------

export type Random = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** `count` decimal digits as text (leading zeros kept). */
  digits(count: number): string;
};

/** mulberry32: a tiny seeded PRNG, so a run can be replayed from its seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(0, items.length - 1)] as (typeof items)[number];
    },
    chance: (probability) => next() < probability,
    digits: (count) => Array.from({ length: count }, () => String(int(0, 9))).join(""),
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

export type PosCall = { method: "GET" | "POST" | "DELETE"; path: string; body?: unknown };
export type PosAnswer<T = unknown> = { status: number; body: T; latencyMs: number };

/** The status recorded when no HTTP answer came (connection refused or reset, aborted). */
export const NO_ANSWER = 0;

/**
 * A client of one server and key. node:http with keep-alive rather than fetch: cheaper per request, so
 * on a small machine the load generator takes less CPU from the server it measures.
 */
export function posHttp(baseUrl: string, key: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const base = new URL(POS_BASE_PATH, baseUrl);
  return async function send<T = unknown>(call: PosCall, signal?: AbortSignal): Promise<PosAnswer<T>> {
    const started = performance.now();
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    if (payload !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    try {
      const { status, text } = await request(
        `${base.href}${call.path}`,
        { method: call.method, headers, agent, signal },
        payload,
      );
      return { status, body: parseJson(text) as T, latencyMs: performance.now() - started };
    } catch (error) {
      return { status: NO_ANSWER, body: { error: String(error) } as T, latencyMs: performance.now() - started };
    }
  };
}

export type PosSend = ReturnType<typeof posHttp>;

function request(url: string, options: http.RequestOptions, payload?: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const outgoing = http.request(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? NO_ANSWER, text: Buffer.concat(chunks).toString() }),
      );
      response.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { notJson: text.slice(0, 200) };
  }
}

/** Polls GET /api/health until it answers 200; throws after `timeoutMs`. */
export async function waitForHealthy(baseUrl: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const healthy = await fetch(new URL("/api/health", baseUrl)).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await sleep(250);
  }
  throw new Error(`${baseUrl} did not become healthy within ${timeoutMs / 1000} s`);
}

// ---------------------------------------------------------------------------------------------
// The contract's answers, as far as the load tools read them
// ---------------------------------------------------------------------------------------------

export type ReceiptSummary = {
  id: string;
  externalId: string;
  total: number;
  pointsRedeemed: number;
  pointsEarned: number;
};
export type RefundSummary = {
  externalRefundId: string;
  amount: number;
  pointsReversed: number;
  pointsReturned: number;
};
export type ReceiptReply = { receipt: ReceiptSummary; guest: { id: string; balance: number; tier: string } | null };
export type StoredReceiptReply = ReceiptReply & { refunds: RefundSummary[] };
export type RefundReply = { refund: RefundSummary; guest: { balance: number } | null };
export type IdentifyReply = {
  guest: { id: string; name: string | null; tier: string; balance: number };
  maxRedeemablePoints: number;
};
export type HoldReply = { redemption: { id: string; points: number; status: string }; guest: { balance: number } };
export type EnrolReply = { guest: { id: string; cardCode: string; balance: number } };
export type ErrorReply = { error: { code: string; message: string; details?: unknown } };

// ---------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------

export type MenuItem = { sku: string; name: string; price: number; category: string };
export type ReceiptLine = {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  category: string;
};

/** Used when the tenant has no products in the database (a tenant made by a test). */
export const FALLBACK_MENU: readonly MenuItem[] = [
  { sku: "espresso", name: "Эспрессо", price: 15_000, category: "coffee" },
  { sku: "cappuccino", name: "Капучино 300 мл", price: 25_000, category: "coffee" },
  { sku: "latte", name: "Латте", price: 28_000, category: "coffee" },
  { sku: "filter-ethiopia", name: "Фильтр Эфиопия", price: 22_000, category: "filter" },
  { sku: "croissant", name: "Круассан", price: 19_000, category: "desserts" },
  { sku: "syrniki", name: "Сырники", price: 39_000, category: "breakfast" },
];

/** 1–`maxLines` lines from the menu; now and then a weighed item with a fractional quantity. */
export function randomBasket(random: Random, menu: readonly MenuItem[], maxLines = 4): ReceiptLine[] {
  return Array.from({ length: random.int(1, maxLines) }, () => {
    const item = random.pick(menu);
    const quantity = random.chance(0.1) ? random.pick([0.25, 0.5, 1.5]) : random.int(1, 2);
    return {
      sku: item.sku,
      name: item.name,
      quantity,
      unitPrice: item.price,
      amount: Math.round(item.price * quantity),
      category: item.category,
    };
  });
}

export function sumAmounts(lines: readonly { amount: number }[]): number {
  return lines.reduce((total, line) => total + line.amount, 0);
}

/** Now as ISO 8601 with Moscow's offset, as a Russian till would send it. */
export function moscowNow(now = new Date()): string {
  const shifted = new Date(now.getTime() + 3 * 3_600_000);
  return `${shifted.toISOString().slice(0, 19)}+03:00`;
}

/** A POST /receipts body whose total is the sum of its lines. */
export function receiptPayload(externalId: string, lines: ReceiptLine[], extra: Record<string, unknown> = {}) {
  return { externalId, occurredAt: moscowNow(), lines, total: sumAmounts(lines), ...extra };
}

/** Fiscal data of a paper receipt (the fiscal drive number, document number and fiscal sign). */
export function fiscalData(random: Random, documentNumber: number) {
  return { fn: `73804407${random.digits(8)}`, fd: String(documentNumber), fp: String(random.int(1, 4_294_967_295)) };
}

/** The ways a barista types a Russian mobile number in; other numbers are typed as stored. */
export function phoneForms(e164: string): string[] {
  const match = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(e164);
  if (!match) return [e164];
  const [, code, a, b, c] = match;
  return [`8 (${code}) ${a}-${b}-${c}`, `+7 ${code} ${a}-${b}-${c}`, `+7 ${code} ${a}${b}${c}`, `8${code}${a}${b}${c}`];
}

/** A Russian mobile number nobody has used yet, with overwhelming likelihood. */
export function freshPhone(random: Random): string {
  return `+7${random.pick(["916", "903", "925", "977", "985", "999"])}${random.digits(7)}`;
}

// ---------------------------------------------------------------------------------------------
// Drivers and statistics
// ---------------------------------------------------------------------------------------------

/**
 * Starts `task` `rate` times a second for `durationMs` (open loop: a slow answer never delays the next
 * start, so latency under a fixed offered load is measured honestly), then waits for the started tasks.
 */
export async function runOpenLoop(options: {
  rate: number;
  durationMs: number;
  task: (index: number) => Promise<void>;
}): Promise<void> {
  const started = performance.now();
  const running: Promise<void>[] = [];
  for (let index = 0; ; index++) {
    const at = (index * 1000) / options.rate;
    if (at >= options.durationMs) break;
    const wait = started + at - performance.now();
    if (wait > 0) await sleep(wait);
    running.push(options.task(index));
  }
  await Promise.all(running);
}

/** `concurrency` workers, each running `task` back to back until `durationMs` has passed. */
export async function runClosedLoop(options: {
  concurrency: number;
  durationMs: number;
  task: (worker: number) => Promise<void>;
}): Promise<void> {
  const deadline = performance.now() + options.durationMs;
  const worker = async (index: number) => {
    while (performance.now() < deadline) await options.task(index);
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
}

/** Nearest-rank percentile of ascending values (`fraction` 0.99 = p99); 0 for none. */
function percentile(sortedValues: readonly number[], fraction: number): number {
  if (sortedValues.length === 0) return 0;
  const rank = Math.ceil(fraction * sortedValues.length);
  return sortedValues[Math.min(sortedValues.length, Math.max(1, rank)) - 1] ?? 0;
}

export type LatencySummary = { count: number; p50: number; p95: number; p99: number; max: number };

export function summarizeLatencies(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
  };
}

/** Columns padded to their widest cell; the first column left-aligned, the others right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
        .join("  "),
    )
    .join("\n");
}

export const ms = (value: number) => value.toFixed(1);

/** Counts answers per endpoint and status with their latencies, for a summary table. */
export class StatusTally {
  private readonly counts = new Map<string, Map<number, number>>();
  private readonly latencies = new Map<string, number[]>();

  record(endpoint: string, status: number, latencyMs: number): void {
    const statuses = this.counts.get(endpoint) ?? new Map<number, number>();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    this.counts.set(endpoint, statuses);
    const latencies = this.latencies.get(endpoint) ?? [];
    latencies.push(latencyMs);
    this.latencies.set(endpoint, latencies);
  }

  get total(): number {
    return [...this.latencies.values()].reduce((sum, values) => sum + values.length, 0);
  }

  count(endpoint: string, status: number): number {
    return this.counts.get(endpoint)?.get(status) ?? 0;
  }

  latencySummary(endpoint?: string): LatencySummary {
    return summarizeLatencies(endpoint ? (this.latencies.get(endpoint) ?? []) : [...this.latencies.values()].flat());
  }

  /** One row per endpoint: a column per status seen (0 = no answer), the total and p50/p95/p99 in ms. */
  table(): string {
    const endpoints = [...this.counts.keys()].sort();
    const statuses = [...new Set([...this.counts.values()].flatMap((byStatus) => [...byStatus.keys()]))].sort(
      (a, b) => a - b,
    );
    const row = (label: string, count: (status: number) => number, summary: LatencySummary) => [
      label,
      ...statuses.map((status) => count(status) || "·"),
      summary.count,
      ms(summary.p50),
      ms(summary.p95),
      ms(summary.p99),
    ];
    const rows = endpoints.map((endpoint) =>
      row(endpoint, (status) => this.count(endpoint, status), this.latencySummary(endpoint)),
    );
    const allCount = (status: number) => endpoints.reduce((sum, endpoint) => sum + this.count(endpoint, status), 0);
    rows.push(row("all", allCount, this.latencySummary()));
    return formatTable(["endpoint", ...statuses.map(String), "total", "p50 ms", "p95 ms", "p99 ms"], rows);
  }
}

// ---------------------------------------------------------------------------------------------
// Database: keys and the tenant's regulars and menu
// ---------------------------------------------------------------------------------------------

export type Regular = { id: string; phone: string | null; cardCode: string };
export type TenantFixture = { tenantId: string; regulars: Regular[]; menu: MenuItem[] };

async function findTenantId(db: Database, slug: string): Promise<string> {
  const [tenant] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
  if (!tenant) throw new Error(`No tenant ${slug}`);
  return tenant.id;
}

/** The tenant's active guests and active products, read once as the app role bound to the tenant. */
export async function loadTenantFixture(db: Database, slug: string): Promise<TenantFixture> {
  const tenantId = await findTenantId(db, slug);
  return withTenant(
    tenantId,
    async (tx) => {
      const regulars = await tx
        .select({ id: guests.id, phone: guests.phone, cardCode: guests.cardCode })
        .from(guests)
        .where(and(isNull(guests.blockedAt), isNull(guests.deletedAt), isNotNull(guests.phone)))
        .orderBy(asc(guests.createdAt));
      const menu = await tx
        .select({ sku: products.sku, name: products.name, price: products.price, category: menuCategories.slug })
        .from(products)
        .innerJoin(menuCategories, eq(menuCategories.id, products.categoryId))
        .where(eq(products.active, true))
        .orderBy(asc(products.sku));
      return { tenantId, regulars, menu: menu.length > 0 ? menu : [...FALLBACK_MENU] };
    },
    db,
  );
}

export type PosTill = { key: string; keyId: string; locationId: string };

/** `count` POS keys (tills) spread round-robin over the given locations. */
export async function createPosKeys(
  db: Database,
  input: { tenantId: string; locations: readonly string[]; count: number; name: string },
): Promise<PosTill[]> {
  return withTenant(
    input.tenantId,
    async (tx) => {
      const tills: PosTill[] = [];
      for (let till = 0; till < input.count; till++) {
        const created = await createPosKey(tx, {
          tenantId: input.tenantId,
          locationSlug: input.locations[till % input.locations.length] ?? "",
          name: `${input.name} ${till + 1}`,
          actor: { actorKind: "system" },
        });
        tills.push({ key: created.key, keyId: created.id, locationId: created.locationId });
      }
      return tills;
    },
    db,
  );
}
