export const LOCALES = ["ru", "en"] as const;
export type Locale = (typeof LOCALES)[number];
/** Russian first: the product's guests and cafés are mostly in Russia. */
export const DEFAULT_LOCALE: Locale = "ru";
export const LOCALE_COOKIE = "NEXT_LOCALE";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}
