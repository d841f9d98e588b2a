import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { findTenantBySlug } from "@/server/tenants/queries";
import { isLocale, LOCALE_COOKIE, type Locale } from "./locales";
import { cafeSlugOfPath, PATH_HEADER, resolveLocale } from "./negotiate";

/** Areas with messages of their own (messages/<area>/<locale>.json, one namespace each). */
const AREAS = [
  "guestAuth",
  "waysBack",
  "shop",
  "cabinet",
  "stoplist",
  "marketing",
  "signUp",
  "guestImport",
  "loyaltyRules",
  "locations",
  "menuEditor",
  "dataExport",
  "offers",
  "dashboardInsight",
  "guestsInsight",
  "campaigns",
  "roi",
  "meta",
  "notices",
] as const;

export async function loadMessages(locale: Locale): Promise<Record<string, unknown>> {
  const base = (await import(`./messages/${locale}.json`)).default;
  const areas = await Promise.all(
    AREAS.map(async (area) => (await import(`./messages/${area}/${locale}.json`)).default),
  );
  return Object.assign({}, base, ...areas);
}

// The UI language is the visitor's choice (the switcher's cookie); until they choose, a café's
// storefront and cabinet speak the café's language and the platform's pages the browser's
// (server/i18n/negotiate.ts). Money, dates and times are written in this language too, in the
// café's currency and time zone (server/format.ts).
export default getRequestConfig(async () => {
  const requestHeaders = await headers();
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  const slug = cafeSlugOfPath(requestHeaders.get(PATH_HEADER) ?? "");
  const cafe = slug && !isLocale(chosen) ? await findTenantBySlug(slug) : null;
  const locale = resolveLocale({
    chosen,
    cafeLocale: cafe?.locale,
    acceptLanguage: requestHeaders.get("accept-language"),
  });
  return { locale, messages: await loadMessages(locale) };
});
