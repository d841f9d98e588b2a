import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, type Locale } from "./locales";

/** Areas with messages of their own (messages/<area>/<locale>.json, one namespace each). */
const AREAS = [
  "guestAuth",
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
] as const;

export async function loadMessages(locale: Locale): Promise<Record<string, unknown>> {
  const base = (await import(`./messages/${locale}.json`)).default;
  const areas = await Promise.all(
    AREAS.map(async (area) => (await import(`./messages/${area}/${locale}.json`)).default),
  );
  return Object.assign({}, base, ...areas);
}

// The UI language is the visitor's choice (a cookie), Russian by default; numbers and money
// follow the tenant's locale and currency instead (see server/money.ts).
export default getRequestConfig(async () => {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = isLocale(chosen) ? chosen : DEFAULT_LOCALE;
  return { locale, messages: await loadMessages(locale) };
});
