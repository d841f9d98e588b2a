// npm start — the production server: Next.js (after `npm run build`) behind a few-second microcache
// of the storefront menu for signed-out guests (server/microcache.ts), answered here, before Next,
// already compressed: a busy morning's guests cost the café's server almost nothing. POS requests
// are answered here too, by the same handler as their Next route (server/pos/fast-lane.ts).
// Usage: tsx server/ops/serve.ts [--port N] [--hostname H] [--workers N]; stops cleanly on SIGINT/SIGTERM
// (running background jobs finish or are handed back to the queue).
// With --workers N (or WEB_WORKERS), N processes serve one port (node:cluster): each is a whole app
// server; what stays per process is listed in README's "How it scales".
import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import next from "next";
import { answerBadPath, refuseUndecodablePath } from "../bad-path";
import { applyEnv, env } from "../env";
import { type CachedPage, MICROCACHE_BYPASS_HEADER, Microcache, microcacheKey, microcacheRequest } from "../microcache";
import { isPosFastLanePath, servePosRequest, webHeaders } from "../pos/fast-lane";
import { stopQueue } from "../queue";
import { scheduleDailyBackups } from "./backup";

const { values: args } = parseArgs({
  options: {
    port: { type: "string" },
    hostname: { type: "string", default: "0.0.0.0" },
    workers: { type: "string" },
  },
});
const port = Number(args.port ?? env().PORT);
// Next's code and ours (links in mail: publicUrl) see the port this server listens on.
applyEnv({ PORT: String(port) });

// Only the server's own fetches may skip the cache: a client cannot make every visit render. The
// workers of --workers N share one token: a worker's fetch may be answered by another worker.
const bypassToken = env().MICROCACHE_BYPASS_TOKEN ?? randomUUID();
const storefrontCache = new Microcache(async (key) => {
  const { path, cookie } = microcacheRequest(key);
  const host = ["0.0.0.0", "::", ""].includes(args.hostname ?? "") ? "127.0.0.1" : args.hostname;
  return fetch(`http://${host}:${port}${path}`, {
    redirect: "manual",
    headers: { [MICROCACHE_BYPASS_HEADER]: bypassToken, cookie },
  });
});

function cookieOf(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const separator = part.indexOf("=");
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      try {
        return decodeURIComponent(part.slice(separator + 1).trim());
      } catch {
        return part.slice(separator + 1).trim();
      }
    }
  }
  return undefined;
}

function send(request: IncomingMessage, response: ServerResponse, { entry, hit }: CachedPage) {
  const gzip = entry.gzipped !== null && /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
  const body = gzip && entry.gzipped ? entry.gzipped : Buffer.from(entry.body);
  for (const [name, value] of entry.headers) response.appendHeader(name, value);
  if (gzip) response.setHeader("content-encoding", "gzip");
  response.appendHeader("vary", "accept-encoding");
  response.setHeader("content-length", body.byteLength);
  response.setHeader("x-request-id", String(request.headers["x-request-id"] ?? randomUUID()));
  response.setHeader("x-zerno-cache", hit ? "hit" : "miss");
  response.writeHead(entry.status);
  response.end(request.method === "HEAD" ? undefined : body);
}

async function main() {
  // No hostname for Next: it then builds request URLs (and so mailed links) from the Host header.
  const app = next({ dev: false, dir: process.cwd(), port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((request, response) => {
    let url: URL;
    try {
      url = new URL(request.url ?? "/", "http://localhost");
    } catch {
      // A request line no URL parser accepts (`GET http://[/`): refused here, never a crash.
      response.setHeader("connection", "close");
      answerBadPath(request, response);
      return;
    }
    if (isPosFastLanePath(request.method ?? "GET", url.pathname)) {
      void servePosRequest(request, response, url);
      return;
    }
    // A path Next's router cannot decode (`/%ff`) would be its bare 500: a 400 page of ours instead.
    if (refuseUndecodablePath(request, response, url.pathname)) return;
    const key = microcacheKey(
      {
        method: request.method ?? "GET",
        pathname: url.pathname,
        search: url.search,
        headers: webHeaders(request),
        cookie: (name) => cookieOf(request, name),
      },
      bypassToken,
    );
    if (!key) {
      void handle(request, response);
      return;
    }
    // A failed render through the cache (this server busy restarting, say): Next answers directly.
    storefrontCache.get(key).then(
      (page) => send(request, response, page),
      () => void handle(request, response),
    );
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, args.hostname, () => {
    console.log(`▲ Zerno ready on http://localhost:${port}`);
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    // Running jobs get five seconds to finish; any still running is handed back for another
    // server to retry (a server killed outright leaves it to expire instead).
    void Promise.all([closed, stopQueue(5_000).catch(() => {})]).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 7_000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/**
 * The primary of `--workers N`: forks the workers (each runs main() and listens on the shared
 * port), replaces one that dies, and on SIGINT/SIGTERM stops them all before it exits.
 */
function superviseWorkers(count: number) {
  let stopping = false;
  const shared = { MICROCACHE_BYPASS_TOKEN: randomUUID() };
  for (let i = 0; i < count; i++) cluster.fork(shared);
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`Zerno worker ${worker.process.pid} exited (${signal ?? code}); starting another.`);
    cluster.fork(shared);
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    setTimeout(() => process.exit(0), 8_000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  console.log(`Zerno: ${count} workers on port ${port}.`);
}

/**
 * Daily backups when the operator asks for them (BACKUP_DAILY=true; off by default in production),
 * by the one process that is not a worker: N workers must not dump the database N times at once.
 */
function scheduleBackupsIfAsked() {
  const config = env();
  if (config.BACKUP_DAILY !== true || !config.DATABASE_URL) return;
  scheduleDailyBackups({
    adminUrl: config.DATABASE_URL,
    folder: path.join(path.resolve(config.DATA_DIR), "backups"),
    keep: config.BACKUP_KEEP,
    log: (line) => console.log(`[zerno] ${line}`),
  });
}

const workers = Number(args.workers ?? env().WEB_WORKERS);
if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
  console.error("--workers (or WEB_WORKERS) must be a whole number from 1 to 64");
  process.exit(1);
}
if (cluster.isPrimary) scheduleBackupsIfAsked();
if (cluster.isPrimary && workers > 1) {
  superviseWorkers(workers);
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
