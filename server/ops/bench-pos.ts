// npm run bench:pos — benchmarks the POS API on the production build against its own fresh embedded PostgreSQL
// (.data/bench, port 3300): throughput, latency at a fixed offered load, the raw-SQL baseline, and latency with
// 10 k vs 1 M stored receipts, printed next to the targets. About 6 minutes on 2 cores; builds first if needed.
// Where the time goes is printed too: SQL statements per receipt and CPU per receipt of Next.js, PostgreSQL and
// this process, for the app over HTTP, the app in-process (no HTTP, no Next.js) and raw SQL.
// `--quick` measures only the plain-receipt throughput over HTTP and as raw SQL (about a minute), for trying changes.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { eq, getTableColumns } from "drizzle-orm";
import { PgDialect, QueryBuilder } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { type Database, openDatabase } from "@/db/client";
import { guests } from "@/db/schema";
import { refreshAnalytics } from "../analytics/rollups";
import { childProcessEnv, deriveAppUrl, env } from "../env";
import { timeOrderedUuid } from "../ids";
import { payloadHash } from "../loyalty/canonical";
import { pointsEarned } from "../loyalty/formulas";
import { dueHolds } from "../loyalty/ledger";
import { receiptWrite } from "../loyalty/receipts";
import { posClient } from "../pos/testing";
import { buildForProduction } from "./build";
import { buildIsStale, type LaunchedServer, launchDemoServer } from "./launch";
import {
  createPosKeys,
  fiscalData,
  formatTable,
  type HoldReply,
  type IdentifyReply,
  type LatencySummary,
  loadTenantFixture,
  ms,
  type PosSend,
  type PosTill,
  posHttp,
  type Random,
  type ReceiptLine,
  randomBasket,
  receiptPayload,
  runClosedLoop,
  runOpenLoop,
  seededRandom,
  summarizeLatencies,
  type TenantFixture,
} from "./pos-load";

const PORT = 3300;
const DATA_DIR = ".data/bench";
const BASE_URL = `http://127.0.0.1:${PORT}`;
const TENANT = "demo";
/** Tills (keys): 100 requests/s each, so the per-key rate limit never throttles the benchmark. */
const TILLS = 16;
const CONCURRENCY = 32;
/** The app's pool size (DATABASE_POOL_SIZE), used for the in-process and raw runs as well. */
const POOL_SIZE = env().DATABASE_POOL_SIZE;
const FIXED_RATE = 200;
/** A second fixed load, well below saturation, so table growth is seen apart from queueing. */
const LIGHT_RATE = 50;
const FIXED_TIMEOUT_MS = 10_000;
const SECONDS = { warmUp: 5, settle: 5, fixedBlock: 10, flows: 10, throughput: 20, inProcess: 10, raw: 15 };
/**
 * Each fixed load runs in blocks, and its figures are the median of the blocks': a passing stall of
 * the host (seen on this VM: a minute at two thirds of the usual speed) spoils one block, not the
 * comparison of 10 k with 1 M stored receipts.
 */
const FIXED_BLOCKS = 5;
const TARGETS = { receiptsPerSecond: 800, p99AtFixedMs: 50, appToRaw: 0.5, growth: 0.2 };

const requireFromHere = createRequire(import.meta.url);

/** CPU milliseconds per stored receipt, by process. */
type CpuPerReceipt = { next: number; postgres: number; bench: number };

/** One measured run: receipts stored per second, the latency of each, and what failed how often. */
type Phase = {
  name: string;
  stored: number;
  perSecond: number;
  latency: LatencySummary;
  /** By HTTP status (0: no answer in time) or kind of error. */
  failures: Map<string, number>;
  cpu?: CpuPerReceipt;
};

function phaseRecorder(name: string) {
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const started = performance.now();
  return {
    stored: (latencyMs: number) => latencies.push(latencyMs),
    failed: (why: string | number) => {
      failures.set(String(why), (failures.get(String(why)) ?? 0) + 1);
    },
    finish: (): Phase => ({
      name,
      stored: latencies.length,
      perSecond: latencies.length / ((performance.now() - started) / 1000),
      latency: summarizeLatencies(latencies),
      failures,
    }),
  };
}

