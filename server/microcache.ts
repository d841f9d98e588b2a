/**
 * A few seconds of server-side cache for the storefront's menu as anonymous guests see it: a
 * busy morning's guests all load the same page, and rendering it for each would cap a server at
 * a few dozen pages a second. Keyed by everything the page depends on for a signed-out visitor
 * (path, language, chosen location); a guest with a session, client-side navigations (RSC) and
 * anything but a plain 200 without cookies are never cached. A stop-list change shows within
 * MICROCACHE_TTL_MS. One render per key at a time: concurrent misses wait for the same one.
 */
import { gzipSync } from "node:zlib";

export const MICROCACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 500;
/** Set on the server's own fetch of a page, so that it renders instead of answering from cache. */
export const MICROCACHE_BYPASS_HEADER = "x-zerno-microcache-fill";
/** Cookies the storefront menu reads for a signed-out guest; the key holds their values. */
const KEY_COOKIES = ["NEXT_LOCALE", "zerno-location"];
/** A signed-in guest or staff member sees a page of their own: never cached. */
const SESSION_COOKIES = [
  "zerno-guest.session-token",
  "__Secure-zerno-guest.session-token",
  "authjs.session-token",
  "__Secure-authjs.session-token",
];
/** Top-level pages that are not cafés' storefronts. */
const NOT_STOREFRONTS = new Set([
  "dashboard",
  "sign-in",
  "sign-up",
  "account",
  "invite",
  "reset-password",
  "forgot-password",
  "dev",
  "api",
]);
const DROPPED_HEADERS = ["content-encoding", "content-length", "transfer-encoding", "connection", "date", "keep-alive"];

type Entry = {
  storedAt: number;
  status: number;
  headers: [string, string][];
  body: ArrayBuffer;
  /** The body gzipped once when stored, so a hit costs no compression. */
  gzipped: Buffer | null;
  /** False for an answer only the callers waiting for it get (an error, a redirect, a cookie). */
  keep: boolean;
};

export type CacheableRequest = {
  method: string;
  pathname: string;
  search: string;
  headers: Headers;
  cookie: (name: string) => string | undefined;
};

const STOREFRONT_MENU = /^\/[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?\/?$/;

/** The cache key of a request the microcache may answer, or null when it must render. */
export function microcacheKey(request: CacheableRequest, bypassToken: string): string | null {
  if (request.method !== "GET" || !STOREFRONT_MENU.test(request.pathname)) return null;
  if (NOT_STOREFRONTS.has(request.pathname.replaceAll("/", ""))) return null;
  if (request.headers.get(MICROCACHE_BYPASS_HEADER) === bypassToken) return null;
  // Client-side navigations and prefetches ask for the RSC payload, not the page.
  if (request.headers.get("rsc") || request.headers.get("next-router-prefetch") || request.headers.get("next-action")) {
    return null;
  }
  if (SESSION_COOKIES.some((name) => request.cookie(name))) return null;
  const cookies = KEY_COOKIES.flatMap((name) => {
    const value = request.cookie(name);
    return value ? [`${name}=${encodeURIComponent(value)}`] : [];
  });
  // The menu reads no query string: a campaign's ?utm=… link shares the page (and cannot flood the cache).
  return JSON.stringify([request.pathname.replace(/\/$/, ""), cookies.join("; ")]);
}

/** What to render for a key: the path and the only cookies the render may see. */
export function microcacheRequest(key: string): { path: string; cookie: string } {
  const [path, cookie] = JSON.parse(key) as [string, string];
  return { path, cookie };
}

export type CachedPage = { entry: Entry; hit: boolean };
export type { Entry as CachedEntry };

export class Microcache {
  private readonly entries = new Map<string, Promise<Entry>>();

  constructor(
    private readonly render: (key: string) => Promise<Response>,
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = MICROCACHE_TTL_MS,
  ) {}

  /** The page for `key`: from the cache while fresh, else rendered once (shared by concurrent callers). */
  async get(key: string): Promise<CachedPage> {
    const cached = this.entries.get(key);
    if (cached) {
      const entry = await cached.catch(() => null);
      if (entry === null) {
        // The render this visitor waited for failed: try once more, for this visitor alone.
        if (this.entries.get(key) === cached) this.entries.delete(key);
        return this.get(key);
      }
      if (entry.keep && this.now() - entry.storedAt < this.ttlMs) return { entry, hit: true };
      if (this.entries.get(key) === cached) this.entries.delete(key);
    }
    const filling = this.fill(key);
    this.entries.set(key, filling);
    while (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    const entry = await filling.catch((error: unknown) => {
      if (this.entries.get(key) === filling) this.entries.delete(key);
      throw error;
    });
    if (!entry.keep && this.entries.get(key) === filling) this.entries.delete(key);
    return { entry, hit: false };
  }

  /** Renders the page; a failed render rejects (the caller then serves the request another way). */
  private async fill(key: string): Promise<Entry> {
    const response = await this.render(key);
    const keep = response.status === 200 && !response.headers.has("set-cookie");
    const headers = [...response.headers].filter(([name]) => !DROPPED_HEADERS.includes(name.toLowerCase()));
    const body = await response.arrayBuffer();
    const gzipped = keep && body.byteLength > 1024 ? gzipSync(Buffer.from(body)) : null;
    return { storedAt: this.now(), status: response.status, headers, body, gzipped, keep };
  }
}
