import { getLocale, getTranslations } from "next-intl/server";
import { setLocale } from "@/server/i18n/actions";
import { LOCALES } from "@/server/i18n/locales";

const LABELS = { ru: "Русский", en: "English" } as const;

/** Two buttons in a plain form: works without JavaScript and from the keyboard. */
export async function LocaleSwitcher() {
  const current = await getLocale();
  const t = await getTranslations("common");
  return (
    <form action={setLocale} aria-label={t("language")} className="flex gap-1 text-sm">
      {LOCALES.map((locale) => (
        <button
          key={locale}
          type="submit"
          name="locale"
          value={locale}
          lang={locale}
          aria-pressed={locale === current}
          className="rounded px-2 py-1 aria-pressed:bg-espresso aria-pressed:text-crema hover:underline"
        >
          {LABELS[locale]}
        </button>
      ))}
    </form>
  );
}