function step(message: string) {
  console.log(`[bench] ${message}`);
}

// ---------------------------------------------------------------------------------------------
// The server under test
// ---------------------------------------------------------------------------------------------

/** `pid`: the launcher's node process, parent of PostgreSQL and of the Next.js server. */
type Server = LaunchedServer;

function buildIfStale() {
  if (!buildIsStale()) return;
  step("No production build of the current sources: building (npm run build)…");
  if (!buildForProduction()) throw new Error("next build failed");
}

/** CPU seconds used by a process and all its descendants, living and reaped (Linux /proc). */
function treeCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime, stime, cutime, cstime in clock ticks (100 a second on Linux).
    const own = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0) / 100;
    return own + childrenOf(pid).reduce((sum, child) => sum + treeCpuSeconds(child), 0);
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

/** CPU seconds of the Next.js server, of PostgreSQL and of this process, so far. */
function cpuSplit(launcherPid: number): CpuPerReceipt {
  const children = childrenOf(launcherPid);
  const sum = (pids: number[]) => pids.reduce((total, pid) => total + treeCpuSeconds(pid), 0);
  const usage = process.cpuUsage();
  return {
    next: sum(children.filter((pid) => /^(next|node)/.test(commandOf(pid)))),
    postgres: sum(children.filter((pid) => commandOf(pid).startsWith("postgres"))),
    bench: (usage.user + usage.system) / 1e6,
  };
}

/** Runs a phase and adds the CPU each process spent per stored receipt meanwhile. */
async function withCpu(launcherPid: number, run: () => Promise<Phase>): Promise<Phase> {
  const before = cpuSplit(launcherPid);
  const phase = await run();
  const after = cpuSplit(launcherPid);
  const perReceipt = (key: keyof CpuPerReceipt) => ((after[key] - before[key]) * 1000) / Math.max(1, phase.stored);
  return { ...phase, cpu: { next: perReceipt("next"), postgres: perReceipt("postgres"), bench: perReceipt("bench") } };
}

// ---------------------------------------------------------------------------------------------
// The work: plain receipts and identify → hold → receipt flows
// ---------------------------------------------------------------------------------------------

type BenchContext = {
  fixture: TenantFixture;
  tills: PosTill[];
  random: Random;
  nextId: () => number;
};

type PlainReceipt = ReturnType<typeof receiptPayload> & { guestId?: string; fiscal?: ReturnType<typeof fiscalData> };

/** A closed check: three in four with a regular named by id, the rest anonymous with fiscal data. */
function plainReceipt(context: BenchContext, prefix: string): PlainReceipt {
  const id = context.nextId();
  const basket = randomBasket(context.random, context.fixture.menu, 3);
  const regular = context.random.chance(0.75) ? context.random.pick(context.fixture.regulars) : null;
  const extra = regular ? { guestId: regular.id } : { fiscal: fiscalData(context.random, id) };
  return receiptPayload(`${prefix}-${id}`, basket, extra);
}

async function httpPlainReceipts(context: BenchContext, sends: PosSend[], name: string, seconds: number) {
  const recorder = phaseRecorder(name);
  await closedLoop(seconds, async (worker) => {
    const answer = await sends[worker % sends.length]?.({
      method: "POST",
      path: "/receipts",
      body: plainReceipt(context, "B"),
    });
    if (answer?.status === 201) recorder.stored(answer.latencyMs);
    else recorder.failed(answer?.status ?? "no till");
  });
  return recorder.finish();
}

/** The same receipts through the REST handler in this process: the app without HTTP and Next.js. */
async function inProcessPlainReceipts(context: BenchContext, db: Database, seconds: number) {
  const clients = context.tills.map((till) => posClient(db, till.key));
  const recorder = phaseRecorder(`plain receipts in-process (no HTTP), ${CONCURRENCY} clients`);
  await closedLoop(seconds, async (worker) => {
    const started = performance.now();
    const reply = await clients[worker % clients.length]?.("POST", "/receipts", plainReceipt(context, "P"));
    if (reply?.status === 201) recorder.stored(performance.now() - started);
    else recorder.failed(reply?.status ?? "no till");
  });
  return recorder.finish();
}

