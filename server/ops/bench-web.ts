// npm run bench:web — the guests' pages on the production build: first-load JavaScript (gzip), server
// response times under 20 concurrent guests, and Lighthouse (mobile) scores, printed next to the targets,
// for the storefront menu (/demo) and the signed-in guest's cabinet (/demo/me). Builds the app as
// `npm run build` does (.next, or NEXT_DIST_DIR) and serves it on a fresh embedded PostgreSQL with the
// demo data (.data/bench-web, port 3310). A few minutes on 2 cores.
// `--skip-build` reuses the last build; `--requests N` sets the requests per page (default 400);
// `--lighthouse-runs N` the Lighthouse runs per page, of which the median counts (default 5, as Lighthouse's
// own guidance on variability recommends: the median of 5 runs wanders less than that of 3). Every run's
// metrics are printed, and its full Lighthouse report (JSON, with the trace's long tasks) is kept in
// .data/lighthouse/ for a closer look (the Lighthouse viewer opens it).
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { encode } from "next-auth/jwt";
import postgres from "postgres";
import { sha256Hex } from "../auth/secrets";
import { env } from "../env";
import { GUEST_SESSION_COOKIE } from "../guest-auth/config";
import { buildForProduction } from "./build";
import { launchDemoServer } from "./launch";
import { formatTable, type LatencySummary, ms, summarizeLatencies } from "./pos-load";

const { values: args } = parseArgs({
  options: {
    "skip-build": { type: "boolean", default: false },
    requests: { type: "string", default: "400" },
    "lighthouse-runs": { type: "string", default: "5" },
  },
});

const PORT = 3310;
const BASE_URL = `http://127.0.0.1:${PORT}`;
const DIST_DIR = env().NEXT_DIST_DIR;
const DATA_DIR = ".data/bench-web";
const REPORT_DIR = ".data/lighthouse";
const TENANT = "demo";
const CONCURRENCY = 20;
const REQUESTS = Math.max(CONCURRENCY, Number(args.requests) || 400);
const WARM_UP_REQUESTS = 2 * CONCURRENCY;
const SEQUENTIAL_REQUESTS = 30;
const LIGHTHOUSE_RUNS = Math.max(1, Number(args["lighthouse-runs"]) || 5);
const CHROMIUM = env().CHROME_PATH;
const TARGETS = { firstLoadKb: 150, menuP95Ms: 100, performance: 90, accessibility: 95 };

type PageName = "menu" | "cabinet";
type Page = { name: PageName; path: string; cookie?: string };

type Bundle = {
  scripts: { url: string; raw: number; gzip: number }[];
  htmlGzip: number;
  /** The page's inline React Server Components payload (self.__next_f), raw bytes. */
  flightRaw: number;
  status: number;
  /** The page's first heading, to tell the page measured from an error or sign-in page. */
  heading: string;
};
type Scores = { performance: number; accessibility: number; bestPractices: number; metrics: Record<string, string> };
type PageResult = {
  page: Page;
  bundle: Bundle;
  latency: LatencySummary;
  perSecond: number;
  statuses: Map<number, number>;
  /** One request at a time: the server's own time without queueing. */
  sequential: LatencySummary;
  lighthouse: Scores | { error: string };
  /** Audits that cost points in the categories with a target, worst first. */
  misses: string[];
};

