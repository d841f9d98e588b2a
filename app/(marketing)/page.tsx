import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LocaleSwitcher } from "@/components/locale-switcher";

export default async function LandingPage() {
  const t = await getTranslations("landing");
  const features = [
    { title: t("storefront"), text: t("storefrontText") },
    { title: t("cabinet"), text: t("cabinetText") },
    { title: t("backOffice"), text: t("backOfficeText") },
  ];
  return (
    <>
      <header className="mx-auto flex max-w-5xl items-center justify-between p-4">
        <span className="text-xl font-bold">Зерно</span>
        <LocaleSwitcher />
      </header>
      <main id="main" className="mx-auto max-w-5xl px-4 pb-16">
        <h1 className="mt-8 text-3xl font-bold sm:text-5xl">{t("title")}</h1>
        <p className="mt-4 max-w-2xl text-lg">{t("lead")}</p>
        <div className="mt-6 flex flex-wrap gap-3">
          <Link href="/demo" className="rounded-lg bg-espresso px-5 py-3 font-semibold text-crema hover:bg-roast">
            {t("demo")}
          </Link>
          <Link href="/dashboard/demo" className="rounded-lg border-2 border-espresso px-5 py-3 font-semibold">
            {t("demoDashboard")}
          </Link>
        </div>
        <ul className="mt-12 grid gap-4 sm:grid-cols-3">
          {features.map((feature) => (
            <li key={feature.title} className="rounded-xl bg-white p-5 shadow-sm">
              <h2 className="text-lg font-semibold">{feature.title}</h2>
              <p className="mt-2">{feature.text}</p>
            </li>
          ))}
        </ul>
      </main>
    </>
  );
}