/** Identify with the basket, hold half of what may be redeemed, close the check committing the hold. */
async function httpFlows(context: BenchContext, sends: PosSend[]) {
  const recorder = phaseRecorder(`identify → hold → receipt flows, ${CONCURRENCY} clients (per receipt)`);
  const steps = { identify: [] as number[], hold: [] as number[], receipt: [] as number[] };
  const regularsOf = (worker: number) => context.fixture.regulars.filter((_, index) => index % CONCURRENCY === worker);
  await closedLoop(SECONDS.flows, async (worker) => {
    const send = sends[worker % sends.length];
    const regular = context.random.pick(regularsOf(worker));
    if (!send) return;
    const started = performance.now();
    const basket = randomBasket(context.random, context.fixture.menu, 3);
    const seen = await send<IdentifyReply>({
      method: "POST",
      path: "/guests/identify",
      body: { identifier: regular.cardCode, basket },
    });
    if (seen.status !== 200) return recorder.failed(`identify ${seen.status}`);
    steps.identify.push(seen.latencyMs);
    const redemptionId = await holdHalf(send, regular.id, basket, seen.body.maxRedeemablePoints, steps.hold);
    if (redemptionId === null) return recorder.failed("hold");
    const receipt = await send({
      method: "POST",
      path: "/receipts",
      body: receiptPayload(`F-${context.nextId()}`, basket, { guestId: regular.id, redemptionId }),
    });
    if (receipt.status !== 201) return recorder.failed(`receipt ${receipt.status}`);
    steps.receipt.push(receipt.latencyMs);
    recorder.stored(performance.now() - started);
  });
  return { phase: recorder.finish(), steps };
}

/** The hold's id; undefined when there is nothing to redeem; null when the hold failed. */
async function holdHalf(
  send: PosSend,
  guestId: string,
  basket: ReceiptLine[],
  redeemable: number,
  latencies: number[],
) {
  if (redeemable < 1) return undefined;
  const checkTotal = basket.reduce((total, line) => total + line.amount, 0);
  const points = Math.max(1, Math.floor(redeemable / 2));
  const held = await send<HoldReply>({ method: "POST", path: "/redemptions", body: { guestId, points, checkTotal } });
  if (held.status !== 201) return null;
  latencies.push(held.latencyMs);
  return held.body.redemption.id;
}

/**
 * Open loop: each receipt leaves at its time whatever the earlier ones are doing (no coordinated omission).
 * A till gives up after FIXED_TIMEOUT_MS (counted as status 0), so a saturated server cannot stretch the run.
 */
async function fixedLoad(
  context: BenchContext,
  sends: PosSend[],
  rate: number,
  storedReceipts: number,
  seconds: number,
) {
  const recorder = phaseRecorder(
    `fixed ${rate} receipts/s with ${storedReceipts.toLocaleString("en")} receipts stored`,
  );
  await runOpenLoop({
    rate,
    durationMs: seconds * 1000,
    task: async (index) => {
      const answer = await sends[index % sends.length]?.(
        { method: "POST", path: "/receipts", body: plainReceipt(context, "X") },
        AbortSignal.timeout(FIXED_TIMEOUT_MS),
      );
      if (answer?.status === 201) recorder.stored(answer.latencyMs);
      else recorder.failed(answer?.status ?? "no till");
    },
  });
  return recorder.finish();
}

