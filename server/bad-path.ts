/**
 * Request paths the server cannot decode. A percent-escape that is not UTF-8 (`/%ff`, `/%e0%a4`)
 * or a lone `%` makes Next.js's router throw while matching the route, and with no Pages Router
 * error page Next then answers a bare "Internal Server Error" and logs nothing. The production
 * server (server/ops/serve.ts) asks here first and answers such a request itself: 400 with a
 * small page of its own in the app's colours (no JavaScript, both languages, since no language
 * is known yet), logged as a warning with the request id.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { logger, REQUEST_ID_HEADER } from "./log";

/** Whether `pathname` (as the request sent it, percent-encoded) cannot be percent-decoded. */
export function isUndecodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The request's id as a load balancer set it, when it is a plain token, else a new one. */
export function requestIdOf(request: IncomingMessage): string {
  const header = request.headers[REQUEST_ID_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  return value && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** The 400 page: self-contained (inline style, no script), Russian first, English beside it. */
export function badPathPage(requestId: string): string {
  const reference = requestId.replace(/[^\w.:-]/g, "");
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Неверный адрес · Bad address — Zerno</title>
<style>
body{margin:0;min-height:100vh;background:#f6efe6;color:#3b2418;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-font-smoothing:antialiased}
main{box-sizing:border-box;max-width:36rem;min-height:100vh;margin:0 auto;padding:1.5rem;display:flex;flex-direction:column;align-items:flex-start;justify-content:center;gap:1rem}
.status{margin:0;font-size:3.75rem;line-height:1;font-weight:700;color:#7a4a2b}
h1{margin:0;font-size:1.5rem;font-weight:700}
p{margin:0}
a{border-radius:.5rem;background:#3b2418;color:#f6efe6;padding:.5rem 1rem;font-weight:600;text-decoration:none}
a:focus-visible{outline:3px solid #2f6b4f;outline-offset:2px}
.ref{font-size:.875rem}
</style>
</head>
<body>
<main id="main">
<p class="status" aria-hidden="true">400</p>
<h1>Неверный адрес страницы <span lang="en">· Bad page address</span></h1>
<p>В адресе есть символы, которые не удалось прочитать. Проверьте ссылку или начните с главной.</p>
<p lang="en">The address holds characters that could not be read. Check the link or start from the home page.</p>
<a href="/">На главную / <span lang="en">Home</span></a>
<p class="ref">Код для поддержки / <span lang="en">Reference</span>: <code>${reference}</code></p>
</main>
</body>
</html>
`;
}

type WarnLogger = { warn: (details: Record<string, unknown>, message: string) => void };

/**
 * Answers a request whose path cannot be decoded (400, `badPathPage`, logged with its request
 * id) and returns true; returns false, answering nothing, for any other request.
 */
export function refuseUndecodablePath(
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  log: WarnLogger = logger(),
): boolean {
  if (!isUndecodablePath(pathname)) return false;
  answerBadPath(request, response, log);
  return true;
}

/** Answers 400 with `badPathPage` and logs a warning with the request id (any unreadable request target). */
export function answerBadPath(request: IncomingMessage, response: ServerResponse, log: WarnLogger = logger()): void {
  const requestId = requestIdOf(request);
  log.warn(
    { requestId, method: request.method, path: (request.url ?? "").slice(0, 512) },
    "Request path cannot be decoded: answered 400",
  );
  const body = Buffer.from(badPathPage(requestId));
  response.writeHead(400, {
    "content-type": "text/html; charset=utf-8",
    "content-length": body.byteLength,
    "cache-control": "no-store",
    "content-security-policy":
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    [REQUEST_ID_HEADER]: requestId,
  });
  response.end(request.method === "HEAD" ? undefined : body);
}
