// npm run pos:simulate -- --tenant demo --location tverskaya --rate 20 --duration 60 [--url http://localhost:3000]
//   [--key zk_live_…] [--seed N]: plays a café's day against the POS API over HTTP only, prints a sample of the
//   actions and a summary table, and exits 1 if any answer was one the simulator did not expect.
import { setMaxListeners } from "node:events";
import { realpathSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { openDatabase } from "@/db/client";
import { EnvError, env } from "../env";
import { POS_REQUESTS_PER_SECOND } from "../pos/rate-limit";
import { openOpsDatabase } from "./database";
import {
  createPosKeys,
  type EnrolReply,
  type ErrorReply,
  fiscalData,
  freshPhone,
  type HoldReply,
  type IdentifyReply,
  loadTenantFixture,
  type MenuItem,
  NO_ANSWER,
  type PosAnswer,
  type PosCall,
  type PosSend,
  phoneForms,
  posHttp,
  type Random,
  type ReceiptLine,
  type ReceiptReply,
  type RefundReply,
  type Regular,
  randomBasket,
  receiptPayload,
  StatusTally,
  type StoredReceiptReply,
  seededRandom,
  sumAmounts,
} from "./pos-load";

export type SimTenant = { regulars: Regular[]; menu: readonly MenuItem[] };

/** One request of the simulation and what came of it. */
export type ActionResult = {
  flow: string;
  /** The route, ids replaced by their names: "POST /receipts/{externalId}/refunds". */
  endpoint: string;
  call: PosCall;
  status: number;
  expected: readonly number[];
  unexpected: boolean;
  latencyMs: number;
  body: unknown;
  /** What happened, in words, for the log. */
  note: string;
};

export type SimulateOptions = {
  baseUrl: string;
  key: string;
  tenant: SimTenant;
  /** Requests per second. */
  rate: number;
  /** Seconds. */
  duration: number;
  signal?: AbortSignal;
  onResult?: (result: ActionResult) => void;
  /** Replays a run's choices; the clock by default. */
  seed?: number;
  /** Starts every externalId, so that runs and tills never collide. */
  idPrefix?: string;
};

export type SimulationReport = { tally: StatusTally; unexpected: ActionResult[]; seed: number; elapsedMs: number };

/** Plays the café's day: `rate` requests a second for `duration` seconds, in realistic flows. */
export async function simulate(options: SimulateOptions): Promise<SimulationReport> {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const random = seededRandom(seed);
  const send = posHttp(options.baseUrl, options.key);
  const tally = new StatusTally();
  const unexpected: ActionResult[] = [];
  const pace = createPacer(options.rate);
  const pool = new GuestPool(options.tenant.regulars);
  const runId = `${options.idPrefix ?? "SIM"}-${seed.toString(36)}`;
  let receipts = 0;
  // A signal of our own: every waiting till and open request listens to it, past Node's default of 10.
  const signal = AbortSignal.any(options.signal ? [options.signal] : []);
  setMaxListeners(0, signal);

  const stepFor =
    (flow: string): Step =>
    async <T>(call: PosCall, expected: readonly number[], check?: (body: T) => string | undefined) => {
      if (signal.aborted) throw new FlowStopped();
      await pace(signal);
      const answer = await send<T>(call, signal);
      const result = judge(flow, call, answer, expected, check, signal);
      tally.record(result.endpoint, result.status, result.latencyMs);
      if (result.unexpected) unexpected.push(result);
      options.onResult?.(result);
      if (result.unexpected || answer.status === NO_ANSWER) throw new FlowStopped();
      return answer;
    };

  const started = performance.now();
  const deadline = started + options.duration * 1000;
  const worker = async () => {
    while (performance.now() < deadline && !signal.aborted) {
      const picked = pickFlow(random);
      const regular = picked.needsRegular ? pool.checkout(random) : null;
      // Every regular is at another till: a walk-in instead.
      const flow = picked.needsRegular && !regular ? ANONYMOUS : picked;
      const context: FlowContext = {
        step: stepFor(flow.name),
        random,
        menu: options.tenant.menu,
        regular,
        newExternalId: () => `${runId}-${String(++receipts).padStart(6, "0")}`,
        newFiscal: () => fiscalData(random, receipts),
        enrolled: (guest) => pool.add(guest),
      };
      try {
        await flow.run(context);
      } catch (error) {
        if (!(error instanceof FlowStopped)) throw error;
      } finally {
        if (regular) pool.release(regular);
      }
    }
  };
  // Enough tills that slow answers do not lower the rate; each keeps its guest for a whole check.
  const tills = Math.min(256, Math.max(2, Math.ceil(options.rate / 2)));
  await Promise.all(Array.from({ length: tills }, worker));
  return { tally, unexpected, seed, elapsedMs: performance.now() - started };
}

/** Guests enrolled through POST /guests, for a tenant that has none yet. */
export async function enrolRegulars(send: PosSend, random: Random, count: number): Promise<Regular[]> {
  const regulars: Regular[] = [];
  while (regulars.length < count) {
    const phone = freshPhone(random);
    const reply = await send<EnrolReply>({ method: "POST", path: "/guests", body: { phone, consent: true } });
    if (reply.status !== 201) throw new Error(`Enrolment answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    regulars.push({ id: reply.body.guest.id, phone, cardCode: reply.body.guest.cardCode });
  }
  return regulars;
}

// ---------------------------------------------------------------------------------------------
// Flows: one check at the counter each
// ---------------------------------------------------------------------------------------------

/** Thrown out of a flow when an answer makes the rest of its check pointless (or the run stops). */
class FlowStopped extends Error {}

type Step = <T>(
  call: PosCall,
  expected: readonly number[],
  check?: (body: T) => string | undefined,
) => Promise<PosAnswer<T>>;

type FlowContext = {
  step: Step;
  random: Random;
  menu: readonly MenuItem[];
  /** The guest at the counter, held by this flow alone (null for flows without one). */
  regular: Regular | null;
  newExternalId: () => string;
  newFiscal: () => { fn: string; fd: string; fp: string };
  /** Adds a guest enrolled by the flow to the regulars. */
  enrolled: (guest: Regular) => void;
};

type Flow = { name: string; weight: number; needsRegular: boolean; run: (context: FlowContext) => Promise<void> };

const ANONYMOUS: Flow = { name: "anonymous", weight: 15, needsRegular: false, run: anonymousCheck };
const FLOWS: readonly Flow[] = [
  { name: "hold-and-commit", weight: 26, needsRegular: true, run: holdAndCommit },
  { name: "identify-and-pay", weight: 18, needsRegular: true, run: identifyAndPay },
  { name: "voided-hold", weight: 7, needsRegular: true, run: voidedHold },
  ANONYMOUS,
  { name: "pos-retry", weight: 8, needsRegular: true, run: posRetry },
  { name: "hold-retry", weight: 4, needsRegular: true, run: holdRetry },
  { name: "conflicting-reuse", weight: 3, needsRegular: false, run: conflictingReuse },
  { name: "refunds", weight: 10, needsRegular: true, run: refunds },
  { name: "enrolment", weight: 5, needsRegular: false, run: enrolment },
  { name: "unknown-card", weight: 5, needsRegular: false, run: unknownCard },
  { name: "program", weight: 3, needsRegular: false, run: readProgram },
];
const TOTAL_WEIGHT = FLOWS.reduce((sum, flow) => sum + flow.weight, 0);

function pickFlow(random: Random): Flow {
  let ticket = random.next() * TOTAL_WEIGHT;
  for (const flow of FLOWS) {
    ticket -= flow.weight;
    if (ticket < 0) return flow;
  }
  return FLOWS[0] as Flow;
}

function guestOf(context: FlowContext): Regular {
  if (!context.regular) throw new Error("This flow needs a guest");
  return context.regular;
}

/** The card code or the phone in one of the forms baristas type. */
function identifierOf(random: Random, guest: Regular): string {
  return guest.phone && random.chance(0.5) ? random.pick(phoneForms(guest.phone)) : guest.cardCode;
}

async function identify(context: FlowContext, identifier: string, basket?: ReceiptLine[]) {
  const guest = guestOf(context);
  return context.step<IdentifyReply>(
    { method: "POST", path: "/guests/identify", body: { identifier, basket } },
    [200],
    (body) => (body.guest.id === guest.id ? undefined : `identified ${body.guest.id}, not ${guest.id}`),
  );
}

function postReceipt(
  context: FlowContext,
  body: ReturnType<typeof receiptPayload>,
  expected: readonly number[] = [201],
) {
  return context.step<ReceiptReply>({ method: "POST", path: "/receipts", body }, expected, (reply) =>
    reply.receipt.total === body.total ? undefined : `stored total ${reply.receipt.total}, sent ${body.total}`,
  );
}

function hold(context: FlowContext, basket: ReceiptLine[], maxPoints: number, externalCheckId?: string) {
  const points = context.random.int(1, maxPoints);
  const body = { guestId: guestOf(context).id, points, checkTotal: sumAmounts(basket), externalCheckId };
  return context.step<HoldReply>({ method: "POST", path: "/redemptions", body }, [201], (reply) =>
    reply.redemption.status === "held" && reply.redemption.points === points ? undefined : "hold not as asked",
  );
}

/** Identify with the basket, hold what the guest may redeem, close the check committing the hold. */
async function holdAndCommit(context: FlowContext) {
  const guest = guestOf(context);
  const basket = randomBasket(context.random, context.menu);
  const seen = await identify(context, identifierOf(context.random, guest), basket);
  const redemptionId =
    seen.body.maxRedeemablePoints > 0
      ? (await hold(context, basket, seen.body.maxRedeemablePoints)).body.redemption.id
      : undefined;
  await postReceipt(context, receiptPayload(context.newExternalId(), basket, { guestId: guest.id, redemptionId }));
}

/** Identify without a basket, then name the guest inside the receipt by the same identifier. */
async function identifyAndPay(context: FlowContext) {
  const identifier = identifierOf(context.random, guestOf(context));
  await identify(context, identifier);
  const basket = randomBasket(context.random, context.menu);
  await postReceipt(context, receiptPayload(context.newExternalId(), basket, { guest: { identifier } }));
}

/** The guest changes their mind: the hold is voided and the check closes without points. */
async function voidedHold(context: FlowContext) {
  const guest = guestOf(context);
  const basket = randomBasket(context.random, context.menu);
  const seen = await identify(context, guest.cardCode, basket);
  if (seen.body.maxRedeemablePoints > 0) {
    const held = await hold(context, basket, seen.body.maxRedeemablePoints);
    await context.step<HoldReply>(
      { method: "DELETE", path: `/redemptions/${held.body.redemption.id}` },
      [200],
      (body) => (body.redemption.status === "voided" ? undefined : `status ${body.redemption.status} after void`),
    );
  }
  await postReceipt(context, receiptPayload(context.newExternalId(), basket, { guestId: guest.id }));
}

/** A walk-in without a card: the check is stored with its fiscal data and earns nothing. */
async function anonymousCheck(context: FlowContext) {
  const basket = randomBasket(context.random, context.menu);
  const body = receiptPayload(context.newExternalId(), basket, { fiscal: context.newFiscal() });
  await context.step<ReceiptReply>({ method: "POST", path: "/receipts", body }, [201], (reply) =>
    reply.guest === null && reply.receipt.pointsEarned === 0 ? undefined : "an anonymous check earned points",
  );
}

/** The till did not see the answer and sends the same check again: 200 with the first answer. */
async function posRetry(context: FlowContext) {
  const basket = randomBasket(context.random, context.menu);
  const body = receiptPayload(context.newExternalId(), basket, { guestId: guestOf(context).id });
  const first = await postReceipt(context, body);
  await context.step<ReceiptReply>({ method: "POST", path: "/receipts", body }, [200], (reply) =>
    isDeepStrictEqual(reply, first.body) ? undefined : "the replay differs from the first answer",
  );
}

/** The till did not see the hold's answer and holds again for the same check: the first hold comes back. */
async function holdRetry(context: FlowContext) {
  const guest = guestOf(context);
  const basket = randomBasket(context.random, context.menu);
  const seen = await identify(context, guest.cardCode, basket);
  const externalId = context.newExternalId();
  let redemptionId: string | undefined;
  if (seen.body.maxRedeemablePoints > 0) {
    const first = await hold(context, basket, seen.body.maxRedeemablePoints, externalId);
    const body = {
      guestId: guest.id,
      points: first.body.redemption.points,
      checkTotal: sumAmounts(basket),
      externalCheckId: externalId,
    };
    await context.step<HoldReply>({ method: "POST", path: "/redemptions", body }, [200], (reply) =>
      reply.redemption.id === first.body.redemption.id ? undefined : "the retried hold made a second hold",
    );
    redemptionId = first.body.redemption.id;
  }
  await postReceipt(context, receiptPayload(externalId, basket, { guestId: guest.id, redemptionId }));
}

/** A buggy till reuses an externalId for another check: 409 idempotency_conflict. */
async function conflictingReuse(context: FlowContext) {
  const basket = randomBasket(context.random, context.menu);
  const body = receiptPayload(context.newExternalId(), basket);
  await postReceipt(context, body);
  const other = receiptPayload(body.externalId, [...basket, ...randomBasket(context.random, context.menu, 1)]);
  await context.step<ErrorReply>({ method: "POST", path: "/receipts", body: other }, [409], (reply) =>
    reply.error.code === "idempotency_conflict" ? undefined : `code ${reply.error.code}`,
  );
}

/** A partial refund (sent twice), one refund too many, the rest, then the receipt read back. */
async function refunds(context: FlowContext) {
  const basket = randomBasket(context.random, context.menu);
  const receipt = receiptPayload(context.newExternalId(), basket, { guestId: guestOf(context).id });
  await postReceipt(context, receipt);
  const path = `/receipts/${encodeURIComponent(receipt.externalId)}/refunds`;
  const partial = Math.max(1, context.random.int(1, Math.floor(receipt.total / 2)));
  const rest = receipt.total - partial;
  const first = { externalRefundId: `${receipt.externalId}-RF1`, amount: partial };
  const answered = await context.step<RefundReply>({ method: "POST", path, body: first }, [201]);
  await context.step<RefundReply>({ method: "POST", path, body: first }, [200], (reply) =>
    isDeepStrictEqual(reply, answered.body) ? undefined : "the refund replay differs from the first answer",
  );
  const tooMuch = { externalRefundId: `${receipt.externalId}-RF2`, amount: rest + 1 };
  await context.step<ErrorReply>({ method: "POST", path, body: tooMuch }, [422], (reply) =>
    reply.error.code === "refund_exceeds_receipt" ? undefined : `code ${reply.error.code}`,
  );
  if (rest > 0) {
    await context.step<RefundReply>(
      { method: "POST", path, body: { externalRefundId: `${receipt.externalId}-RF3`, amount: rest } },
      [201],
    );
  }
  await context.step<StoredReceiptReply>(
    { method: "GET", path: `/receipts/${encodeURIComponent(receipt.externalId)}` },
    [200],
    (reply) => (sumAmounts(reply.refunds) === receipt.total ? undefined : "the refunds do not add up to the check"),
  );
}

/** A new guest signs up at the counter and pays with the fresh card at once. */
async function enrolment(context: FlowContext) {
  const phone = freshPhone(context.random);
  const body = { phone: context.random.pick(phoneForms(phone)), name: "Гость", consent: true };
  const enrolled = await context.step<EnrolReply>({ method: "POST", path: "/guests", body }, [201]);
  const guest = { id: enrolled.body.guest.id, phone, cardCode: enrolled.body.guest.cardCode };
  const basket = randomBasket(context.random, context.menu);
  await postReceipt(
    context,
    receiptPayload(context.newExternalId(), basket, { guest: { identifier: guest.cardCode } }),
  );
  context.enrolled(guest);
}

/** A card that was never issued (printed codes never start with 0): 404 guest_not_found. */
async function unknownCard(context: FlowContext) {
  const identifier = `0${context.random.digits(9)}`;
  await context.step<ErrorReply>({ method: "POST", path: "/guests/identify", body: { identifier } }, [404], (reply) =>
    reply.error.code === "guest_not_found" ? undefined : `code ${reply.error.code}`,
  );
}

async function readProgram(context: FlowContext) {
  await context.step({ method: "GET", path: "/program" }, [200]);
}

// ---------------------------------------------------------------------------------------------
// Pacing, guests, judging
// ---------------------------------------------------------------------------------------------

/**
 * Hands out request start times 1/rate s apart. A caller that comes late goes at once, but lateness
 * never piles up into a burst (which would trip the per-key rate limit).
 */
function createPacer(rate: number) {
  const interval = 1000 / rate;
  let next = performance.now();
  return async (signal?: AbortSignal) => {
    const now = performance.now();
    const at = Math.max(next, now - interval);
    next = at + interval;
    if (at > now) await sleep(at - now, undefined, { signal }).catch(() => {});
  };
}

/** The regulars, each at the counter of at most one till at a time (so balances are predictable). */
class GuestPool {
  private readonly busy = new Set<string>();
  constructor(private readonly regulars: Regular[]) {}

  checkout(random: Random): Regular | null {
    for (let attempt = 0; attempt < 8 && this.regulars.length > 0; attempt++) {
      const guest = random.pick(this.regulars);
      if (this.busy.has(guest.id)) continue;
      this.busy.add(guest.id);
      return guest;
    }
    return null;
  }

  release(guest: Regular): void {
    this.busy.delete(guest.id);
  }

  add(guest: Regular): void {
    this.regulars.push(guest);
  }
}

function judge<T>(
  flow: string,
  call: PosCall,
  answer: PosAnswer<T>,
  expected: readonly number[],
  check: ((body: T) => string | undefined) | undefined,
  signal: AbortSignal | undefined,
): ActionResult {
  const stoppedByUs = answer.status === NO_ANSWER && signal?.aborted === true;
  const problem = expected.includes(answer.status) ? check?.(answer.body) : undefined;
  const unexpected = !stoppedByUs && (!expected.includes(answer.status) || problem !== undefined);
  const note = problem ? `${describeAnswer(call, answer)} — ${problem}` : describeAnswer(call, answer);
  return {
    flow,
    endpoint: endpointOf(call),
    call,
    status: answer.status,
    expected,
    unexpected,
    latencyMs: answer.latencyMs,
    body: answer.body,
    note,
  };
}

export function endpointOf(call: PosCall): string {
  const route = call.path
    .replace(/^\/receipts\/[^/]+\/refunds$/, "/receipts/{externalId}/refunds")
    .replace(/^\/receipts\/[^/]+$/, "/receipts/{externalId}")
    .replace(/^\/redemptions\/[^/]+$/, "/redemptions/{id}");
  return `${call.method} ${route}`;
}

const roubles = (minor: number) => `${(minor / 100).toFixed(2)} ₽`;

/** One line on what an answer says. */
function describeAnswer(call: PosCall, answer: PosAnswer<unknown>): string {
  const body = answer.body as Record<string, unknown> & Partial<ReceiptReply & IdentifyReply & HoldReply & RefundReply>;
  const sent = (call.body ?? {}) as Record<string, unknown>;
  if (answer.status === NO_ANSWER) return `no answer (${String((body as { error?: unknown }).error)})`;
  if (answer.status >= 400)
    return `${(body as ErrorReply).error?.code ?? "?"}: ${(body as ErrorReply).error?.message ?? ""}`;
  const balance = body.guest && "balance" in body.guest ? ` → balance ${body.guest.balance}` : "";
  if (body.refund) {
    return `${body.refund.externalRefundId} ${roubles(body.refund.amount)}, reversed ${body.refund.pointsReversed}, returned ${body.refund.pointsReturned}${balance}`;
  }
  if (body.receipt) {
    const who = body.guest ? `${body.guest.tier}${balance}` : "anonymous";
    return `${body.receipt.externalId} ${roubles(body.receipt.total)}, redeemed ${body.receipt.pointsRedeemed}, earned ${body.receipt.pointsEarned}, ${who}`;
  }
  if (body.redemption) return `${body.redemption.status} ${body.redemption.points ?? ""} points${balance}`.trim();
  if ("maxRedeemablePoints" in body) {
    return `${String(sent.identifier)} is ${body.guest?.tier}${balance}, may redeem ${body.maxRedeemablePoints}`;
  }
  if (call.path === "/guests") return `${String(sent.phone)} enrolled${balance}`;
  return "ok";
}

/** The summary: statuses and latencies per endpoint, then every unexpected answer (the first 20). */
export function formatSimulationReport(report: SimulationReport): string {
  const seconds = report.elapsedMs / 1000;
  const lines = [
    "",
    `${report.tally.total} requests in ${seconds.toFixed(1)} s (${(report.tally.total / seconds).toFixed(1)}/s), seed ${report.seed}`,
    "",
    report.tally.table(),
    "",
  ];
  if (report.unexpected.length === 0) return [...lines, "Unexpected answers: none"].join("\n");
  lines.push(`Unexpected answers: ${report.unexpected.length}`);
  for (const result of report.unexpected.slice(0, 20)) {
    lines.push(
      `  ${result.flow}: ${result.call.method} ${result.call.path} → ${result.status} (expected ${result.expected.join("/")}): ${result.note}`,
    );
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------------------------

type CliOptions = {
  tenant: string;
  location: string;
  rate: number;
  duration: number;
  url: string;
  key?: string;
  seed?: number;
};

function parseCli(): CliOptions {
  const { values } = parseArgs({
    options: {
      tenant: { type: "string", default: "demo" },
      location: { type: "string", default: "tverskaya" },
      rate: { type: "string", default: "20" },
      duration: { type: "string", default: "60" },
      url: { type: "string", default: "http://localhost:3000" },
      key: { type: "string" },
      seed: { type: "string" },
    },
  });
  const positive = (name: string, text: string) => {
    const value = Number(text);
    if (!(value > 0)) throw new EnvError(`--${name} must be a positive number`);
    return value;
  };
  return {
    tenant: values.tenant,
    location: values.location,
    rate: positive("rate", values.rate),
    duration: positive("duration", values.duration),
    url: values.url,
    key: values.key,
    seed: values.seed === undefined ? undefined : Number(values.seed),
  };
}

/** The tenant's regulars and menu, and a key for the location (made here when none is given). */
async function prepare(options: CliOptions): Promise<{ tenant: SimTenant; key: string }> {
  const database = await openOpsDatabase(env(), { log: () => {} });
  const app = openDatabase(database.appUrl, { max: 2 });
  try {
    const fixture = await loadTenantFixture(app.db, options.tenant);
    const [till] = options.key
      ? [{ key: options.key }]
      : await createPosKeys(app.db, {
          tenantId: fixture.tenantId,
          locations: [options.location],
          count: 1,
          name: "Simulator till",
        });
    if (!till) throw new Error("No POS key");
    return { tenant: fixture, key: till.key };
  } finally {
    await app.client.end();
    await database.stop();
  }
}

function clock(): string {
  return new Date().toISOString().slice(11, 23);
}

async function main(): Promise<number> {
  const options = parseCli();
  const { tenant, key } = await prepare(options);
  if (tenant.regulars.length === 0) {
    tenant.regulars = await enrolRegulars(posHttp(options.url, key), seededRandom(Date.now()), 20);
  }
  if (options.rate > POS_REQUESTS_PER_SECOND) {
    console.warn(`Warning: one key is limited to ${POS_REQUESTS_PER_SECOND} requests/s; expect 429s.`);
  }
  console.log(
    `Simulating ${options.tenant}/${options.location} at ${options.url}: ${options.rate} requests/s for ${options.duration} s, ${tenant.regulars.length} regulars`,
  );
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  const sampleEvery = Math.max(1, Math.round(options.rate / 10));
  let seen = 0;
  const report = await simulate({
    baseUrl: options.url,
    key,
    tenant,
    rate: options.rate,
    duration: options.duration,
    seed: options.seed,
    signal: controller.signal,
    onResult: (result) => {
      seen += 1;
      if (!result.unexpected && seen % sampleEvery !== 0) return;
      const mark = result.unexpected ? "UNEXPECTED " : "";
      console.log(
        `${clock()}  ${result.flow.padEnd(17)} ${`${result.call.method} ${result.call.path}`.padEnd(46)} ${mark}${result.status}  ${result.latencyMs.toFixed(0).padStart(4)} ms  ${result.note}`,
      );
    },
  });
  console.log(formatSimulationReport(report));
  return report.unexpected.length > 0 ? 1 : 0;
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof EnvError ? error.message : error);
      process.exit(1);
    },
  );
}