/** The fixed load in FIXED_BLOCKS blocks: latency percentiles and rate are the blocks' medians. */
async function fixedLoadInBlocks(context: BenchContext, sends: PosSend[], rate: number, storedReceipts: number) {
  const blocks: Phase[] = [];
  for (let block = 0; block < FIXED_BLOCKS; block++) {
    blocks.push(await fixedLoad(context, sends, rate, storedReceipts, SECONDS.fixedBlock));
  }
  const median = (pick: (phase: Phase) => number) => {
    const sorted = blocks.map(pick).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  };
  const failures = new Map<string, number>();
  for (const [why, count] of blocks.flatMap((phase) => [...phase.failures])) {
    failures.set(why, (failures.get(why) ?? 0) + count);
  }
  const phase: Phase = {
    name: `${blocks[0]?.name ?? ""} (median of ${FIXED_BLOCKS} × ${SECONDS.fixedBlock} s; p99 ${blocks.map((b) => ms(b.latency.p99)).join(", ")})`,
    stored: blocks.reduce((sum, b) => sum + b.stored, 0),
    perSecond: median((b) => b.perSecond),
    latency: {
      count: blocks.reduce((sum, b) => sum + b.latency.count, 0),
      p50: median((b) => b.latency.p50),
      p95: median((b) => b.latency.p95),
      p99: median((b) => b.latency.p99),
      max: Math.max(...blocks.map((b) => b.latency.max)),
    },
    failures,
  };
  return phase;
}

/** `CONCURRENCY` clients, each sending its next request as soon as the last one is answered. */
function closedLoop(seconds: number, task: (worker: number) => Promise<unknown>) {
  return runClosedLoop({
    concurrency: CONCURRENCY,
    durationMs: seconds * 1000,
    task: async (worker) => void (await task(worker)),
  });
}

// ---------------------------------------------------------------------------------------------
// The raw baseline: the database work of a plain receipt, straight through postgres.js
// ---------------------------------------------------------------------------------------------

const BRONZE_PERCENT = 5;
const dialect = new PgDialect({ casing: "snake_case" });

/**
 * The app's transaction for a plain receipt, statement for statement, as the app role: the tenant
 * bound with the key's state read along, the guest locked, then the receipt's one write statement
 * (the app's own `receiptWrite`), straight through postgres.js — no HTTP, no tRPC, no drizzle at run
 * time. The accrual is figured at the base tier's rate (the database work is the same).
 */
