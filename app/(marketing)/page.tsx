// GET / — the public landing: what Zerno does (with the e2e run's screenshots), the plans while billing is on.
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { OtherCurrencyNote, PlanCards, PriceExample, priceContext, TrialNote } from "@/components/marketing/pricing";
import { Screenshot, type ScreenshotName } from "@/components/marketing/screenshot";
import { SiteHeader } from "@/components/marketing/site-header";
import { billingEnabled } from "@/server/env";

// Billing is on or off by the server's configuration at run time, not at build time.
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("marketing.meta");
  return { title: { absolute: t("landingTitle") }, description: t("landingDescription") };
}

const primary = "rounded-lg bg-espresso px-5 py-3 font-semibold text-crema hover:bg-roast";
const secondary = "rounded-lg border-2 border-espresso px-5 py-3 font-semibold hover:bg-espresso/5";

export default async function LandingPage() {
  const t = await getTranslations("marketing.landing");
  const prices = await priceContext();
  const selling = billingEnabled();
  const features: { key: "storefront" | "cabinet" | "backOffice"; shot: ScreenshotName }[] = [
    { key: "storefront", shot: "storefront-phone" },
    { key: "cabinet", shot: "cabinet-phone" },
    { key: "backOffice", shot: "order-board" },
  ];
  return (
    <>
      <SiteHeader current="landing" />
      <main id="main" className="mx-auto max-w-5xl px-4 pb-16">
        <h1 className="mt-6 text-3xl font-bold sm:mt-8 sm:text-5xl">{t("title")}</h1>
        <p className="mt-4 max-w-2xl text-lg">{t("lead")}</p>
        <div className="mt-6 flex flex-wrap gap-3">
          <Link href="/sign-up" className={primary}>
            {t("signUp")}
          </Link>
          <Link href="/demo" className={secondary}>
            {t("demo")}
          </Link>
          <Link href="/dashboard/demo" className={secondary}>
            {t("demoDashboard")}
          </Link>
        </div>

        <section aria-labelledby="features" className="mt-14">
          <h2 id="features" className="text-2xl font-bold sm:text-3xl">
            {t("featuresTitle")}
          </h2>
          <ul aria-labelledby="features" className="mt-6 space-y-12">
            {features.map(({ key, shot }, index) => (
              <li key={key} className="grid items-center gap-6 md:grid-cols-2">
                <div className={index % 2 === 1 ? "md:order-last" : undefined}>
                  <h3 className="text-xl font-semibold">{t(key)}</h3>
                  <p className="mt-2 max-w-prose">{t(`${key}Text`)}</p>
                </div>
                <Screenshot name={shot} alt={t(`${key}Alt`)} />
              </li>
            ))}
          </ul>
          <p className="mt-6 text-sm text-espresso/80">{t("screenshotsNote")}</p>
        </section>

        <section aria-labelledby="pos" className="mt-14 rounded-xl bg-espresso p-6 text-crema">
          <h2 id="pos" className="text-2xl font-bold">
            {t("posTitle")}
          </h2>
          <p className="mt-2 max-w-prose">{t("posText")}</p>
        </section>

        {selling ? (
          <section aria-labelledby="plans" className="mt-14">
            <h2 id="plans" className="text-2xl font-bold sm:text-3xl">
              {t("plansTitle")}
            </h2>
            <p className="mt-2 max-w-prose">{t("plansLead")}</p>
            <TrialNote className="mt-1 max-w-prose" />
            <div className="mt-6">
              <PlanCards heading="h3" {...prices} />
            </div>
            <PriceExample {...prices} className="mt-6 max-w-prose font-medium" />
            <OtherCurrencyNote {...prices} className="mt-2 max-w-prose text-sm text-espresso/80" />
            <p className="mt-6">
              <Link href="/pricing" className={`inline-block ${secondary}`}>
                {t("comparePlans")}
              </Link>
            </p>
          </section>
        ) : null}

        <section aria-labelledby="cta" className="mt-14 rounded-xl bg-white p-6 shadow-sm">
          <h2 id="cta" className="text-2xl font-bold">
            {t("ctaTitle")}
          </h2>
          <p className="mt-2 max-w-prose">{t("ctaText")}</p>
          <p className="mt-4">
            <Link href="/sign-up" className={`inline-block ${primary}`}>
              {t("signUp")}
            </Link>
          </p>
        </section>
      </main>
    </>
  );
}
