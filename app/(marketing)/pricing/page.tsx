// GET /pricing — the plans, their prices per location (monthly and yearly) and the plan × feature table.
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import {
  OtherCurrencyNote,
  PlanCards,
  PlanTable,
  PriceExample,
  priceContext,
  TrialNote,
} from "@/components/marketing/pricing";
import { SiteHeader } from "@/components/marketing/site-header";
import { MONTHS_PAID_PER_YEAR } from "@/server/billing/plans";
import { yearlyDiscountPercent } from "@/server/billing/price-list";
import { billingEnabled } from "@/server/env";

// Prices (PLAN_PRICES) and billing come from the server's configuration at run time.
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("marketing.meta");
  const common = await getTranslations("common");
  // Absolute: the root layout's title template names the brand in Russian only.
  return { title: { absolute: `${t("pricingTitle")} — ${common("brand")}` }, description: t("pricingDescription") };
}

/** Renders with billing off too (opened directly), saying so; only the links to it depend on billing. */
export default async function PricingPage() {
  const t = await getTranslations("marketing.pricing");
  const landing = await getTranslations("marketing.landing");
  const prices = await priceContext();
  return (
    <>
      <SiteHeader current="pricing" />
      <main id="main" className="mx-auto max-w-5xl px-4 pb-16">
        <h1 className="mt-6 text-3xl font-bold sm:mt-8 sm:text-5xl">{t("title")}</h1>
        <p className="mt-4 max-w-2xl text-lg">
          {t("lead", { months: MONTHS_PAID_PER_YEAR, discount: yearlyDiscountPercent() })}
        </p>
        <TrialNote className="mt-2 max-w-2xl" />
        {billingEnabled() ? null : (
          <p className="mt-4 max-w-2xl rounded-lg border border-espresso/20 bg-white p-3 text-sm">{t("billingOff")}</p>
        )}

        <div className="mt-8">
          <PlanCards heading="h2" {...prices} />
        </div>

        <section aria-labelledby="example" className="mt-12">
          <h2 id="example" className="text-2xl font-bold">
            {t("exampleTitle")}
          </h2>
          <PriceExample {...prices} className="mt-2 max-w-prose text-lg" />
          <OtherCurrencyNote {...prices} className="mt-2 max-w-prose text-sm text-espresso/80" />
        </section>

        {/* The table's scrolling box is the region this heading names. */}
        <h2 id="compare" className="mt-12 text-2xl font-bold">
          {t("compareTitle")}
        </h2>
        <PlanTable {...prices} headingId="compare" />

        <section aria-labelledby="demo" className="mt-12">
          <h2 id="demo" className="text-2xl font-bold">
            {t("demoTitle")}
          </h2>
          <p className="mt-4 flex flex-wrap gap-3">
            <Link href="/sign-up" className="rounded-lg bg-espresso px-5 py-3 font-semibold text-crema hover:bg-roast">
              {landing("signUp")}
            </Link>
            <Link
              href="/demo"
              className="rounded-lg border-2 border-espresso px-5 py-3 font-semibold hover:bg-espresso/5"
            >
              {landing("demo")}
            </Link>
            <Link
              href="/dashboard/demo"
              className="rounded-lg border-2 border-espresso px-5 py-3 font-semibold hover:bg-espresso/5"
            >
              {landing("demoDashboard")}
            </Link>
          </p>
        </section>
      </main>
    </>
  );
}
