import { z } from "zod";
import { appDb, type Database } from "@/db/client";
import { sameSitePath } from "../auth/redirects";
import { AppError } from "../errors";
import { limiterCache, postgresLimiter, retryAfterSeconds } from "../rate-limit";
import { normaliseEmail } from "./adapter";

/** Links per address per hour: enough for a lost mail or two, not a mailbomb. */
const LINKS_PER_EMAIL_PER_HOUR = 5;
const LINKS_PER_IP_PER_HOUR = 30;
const emailLimiter = limiterCache((db) =>
  postgresLimiter(db, { keyPrefix: "guest_link_email", points: LINKS_PER_EMAIL_PER_HOUR, duration: 3600 }),
);
const ipLimiter = limiterCache((db) =>
  postgresLimiter(db, { keyPrefix: "guest_link_ip", points: LINKS_PER_IP_PER_HOUR, duration: 3600 }),
);

const emailSchema = z.email().max(254);

/** The address to send a magic link to, normalised; AppError invalid_request when it is not one. */
export function magicLinkAddress(input: string): string {
  const parsed = emailSchema.safeParse(input.trim());
  if (!parsed.success) {
    throw new AppError("invalid_request", "Not an email address", "invalid_email", [
      { path: "email", message: "Not an email address" },
    ]);
  }
  return normaliseEmail(parsed.data);
}

/** Counts a magic-link request against the address and the client; AppError rate_limited beyond. */
export async function consumeMagicLinkRate(db: Database, input: { email: string; ip: string | null }) {
  try {
    await ipLimiter(db).consume(input.ip ?? "unknown");
    await emailLimiter(db).consume(input.email);
  } catch (rejection) {
    throw new AppError("rate_limited", "Too many sign-in links requested, try later", "too_many_links", {
      retryAfter: retryAfterSeconds(rejection),
    });
  }
}

/** consumeMagicLinkRate on the app's pool, for the sign-in form. */
export function countMagicLinkRequest(input: { email: string; ip: string | null }): Promise<void> {
  return consumeMagicLinkRate(appDb(), input);
}

/**
 * A path of this café to come back to after sign-in: only its own pages, never elsewhere. The
 * café is checked on the normalised path (`sameSitePath`), so `/demo/../other` or
 * `/demo/../..//evil.example` cannot step out of it.
 */
export function guestReturnPath(tenantSlug: string, next: string | null | undefined): string {
  const fallback = `/${tenantSlug}/me`;
  const path = sameSitePath(next);
  if (!path) return fallback;
  const pathname = path.split(/[?#]/, 1)[0] ?? "";
  return pathname === `/${tenantSlug}` || pathname.startsWith(`/${tenantSlug}/`) ? path : fallback;
}

/**
 * Where a magic-link callback that failed verification (used or expired) should go instead of
 * Auth.js's error page: the sign-in of the café the link was for. Null for any other answer, so a
 * server fault is not passed off as an old link.
 */
export function expiredLinkRedirect(requestUrl: URL, location: string): string | null {
  if (!requestUrl.pathname.endsWith("/callback/resend")) return null;
  const target = new URL(location, requestUrl);
  if (!target.pathname.endsWith("/error") || target.searchParams.get("error") !== "Verification") return null;
  const callback = requestUrl.searchParams.get("callbackUrl") ?? "";
  const path = callback.startsWith("/") ? callback : callback ? new URL(callback, requestUrl).pathname : "";
  const slug = path.split("/")[1];
  if (!slug || !/^[a-z0-9-]{1,40}$/.test(slug)) return "/";
  return `/${slug}/sign-in?expired=1&next=${encodeURIComponent(guestReturnPath(slug, path))}`;
}

/**
 * The magic link as mailed: on PUBLIC_URL (Auth.js builds it from the request's Host, which a
 * forged header controls), with the way back reduced to a checked path of this site. Auth.js
 * puts an absolute callbackUrl of the requesting origin in it; opened on PUBLIC_URL's origin,
 * that would fail its same-origin check and land the guest on the landing page.
 */
export function mailedMagicLink(requestedUrl: string, base: string): { url: string; returnPath: string } {
  const requested = new URL(requestedUrl);
  const callback = requested.searchParams.get("callbackUrl") ?? "";
  let returnPath: string | null = null;
  try {
    const target = new URL(callback, requested);
    // Only the requesting site's own pages are kept (Auth.js's redirect callback checked that too).
    if (target.origin === requested.origin) returnPath = sameSitePath(`${target.pathname}${target.search}`);
  } catch {
    returnPath = null;
  }
  requested.searchParams.set("callbackUrl", returnPath ?? "/");
  return { url: `${base}${requested.pathname}${requested.search}`, returnPath: returnPath ?? "/" };
}