async function rawReceipt(sql: postgres.Sql, tenantId: string, till: PosTill, body: PlainReceipt) {
  const receiptId = timeOrderedUuid();
  await sql.begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${tenantId}, true) as bound_tenant, along.*
      from (values (1)) as one (x) left join pos_key_state(${till.keyId}::uuid) as along on true`;
    // lockGuest's statement (server/loyalty/ledger.ts), built the same way.
    const lock = body.guestId
      ? new QueryBuilder({ casing: "snake_case" })
          .select({ ...getTableColumns(guests), hasDueHolds: dueHolds })
          .from(guests)
          .where(eq(guests.id, body.guestId))
          .for("update", { of: guests })
          .toSQL()
      : null;
    const [guest] = lock
      ? await tx.unsafe<{ id: string; balance: number; lifetime_paid: string; last_visit_at: Date | null }[]>(
          lock.sql,
          lock.params as postgres.ParameterOrJSON<never>[],
          { prepare: true },
        )
      : [];
    const earned = guest ? pointsEarned(body.total, 0, BRONZE_PERCENT) : 0;
    const occurredAt = new Date(Math.min(Date.parse(body.occurredAt), Date.now()));
    const write = dialect.sqlToQuery(
      receiptWrite({
        scope: { tenantId, locationId: till.locationId },
        input: body,
        receiptId,
        hash: payloadHash(body),
        body: {
          receipt: {
            id: receiptId,
            externalId: body.externalId,
            total: body.total,
            pointsRedeemed: 0,
            pointsEarned: earned,
          },
          guest: guest ? { id: guest.id, balance: guest.balance + earned, tier: "Bronze" } : null,
        },
        guestId: guest?.id ?? null,
        redemptionId: null,
        redeemed: 0,
        earned,
        lifetimePaid: guest ? Number(guest.lifetime_paid) + body.total : 0,
        tierId: null,
        lastVisitAt: guest?.last_visit_at && guest.last_visit_at > occurredAt ? guest.last_visit_at : occurredAt,
      }),
    );
    await tx.unsafe(write.sql, write.params as postgres.ParameterOrJSON<never>[], { prepare: true });
  });
}

/** postgres.js as the app's drizzle configures it: JSON parameters go as the text they already are. */
function rawClient(url: string) {
  const client = postgres(url, { max: POOL_SIZE, onnotice: () => {} });
  for (const jsonType of [114, 3802]) client.options.serializers[jsonType] = (text: unknown) => text;
  return client;
}

async function rawPlainReceipts(context: BenchContext, sql: postgres.Sql) {
  const recorder = phaseRecorder(`plain receipts raw SQL (postgres.js, pool ${POOL_SIZE}), ${CONCURRENCY} clients`);
  await closedLoop(SECONDS.raw, async (worker) => {
    const till = context.tills[worker % context.tills.length];
    if (!till) return;
    const started = performance.now();
    try {
      await rawReceipt(sql, context.fixture.tenantId, till, plainReceipt(context, "RAW"));
      recorder.stored(performance.now() - started);
    } catch (error) {
      recorder.failed(error instanceof postgres.PostgresError ? `${error.code} ${error.message}` : String(error));
    }
  });
  return recorder.finish();
}

// ---------------------------------------------------------------------------------------------
// Profiling and filler
// ---------------------------------------------------------------------------------------------

/** The app's kind of database handle, counting the statements it sends (BEGIN/COMMIT included). */
function countingDatabase(url: string, max: number) {
  let statements = 0;
  const { db, client } = openDatabase(url, {
    max,
    onStatement: () => {
      statements += 1;
    },
  });
  return { db, client, statements: () => statements };
}

/** Statements one receipt costs the app, sent alone (guest and anonymous), through the REST handler. */
async function statementsPerReceipt(context: BenchContext, counting: ReturnType<typeof countingDatabase>) {
  const till = context.tills[0];
  if (!till) throw new Error("no till");
  const client = posClient(counting.db, till.key);
  const count = async (body: PlainReceipt) => {
    const before = counting.statements();
    const reply = await client("POST", "/receipts", body);
    if (reply.status !== 201) throw new Error(`receipt answered ${reply.status}`);
    return counting.statements() - before;
  };
  const regular = context.random.pick(context.fixture.regulars);
  const basket = randomBasket(context.random, context.fixture.menu, 3);
  // Twice each: the first request of a process also warms prepared statements and the rate limiter.
  await count(receiptPayload(`S-${context.nextId()}`, basket, { guestId: regular.id }));
  const guest = await count(receiptPayload(`S-${context.nextId()}`, basket, { guestId: regular.id }));
  const anonymous = await count(receiptPayload(`S-${context.nextId()}`, basket));
  return { guest, anonymous };
}

/**
 * Adds anonymous filler receipts (one line each) to the tenant until the table holds `target` rows,
 * dated back one a second, with time-ordered ids as the app makes them.
 */
async function fillReceiptsTo(admin: postgres.Sql, tenantId: string, locationId: string, target: number) {
  const chunk = 250_000;
  for (;;) {
    const [row] = await admin<{ count: number }[]>`select count(*)::int as count from receipts`;
    const missing = target - (row?.count ?? 0);
    if (missing <= 0) break;
    const rows = Math.min(chunk, missing);
    const offset = randomUUID().slice(0, 8);
    await admin`
      with inserted as (
        insert into receipts (tenant_id, id, location_id, channel, external_id, payload_hash, occurred_at, total, response)
        select ${tenantId}, uuidv7(- make_interval(secs => g)), ${locationId}, 'pos', 'FILL-' || ${offset} || '-' || g,
               md5(g::text) || md5(${offset} || g),
               now() - make_interval(secs => g), 10000 + (g % 500) * 100, '{}'::jsonb
        from generate_series(1, ${rows}::int) g
        returning tenant_id, id, total)
      insert into receipt_lines (tenant_id, receipt_id, line_no, sku, name, quantity, unit_price, amount, category)
      select tenant_id, id, 1, 'filler', 'Filler', 1, total, total, 'coffee' from inserted`;
  }
  // Fresh statistics and no pending checkpoint, so the measurement after it sees a settled database.
  await admin`vacuum analyze receipts, receipt_lines`;
  await admin`checkpoint`;
  const [row] = await admin<{ count: number }[]>`select count(*)::int as count from receipts`;
  return row?.count ?? 0;
}

function checkLedger(): string {
  const tsx = requireFromHere.resolve("tsx/cli");
  const result = spawnSync(process.execPath, [tsx, "server/ops/cli.ts", "check-ledger"], {
    env: childProcessEnv({ DATA_DIR }, { without: ["DATABASE_URL", "APP_DATABASE_URL"] }),
    encoding: "utf8",
  });
  return `${result.stdout.trim().split("\n").at(-1) ?? ""} (exit ${result.status})`;
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

function phaseRow(phase: Phase) {
  return [
    phase.name,
    phase.perSecond.toFixed(0),
    ms(phase.latency.p50),
    ms(phase.latency.p95),
    ms(phase.latency.p99),
    ms(phase.latency.max),
    formatFailures(phase.failures),
  ];
}

/** "0", or "12 (0×10, 429×2)". */
function formatFailures(failures: Map<string, number>): string {
  const total = [...failures.values()].reduce((sum, count) => sum + count, 0);
  if (total === 0) return "0";
  return `${total} (${[...failures].map(([why, count]) => `${why}×${count}`).join(", ")})`;
}

const verdict = (pass: boolean) => (pass ? "pass" : "MISS");
const percent = (value: number) => `${value >= 0 ? "+" : ""}${(value * 100).toFixed(0)} %`;

/** Fixed loads at 10 k and at 1 M stored receipts, at one rate. */
type Growth = { small: Phase; large: Phase };

type Results = {
  fixed: Growth;
  light: Growth;
  flows: Awaited<ReturnType<typeof httpFlows>>;
  http: Phase;
  inProcess: Phase;
  raw: Phase;
  statements: { guest: number; anonymous: number };
  ledger: string;
  /** The machine's 1-minute load average when the run began (other work skews the figures). */
  loadBefore: number;
};

function latencyTable(results: Results) {
  const { fixed, light, flows, http, inProcess, raw } = results;
  const stepRow = (name: string, values: number[]) => {
    const summary = summarizeLatencies(values);
    return [`  ${name} step`, "", ms(summary.p50), ms(summary.p95), ms(summary.p99), ms(summary.max), ""];
  };
  return formatTable(
    ["measurement", "receipts/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "failed"],
    [
      phaseRow(fixed.small),
      phaseRow(light.small),
      phaseRow(flows.phase),
      stepRow("identify", flows.steps.identify),
      stepRow("hold", flows.steps.hold),
      stepRow("receipt", flows.steps.receipt),
      phaseRow(http),
      phaseRow(inProcess),
      phaseRow(raw),
      phaseRow(fixed.large),
      phaseRow(light.large),
    ],
  );
}

function cpuTable(results: Results) {
  const row = (label: string, phase: Phase) => [
    label,
    phase.perSecond.toFixed(0),
    ms(phase.cpu?.next ?? 0),
    ms(phase.cpu?.postgres ?? 0),
    ms(phase.cpu?.bench ?? 0),
  ];
  return formatTable(
    ["CPU ms per receipt", "receipts/s", "Next.js server", "PostgreSQL", "bench process"],
    [
      row("app over HTTP", results.http),
      row("app in-process (no HTTP, no Next.js)", results.inProcess),
      row("raw SQL (postgres.js)", results.raw),
    ],
  );
}

function growthRow(label: string, growth: Growth) {
  const p50 = growth.large.latency.p50 / growth.small.latency.p50 - 1;
  const p99 = growth.large.latency.p99 / growth.small.latency.p99 - 1;
  const pass = Math.abs(p50) <= TARGETS.growth && Math.abs(p99) <= TARGETS.growth;
  return [label, `${percent(p50)}, ${percent(p99)}`, `within ${TARGETS.growth * 100} %`, verdict(pass)];
}

function targetTable(results: Results) {
  const { fixed, light, http, raw } = results;
  const ratio = http.perSecond / raw.perSecond;
  return formatTable(
    ["target", "measured", "goal", "result"],
    [
      [
        "sustained throughput, plain receipts",
        `${http.perSecond.toFixed(0)} receipts/s`,
        `≥ ${TARGETS.receiptsPerSecond}`,
        verdict(http.perSecond >= TARGETS.receiptsPerSecond),
      ],
      [
        `p99 at ${FIXED_RATE} receipts/s (10 k stored)`,
        `${ms(fixed.small.latency.p99)} ms`,
        `≤ ${TARGETS.p99AtFixedMs} ms`,
        verdict(fixed.small.latency.p99 <= TARGETS.p99AtFixedMs),
      ],
      ["app / raw throughput", ratio.toFixed(2), `≥ ${TARGETS.appToRaw}`, verdict(ratio >= TARGETS.appToRaw)],
      growthRow(`latency 10 k → 1 M at ${FIXED_RATE}/s (p50, p99)`, fixed),
      growthRow(`  the same at ${LIGHT_RATE}/s (below saturation)`, light),
    ],
  );
}

function printReport(results: Results) {
  const { statements } = results;
  console.log(
    [
      "",
      `POS benchmark — ${CONCURRENCY} clients over ${TILLS} keys, app pool ${POOL_SIZE}, ${os.cpus().length} cores, ` +
        `load average ${results.loadBefore.toFixed(1)} before and ${os.loadavg()[0]?.toFixed(1)} after`,
      "",
      latencyTable(results),
      "",
      cpuTable(results),
      "",
      `SQL statements per receipt (BEGIN/COMMIT included): app ${statements.guest} with a guest, ${statements.anonymous} anonymous; raw: the same statements.`,
      `Ledger after the run: ${results.ledger}`,
      "",
      targetTable(results),
    ].join("\n"),
  );
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

async function prepare(server: Server) {
  // The launcher gave the app role a password of its own, kept beside the data.
  const { APP_DB_PASSWORD } = JSON.parse(readFileSync(path.join(DATA_DIR, "secrets.json"), "utf8"));
  const appUrl = deriveAppUrl(server.adminUrl, APP_DB_PASSWORD);
  const app = openDatabase(appUrl, { max: 4 });
  const fixture = await loadTenantFixture(app.db, TENANT);
  const tills = await createPosKeys(app.db, {
    tenantId: fixture.tenantId,
    locations: ["tverskaya", "arbat"],
    count: TILLS,
    name: "Bench till",
  });
  await app.client.end();
  let sequence = 0;
  const context: BenchContext = { fixture, tills, random: seededRandom(7), nextId: () => ++sequence };
  const sends = tills.map((till) => posHttp(BASE_URL, till.key));
  return { appUrl, context, sends };
}

/** Fixed loads at both rates once the receipts table holds `target` rows. */
async function fixedLoads(
  context: BenchContext,
  sends: PosSend[],
  admin: postgres.Sql,
  appUrl: string,
  target: number,
) {
  const till = context.tills[0];
  if (!till) throw new Error("no till");
  step(`Filling the receipts table to ${target.toLocaleString("en")} rows…`);
  const stored = await fillReceiptsTo(admin, context.fixture.tenantId, till.locationId, target);
  // The filler is history: in a real café the per-minute roll-up job took its receipts as they
  // came. Left queued, the job would spend the measured minutes rolling up a million of them.
  const rollingUp = Date.now();
  const app = openDatabase(appUrl, { max: 1 });
  try {
    const rolled = await refreshAnalytics(app.db);
    step(
      `Rolled the filler into the analytics first (${rolled.changes.toLocaleString("en")} changes, ${((Date.now() - rollingUp) / 1000).toFixed(1)} s)…`,
    );
  } finally {
    await app.client.end();
  }
  step(`Fixed loads of ${FIXED_RATE} and ${LIGHT_RATE} receipts/s with ${stored.toLocaleString("en")} stored…`);
  // Not measured: the first seconds after a bulk load and a checkpoint (cold pages, full-page WAL
  // images) are the filler's cost, not the steady latency at this table size.
  await fixedLoad(context, sends, FIXED_RATE, stored, SECONDS.settle);
  const fixed = await fixedLoadInBlocks(context, sends, FIXED_RATE, stored);
  const light = await fixedLoadInBlocks(context, sends, LIGHT_RATE, stored);
  return { fixed, light };
}

async function throughputRuns(server: Server, context: BenchContext, sends: PosSend[], appUrl: string) {
  const raw = rawClient(appUrl);
  const counting = countingDatabase(appUrl, POOL_SIZE);
  try {
    const statements = await statementsPerReceipt(context, counting);
    step(`Identify → hold → receipt flows for ${SECONDS.flows} s…`);
    const flows = await httpFlows(context, sends);
    step(`Plain receipts over HTTP for ${SECONDS.throughput} s…`);
    const http = await withCpu(server.pid, () =>
      httpPlainReceipts(context, sends, `plain receipts over HTTP, ${CONCURRENCY} clients`, SECONDS.throughput),
    );
    step(`Plain receipts in-process for ${SECONDS.inProcess} s…`);
    const inProcess = await withCpu(server.pid, () => inProcessPlainReceipts(context, counting.db, SECONDS.inProcess));
    step(`Plain receipts as raw SQL for ${SECONDS.raw} s…`);
    const rawPhase = await withCpu(server.pid, () => rawPlainReceipts(context, raw));
    return { statements, flows, http, inProcess, raw: rawPhase };
  } finally {
    await Promise.all([raw.end(), counting.client.end()]);
  }
}

async function measure(server: Server): Promise<Results> {
  const loadBefore = os.loadavg()[0] ?? 0;
  const { appUrl, context, sends } = await prepare(server);
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  try {
    step(`Warming up for ${SECONDS.warmUp} s…`);
    await httpPlainReceipts(context, sends, "warm-up", SECONDS.warmUp);
    const small = await fixedLoads(context, sends, admin, appUrl, 10_000);
    const runs = await throughputRuns(server, context, sends, appUrl);
    const large = await fixedLoads(context, sends, admin, appUrl, 1_000_000);
    return {
      ...runs,
      fixed: { small: small.fixed, large: large.fixed },
      light: { small: small.light, large: large.light },
      ledger: checkLedger(),
      loadBefore,
    };
  } finally {
    await admin.end();
  }
}

/** `--quick`: only the warm-up and the plain-receipt throughput over HTTP and as raw SQL, with CPU per receipt. */
async function measureQuickly(server: Server) {
  const { appUrl, context, sends } = await prepare(server);
  const raw = rawClient(appUrl);
  try {
    step(`Warming up for ${SECONDS.warmUp} s…`);
    await httpPlainReceipts(context, sends, "warm-up", SECONDS.warmUp);
    step(`Plain receipts over HTTP for ${SECONDS.throughput} s…`);
    const http = await withCpu(server.pid, () =>
      httpPlainReceipts(context, sends, `plain receipts over HTTP, ${CONCURRENCY} clients`, SECONDS.throughput),
    );
    step(`Plain receipts as raw SQL for ${SECONDS.raw} s…`);
    const rawPhase = await withCpu(server.pid, () => rawPlainReceipts(context, raw));
    const row = (phase: Phase) => [
      phase.name,
      phase.perSecond.toFixed(0),
      ms(phase.latency.p50),
      ms(phase.latency.p99),
      ms(phase.cpu?.next ?? 0),
      ms(phase.cpu?.postgres ?? 0),
      ms(phase.cpu?.bench ?? 0),
    ];
    console.log(
      formatTable(
        ["measurement (quick)", "receipts/s", "p50 ms", "p99 ms", "CPU ms: server", "PostgreSQL", "bench"],
        [row(http), row(rawPhase)],
      ),
    );
    for (const phase of [http, rawPhase]) {
      if (phase.failures.size > 0) console.log(`${phase.name}: failed ${formatFailures(phase.failures)}`);
    }
  } finally {
    await raw.end();
  }
}

async function main() {
  const started = performance.now();
  const quick = process.argv.includes("--quick");
  buildIfStale();
  step(`Starting the production server on port ${PORT} with a fresh database in ${DATA_DIR}…`);
  const server = await launchDemoServer({ dataDir: DATA_DIR, port: PORT });
  process.once("SIGINT", () => void server.stop().then(() => process.exit(130)));
  try {
    if (quick) await measureQuickly(server);
    else printReport(await measure(server));
  } finally {
    step("Stopping the server and PostgreSQL, removing the throw-away database…");
    await server.stop();
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
  step(`Done in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
