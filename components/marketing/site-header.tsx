import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LocaleSwitcher } from "@/components/locale-switcher";
import { billingEnabled } from "@/server/env";

/**
 * The header of the public pages (landing, pricing): the brand, the way to the prices (only while
 * billing is on: a self-hosted install sells nothing), sign-in for staff, sign-up and the language.
 */
export async function SiteHeader({ current }: { current: "landing" | "pricing" }) {
  const t = await getTranslations("marketing.nav");
  const common = await getTranslations("common");
  const link = "rounded px-2 py-1 font-medium hover:underline";
  return (
    <header className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-4 gap-y-2 p-4">
      <Link href="/" className="text-xl font-bold" aria-current={current === "landing" ? "page" : undefined}>
        {common("brand")}
      </Link>
      <nav aria-label={t("label")} className="order-last w-full sm:order-none sm:w-auto">
        <ul className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
          {billingEnabled() ? (
            <li>
              <Link href="/pricing" className={link} aria-current={current === "pricing" ? "page" : undefined}>
                {t("pricing")}
              </Link>
            </li>
          ) : null}
          <li>
            <Link href="/sign-in" className={link}>
              {t("signIn")}
            </Link>
          </li>
          <li>
            <Link
              href="/sign-up"
              className="rounded-lg bg-espresso px-3 py-1.5 font-semibold text-crema hover:bg-roast"
            >
              {t("signUp")}
            </Link>
          </li>
        </ul>
      </nav>
      <LocaleSwitcher />
    </header>
  );
}