function step(message: string) {
  console.log(`[bench:web] ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Build and server
// ---------------------------------------------------------------------------------------------

function build() {
  step(`Building for production into ${DIST_DIR} (npm run build)…`);
  const started = performance.now();
  if (!buildForProduction()) throw new Error("next build failed");
  step(`Built in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

// ---------------------------------------------------------------------------------------------
// A signed-in guest
// ---------------------------------------------------------------------------------------------

/**
 * The guest session cookie of the demo café's busiest guest with an email (as the magic link would
 * leave it): a guest account for that email, its server-side session, and the Auth.js JWT the
 * guest instance reads.
 */
async function guestCookie(adminUrl: string): Promise<{ cookie: string; email: string }> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [guest] = await admin<{ id: string; email: string | null }[]>`
      select g.id, g.email from guests g join tenants t on t.id = g.tenant_id
      where t.slug = ${TENANT} and g.deleted_at is null and g.blocked_at is null
      order by (g.email is null), (select count(*) from receipts r where r.tenant_id = g.tenant_id and r.guest_id = g.id) desc
      limit 1`;
    if (!guest) throw new Error(`The ${TENANT} café has no guest`);
    let email = guest.email;
    if (!email) {
      email = "bench-guest@demo.zerno.local";
      await admin`update guests set email = ${email} where id = ${guest.id}`;
    }
    await admin`insert into guest_accounts (email, email_verified) values (${email}, now())
      on conflict (lower(email)) do nothing`;
    const [account] = await admin<{ id: string }[]>`select id from guest_accounts where lower(email) = lower(${email})`;
    if (!account) throw new Error("No guest account");
    const { AUTH_SECRET } = JSON.parse(readFileSync(path.join(DATA_DIR, "secrets.json"), "utf8")) as {
      AUTH_SECRET: string;
    };
    // A session the server knows (guest sessions are revocable: a token without one is signed out).
    const sid = randomBytes(32).toString("base64url");
    await admin`insert into guest_sessions (session_token, account_id, expires)
      values (${sha256Hex(sid)}, ${account.id}, now() + interval '1 day')`;
    const token = await encode({
      token: { gid: account.id, email, sub: account.id, sid },
      secret: AUTH_SECRET,
      salt: GUEST_SESSION_COOKIE,
    });
    return { cookie: `${GUEST_SESSION_COOKIE}=${token}`, email };
  } finally {
    await admin.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------------------------

const headersOf = (page: Page): Record<string, string> => (page.cookie ? { cookie: page.cookie } : {});

/**
 * The script chunks the page's HTML references (script src and script preloads), with their gzip
 * sizes. `noModule` scripts (legacy polyfills) are left out: browsers with ES modules never load them.
 */
async function firstLoad(page: Page): Promise<Bundle> {
  const response = await fetch(new URL(page.path, BASE_URL), { headers: headersOf(page), redirect: "manual" });
  const html = await response.text();
  const urls = new Set<string>();
  for (const tag of html.match(/<script\b[^>]*\bsrc="[^"]+"[^>]*>/g) ?? []) {
    if (/\bnomodule\b/i.test(tag)) continue;
    const src = /\bsrc="([^"]+)"/.exec(tag)?.[1];
    if (src) urls.add(src.replace(/&amp;/g, "&"));
  }
  for (const tag of html.match(/<link\b[^>]*>/g) ?? []) {
    if (!/\bas="script"/.test(tag) && !/\brel="modulepreload"/.test(tag)) continue;
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (href) urls.add(href.replace(/&amp;/g, "&"));
  }
  const scripts = await Promise.all(
    [...urls].map(async (url) => {
      const body = Buffer.from(await (await fetch(new URL(url, BASE_URL))).arrayBuffer());
      return { url, raw: body.length, gzip: gzipSync(body).length };
    }),
  );
  const flight = (html.match(/self\.__next_f\.push\(\[1,"(?:[^"\\]|\\.)*"\]\)/g) ?? []).join("");
  const heading =
    /<h1\b[^>]*>([\s\S]*?)<\/h1>/
      .exec(html)?.[1]
      ?.replace(/<[^>]+>/g, "")
      .trim() ?? "(no h1)";
  return {
    scripts,
    htmlGzip: gzipSync(Buffer.from(html)).length,
    flightRaw: Buffer.byteLength(flight),
    status: response.status,
    heading,
  };
}

/** `CONCURRENCY` guests, each asking for the page again as soon as it has the last one, `requests` in all. */
async function load(page: Page, requests: number) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let issued = 0;
  const started = performance.now();
  const guest = async () => {
    while (issued < requests) {
      issued += 1;
      const begun = performance.now();
      try {
        const response = await fetch(new URL(page.path, BASE_URL), { headers: headersOf(page), redirect: "manual" });
        await response.arrayBuffer();
        latencies.push(performance.now() - begun);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      } catch {
        statuses.set(0, (statuses.get(0) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, guest));
  return {
    latency: summarizeLatencies(latencies),
    perSecond: latencies.length / ((performance.now() - started) / 1000),
    statuses,
  };
}

type LighthouseRun = { scores: Scores; misses: string[] };

/** One run's score and metrics on one line. */
const runLine = (run: LighthouseRun) =>
  `performance ${run.scores.performance}: ${Object.entries(run.scores.metrics)
    .map(([name, value]) => `${name} ${value}`)
    .join(", ")}`;

/** One Lighthouse run with its default (mobile, simulated slow 4G and CPU) settings. */
async function audit(page: Page, port: number, run: number): Promise<LighthouseRun> {
  const result = await lighthouse(new URL(page.path, BASE_URL).toString(), {
    port,
    output: "json",
    logLevel: "error",
    onlyCategories: ["performance", "accessibility", "best-practices"],
    ...(page.cookie ? { extraHeaders: { Cookie: page.cookie } } : {}),
  });
  if (!result) throw new Error("Lighthouse returned nothing");
  const { lhr } = result;
  mkdirSync(REPORT_DIR, { recursive: true });
  writeFileSync(path.join(REPORT_DIR, `${page.name}-${run}.json`), JSON.stringify(lhr));
  if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  const metric = (id: string) => lhr.audits[id]?.displayValue ?? "–";
  const misses = ["performance", "accessibility"].flatMap((category) =>
    (lhr.categories[category]?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0)
      .map((ref) => ({ ref, found: lhr.audits[ref.id] }))
      .filter(({ found }) => found && found.score !== null && found.score < 0.9)
      .sort((a, b) => b.ref.weight - a.ref.weight)
      .map(
        ({ ref, found }) =>
          `${category}: ${ref.id} (weight ${ref.weight}, score ${Math.round((found?.score ?? 0) * 100)}${found?.displayValue ? `, ${found.displayValue}` : ""})`,
      ),
  );
  // Where the main thread went (TBT is the usual miss): by kind of work and by script.
  type Item = {
    group?: string;
    groupLabel?: string;
    url?: string;
    duration?: number;
    total?: number;
    scripting?: number;
    startTime?: number;
  };
  const itemsOf = (id: string) => (lhr.audits[id]?.details as { items?: Item[] } | undefined)?.items ?? [];
  const work = itemsOf("mainthread-work-breakdown")
    .slice(0, 4)
    .map((item) => `${item.groupLabel ?? item.group} ${Math.round(item.duration ?? 0)} ms`);
  const scripts = itemsOf("bootup-time")
    .slice(0, 4)
    .map(
      (item) =>
        `${path.basename(item.url ?? "?")} ${Math.round(item.total ?? 0)} ms (scripting ${Math.round(item.scripting ?? 0)})`,
    );
  // The long tasks (simulated with the 4× slowdown) that make up TBT: what ran, when, how long.
  const longTasks = itemsOf("long-tasks")
    .slice(0, 5)
    .map(
      (item) =>
        `${path.basename(item.url ?? "?")} ${Math.round(item.duration ?? 0)} ms at ${Math.round(item.startTime ?? 0)}`,
    );
  const lcp = JSON.stringify(lhr.audits["largest-contentful-paint-element"]?.details ?? {}).match(
    /"snippet":"((?:[^"\\]|\\.)*)"/,
  )?.[1];
  if (lcp) misses.push(`LCP element: ${lcp.replace(/\\"/g, '"').slice(0, 140)}`);
  if (work.length > 0) misses.push(`main thread: ${work.join(", ")}`);
  if (scripts.length > 0) misses.push(`script boot-up: ${scripts.join(", ")}`);
  if (longTasks.length > 0) misses.push(`long tasks: ${longTasks.join(", ")}`);
  // Lighthouse slows the CPU 4× for "mobile" whatever the machine; its own CPU index says how
  // fast this machine is (a typical desktop scores well above 1000).
  const benchmarkIndex = lhr.environment?.benchmarkIndex;
  if (benchmarkIndex) misses.push(`this machine's Lighthouse CPU benchmark index: ${Math.round(benchmarkIndex)}`);
  return {
    scores: {
      performance: score("performance"),
      accessibility: score("accessibility"),
      bestPractices: score("best-practices"),
      metrics: {
        FCP: metric("first-contentful-paint"),
        LCP: metric("largest-contentful-paint"),
        TBT: metric("total-blocking-time"),
        CLS: metric("cumulative-layout-shift"),
        SI: metric("speed-index"),
      },
    },
    misses,
  };
}

/** `count` requests one after another. */
async function sequential(page: Page, count: number): Promise<LatencySummary> {
  const latencies: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const begun = performance.now();
    const response = await fetch(new URL(page.path, BASE_URL), { headers: headersOf(page), redirect: "manual" });
    await response.arrayBuffer();
    latencies.push(performance.now() - begun);
  }
  return summarizeLatencies(latencies);
}

