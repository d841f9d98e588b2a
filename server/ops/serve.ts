// npm start — the production server: Next.js (after `npm run build`) behind a few-second microcache
// of the storefront menu for signed-out guests (server/microcache.ts), answered here, before Next,
// already compressed: a busy morning's guests cost the café's server almost nothing. POS requests
// are answered here too, by the same handler as their Next route (server/pos/fast-lane.ts).
// Usage: tsx server/ops/serve.ts [--port N] [--hostname H]; stops cleanly on SIGINT/SIGTERM.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { answerBadPath, refuseUndecodablePath } from "../bad-path";
import { applyEnv, env } from "../env";
import { type CachedPage, MICROCACHE_BYPASS_HEADER, Microcache, microcacheKey, microcacheRequest } from "../microcache";
import { isPosFastLanePath, servePosRequest, webHeaders } from "../pos/fast-lane";

const { values: args } = parseArgs({
  options: { port: { type: "string" }, hostname: { type: "string", default: "0.0.0.0" } },
});
const port = Number(args.port ?? env().PORT);
// Next's code and ours (links in mail: publicUrl) see the port this server listens on.
applyEnv({ PORT: String(port) });

// Only this process's own fetches may skip the cache: a client cannot make every visit render.
const bypassToken = randomUUID();
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
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
