import { isPagePath } from "./action-request";

/**
 * The security headers of every page (set in proxy.ts): a Content-Security-Policy with a fresh
 * nonce per request, which Next.js puts on its own scripts (every page renders dynamically, so each
 * gets one); HSTS when the site is served over HTTPS; no sniffing, no framing, a referrer that
 * stops at the origin on other sites. Plain functions, so tests check them without a server.
 */

/** A fresh nonce: 16 random bytes, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The policy: scripts only with this request's nonce (and what they load, 'strict-dynamic'); no
 * eval outside development (React's dev tools need it there); styles from the app and inline
 * style attributes (the progress bars); images from the app, data: and blob: (QR codes); every
 * connection (tRPC, the order board's server-sent events) to the app itself; never in a frame.
 */
export function contentSecurityPolicy(nonce: string, options: { development: boolean; https: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // The push service worker (public/push-sw.js), from the app itself only.
    "worker-src 'self'",
    `connect-src 'self'${options.development ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** The other headers every page carries; HSTS only when the public address is HTTPS. */
export function securityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    // For browsers that predate frame-ancestors.
    "X-Frame-Options": "DENY",
    ...(options.https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/**
 * A server action posted from another site: Next.js refuses it too, but logs that as an error with
 * a stack and a digest. The same rule (the Origin's host against X-Forwarded-Host or Host) lets
 * proxy.ts refuse it first, as the warning it is. Requests without Origin are left to Next. A
 * multipart POST to a page counts too: Next treats it as a form's action (and its refusal as an error).
 */
export function isCrossOriginServerAction(request: { method: string; headers: Headers; url?: string }): boolean {
  if (request.method !== "POST") return false;
  // A form POST to a page (multipart, or urlencoded — Next.js reads both as a possible action)
  // may be a form's action posted before the page's script ran.
  const contentType = request.headers.get("content-type") ?? "";
  const pageForm =
    (contentType.startsWith("multipart/form-data") || contentType === "application/x-www-form-urlencoded") &&
    isPagePath(new URL(request.url ?? "/", "http://page.invalid").pathname);
  if (!request.headers.has("next-action") && !pageForm) return false;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return true;
  }
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
  return !host || originHost !== host;
}
