import { DEFAULT_LOCALE, isLocale, type Locale } from "./locales";

/** The request header the proxy sets to the requested path: the locale depends on whose page it is. */
export const PATH_HEADER = "x-zerno-path";

/** First path segments that are the platform's own pages, not a café's storefront. */
const PLATFORM_SEGMENTS = new Set([
  "",
  "account",
  "api",
  "dashboard",
  "dev",
  "forgot-password",
  "invite",
  "media",
  "pricing",
  "reset-password",
  "sign-in",
  "sign-up",
  "_next",
]);

/** The café slug a path belongs to ("/north/me" → "north"), or null for the platform's pages. */
export function cafeSlugOfPath(path: string): string | null {
  const first = path.split("?")[0]?.split("/")[1] ?? "";
  if (PLATFORM_SEGMENTS.has(first) || first.includes(".")) return null;
  return decodeURIComponent(first);
}

/** The first supported language of an Accept-Language header, by its weights; Russian otherwise. */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((param) => param.trim()).find((param) => param.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { language: tag.trim().toLowerCase().split("-")[0], weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.map((entry) => entry.language).find(isLocale) ?? DEFAULT_LOCALE;
}

/**
 * Whose language a page speaks: the visitor's own choice (the switcher's cookie) first; then, on a
 * café's storefront and cabinet, the café's language; on the platform's pages, the browser's.
 */
export function resolveLocale(input: {
  chosen: string | undefined;
  cafeLocale: string | null | undefined;
  acceptLanguage: string | null | undefined;
}): Locale {
  if (isLocale(input.chosen)) return input.chosen;
  if (isLocale(input.cafeLocale)) return input.cafeLocale;
  return localeFromAcceptLanguage(input.acceptLanguage);
}
