import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE } from "./locales";

// The UI language is the visitor's choice (a cookie), Russian by default; numbers and money
// follow the tenant's locale and currency instead (see server/money.ts).
export default getRequestConfig(async () => {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = isLocale(chosen) ? chosen : DEFAULT_LOCALE;
  return { locale, messages: (await import(`./messages/${locale}.json`)).default };
});