async function measurePage(page: Page, port: number): Promise<PageResult> {
  step(`${page.path}: first-load JavaScript…`);
  const bundle = await firstLoad(page);
  step(
    `${page.path}: warm-up (${WARM_UP_REQUESTS} requests), ${SEQUENTIAL_REQUESTS} one at a time, then ${REQUESTS} by ${CONCURRENCY} guests…`,
  );
  await load(page, WARM_UP_REQUESTS);
  const alone = await sequential(page, SEQUENTIAL_REQUESTS);
  const measured = await load(page, REQUESTS);
  let lighthouseResult: Scores | { error: string };
  let misses: string[] = [];
  try {
    // Performance scores wander from run to run (more so on a busy machine): the median run counts.
    const runs: LighthouseRun[] = [];
    for (let run = 1; run <= LIGHTHOUSE_RUNS; run += 1) {
      step(`${page.path}: Lighthouse (mobile), run ${run} of ${LIGHTHOUSE_RUNS}…`);
      const done = await audit(page, port, run);
      step(`${page.path}: run ${run}: ${runLine(done)}`);
      runs.push(done);
    }
    runs.sort((a, b) => a.scores.performance - b.scores.performance);
    const median = runs[Math.floor(runs.length / 2)] as LighthouseRun;
    lighthouseResult = median.scores;
    misses = [
      `performance over ${runs.length} runs: ${runs.map((run) => run.scores.performance).join(", ")}`,
      ...runs.map((run, index) => `run ${index + 1} (sorted by score): ${runLine(run)}`),
      ...median.misses,
    ];
  } catch (error) {
    lighthouseResult = { error: error instanceof Error ? error.message : String(error) };
  }
  return { page, bundle, ...measured, sequential: alone, lighthouse: lighthouseResult, misses };
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

const kb = (bytes: number) => (bytes / 1000).toFixed(1);
const verdict = (pass: boolean) => (pass ? "pass" : "MISS");
const sumGzip = (bundle: Bundle) => bundle.scripts.reduce((sum, script) => sum + script.gzip, 0);
const statusText = (statuses: Map<number, number>) =>
  [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status === 0 ? "no answer" : status}×${count}`)
    .join(", ");

function report(results: PageResult[], loadBefore: number) {
  const lines: string[] = [
    "",
    `Web benchmark — ${CONCURRENCY} concurrent guests, ${REQUESTS} requests per page, ${os.cpus().length} cores, ` +
      `load average ${loadBefore.toFixed(1)} before and ${os.loadavg()[0]?.toFixed(1)} after`,
    "",
    formatTable(
      [
        "page",
        "status, h1",
        "scripts",
        "JS gzip kB",
        "JS raw kB",
        "HTML gzip kB",
        "RSC payload kB",
        "alone p50 ms",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "answers",
      ],
      results.map((result) => [
        result.page.path,
        `${result.bundle.status} «${result.bundle.heading.slice(0, 30)}»`,
        result.bundle.scripts.length,
        kb(sumGzip(result.bundle)),
        kb(result.bundle.scripts.reduce((sum, script) => sum + script.raw, 0)),
        kb(result.bundle.htmlGzip),
        kb(result.bundle.flightRaw),
        ms(result.sequential.p50),
        result.perSecond.toFixed(0),
        ms(result.latency.p50),
        ms(result.latency.p95),
        ms(result.latency.p99),
        statusText(result.statuses),
      ]),
    ),
    "",
    formatTable(
      ["page", "performance", "accessibility", "best practices", "FCP", "LCP", "TBT", "CLS", "Speed Index"],
      results.map((result) =>
        "error" in result.lighthouse
          ? [result.page.path, `Lighthouse failed: ${result.lighthouse.error}`, "", "", "", "", "", "", ""]
          : [
              result.page.path,
              result.lighthouse.performance,
              result.lighthouse.accessibility,
              result.lighthouse.bestPractices,
              result.lighthouse.metrics.FCP ?? "",
              result.lighthouse.metrics.LCP ?? "",
              result.lighthouse.metrics.TBT ?? "",
              result.lighthouse.metrics.CLS ?? "",
              result.lighthouse.metrics.SI ?? "",
            ],
      ),
    ),
    "",
  ];
  const rows: string[][] = [];
  for (const result of results) {
    const name = result.page.path;
    const js = sumGzip(result.bundle) / 1000;
    rows.push([
      `${name} first-load JS (gzip)`,
      `${js.toFixed(1)} kB`,
      `≤ ${TARGETS.firstLoadKb} kB`,
      verdict(js <= TARGETS.firstLoadKb),
    ]);
    if (result.page.name === "menu") {
      rows.push([
        `${name} p95 at ${CONCURRENCY} guests`,
        `${ms(result.latency.p95)} ms`,
        `≤ ${TARGETS.menuP95Ms} ms`,
        verdict(result.latency.p95 <= TARGETS.menuP95Ms),
      ]);
    }
    if (!("error" in result.lighthouse)) {
      const { performance: perf, accessibility } = result.lighthouse;
      rows.push([
        `${name} Lighthouse performance`,
        String(perf),
        `≥ ${TARGETS.performance}`,
        verdict(perf >= TARGETS.performance),
      ]);
      rows.push([
        `${name} Lighthouse accessibility`,
        String(accessibility),
        `≥ ${TARGETS.accessibility}`,
        verdict(accessibility >= TARGETS.accessibility),
      ]);
    } else {
      rows.push([`${name} Lighthouse`, "failed", "", "MISS"]);
    }
  }
  lines.push(formatTable(["target", "measured", "goal", "result"], rows));
  for (const result of results) {
    const biggest = [...result.bundle.scripts].sort((a, b) => b.gzip - a.gzip).slice(0, 5);
    lines.push(
      "",
      `${result.page.path}: largest scripts (gzip kB): ${biggest.map((s) => `${path.basename(s.url)} ${kb(s.gzip)}`).join(", ")}`,
    );
    if (result.misses.length > 0) {
      lines.push(`${result.page.path}: Lighthouse, what costs points:`, ...result.misses.map((miss) => `  - ${miss}`));
    }
  }
  console.log(lines.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

async function main() {
  const started = performance.now();
  const loadBefore = os.loadavg()[0] ?? 0;
  if (!args["skip-build"]) build();
  step(`Starting the production server on port ${PORT} with a fresh database in ${DATA_DIR}…`);
  const server = await launchDemoServer({ dataDir: DATA_DIR, port: PORT });
  let chrome: chromeLauncher.LaunchedChrome | undefined;
  const cleanUp = async () => {
    await chrome?.kill();
    await server.stop();
    rmSync(DATA_DIR, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void cleanUp().then(() => process.exit(130)));
  try {
    step("Signing a demo guest in (a guest account and its session cookie)…");
    const guest = await guestCookie(server.adminUrl);
    const pages: Page[] = [
      { name: "menu", path: `/${TENANT}` },
      { name: "cabinet", path: `/${TENANT}/me`, cookie: guest.cookie },
    ];
    // Measure the pages themselves, never a redirect to sign-in in their place.
    for (const page of pages) {
      const answer = await fetch(`http://127.0.0.1:${PORT}${page.path}`, {
        headers: headersOf(page),
        redirect: "manual",
      });
      if (answer.status !== 200) throw new Error(`${page.path} answered ${answer.status}, not the page to measure`);
    }
    step(`Launching ${CHROMIUM} for Lighthouse…`);
    chrome = await chromeLauncher.launch({
      chromePath: CHROMIUM,
      chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
    });
    const results: PageResult[] = [];
    for (const page of pages) results.push(await measurePage(page, chrome.port));
    report(results, loadBefore);
  } finally {
    step(`Lighthouse reports (JSON) are in ${REPORT_DIR}/.`);
    step("Stopping Chromium, the server and PostgreSQL, removing the throw-away database…");
    await cleanUp();
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
