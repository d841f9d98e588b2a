import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import {
  type BillingCurrency,
  FEATURES,
  MONTHS_PAID_PER_YEAR,
  monthlyPrices,
  PLAN_IDS,
  PLANS,
  type Plan,
  type PlanId,
  TRIAL_PLAN,
} from "@/server/billing/plans";
import {
  chainPrice,
  currencyForLocale,
  DEMO_CHAIN,
  otherCurrency,
  planPrice,
  yearlyDiscountPercent,
} from "@/server/billing/price-list";
import { DEFAULT_LOCALE, isLocale, type Locale } from "@/server/i18n/locales";
import { formatMoney } from "@/server/money";
import { TRIAL_DAYS } from "@/server/tenants/create";

/** The price list as the visitor reads it: their UI language and its currency (RUB in Russian, EUR in English). */
export async function priceContext(): Promise<{ locale: Locale; currency: BillingCurrency }> {
  const chosen = await getLocale();
  const locale = isLocale(chosen) ? chosen : DEFAULT_LOCALE;
  return { locale, currency: currencyForLocale(locale) };
}

type PriceProps = { locale: Locale; currency: BillingCurrency };

/** The lowest POS rate of the plans: a plan above it says so ("raised POS rate limits"). */
const BASE_POS_RATE = Math.min(...PLAN_IDS.map((id) => PLANS[id].posRequestsPerSecond));

/** The three plans as cards: price per location both ways of paying, what is included, sign up with it. */
export async function PlanCards({ heading: Heading, locale, currency }: PriceProps & { heading: "h2" | "h3" }) {
  const t = await getTranslations("marketing.plans");
  const prices = monthlyPrices();
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const discount = yearlyDiscountPercent();
  return (
    <ul aria-label={t("listLabel")} className="grid gap-4 md:grid-cols-3">
      {PLAN_IDS.map((id) => {
        const plan = PLANS[id];
        const price = planPrice(prices, id, currency);
        const name = t(`names.${id}`);
        const trial = id === TRIAL_PLAN;
        return (
          <li
            key={id}
            data-plan={id}
            className={`flex flex-col rounded-xl bg-white p-5 shadow-sm ${trial ? "ring-2 ring-leaf" : ""}`}
          >
            <Heading className="text-2xl font-bold">{name}</Heading>
            <p className="mt-1 text-sm text-espresso/80">{t(`taglines.${id}`)}</p>
            {trial ? (
              <p className="mt-2 self-start rounded bg-leaf px-2 py-0.5 text-sm font-semibold text-white">
                {t("trialBadge", { days: TRIAL_DAYS })}
              </p>
            ) : null}
            <p className="mt-4">
              <span className="text-3xl font-bold whitespace-nowrap">{money(price.month)}</span>{" "}
              <span>{t("perLocationMonth")}</span>
            </p>
            <p className="mt-1 text-sm">
              {t("yearly", { price: money(price.yearPerMonth), total: money(price.year), discount })}
            </p>
            <ul aria-label={t("includes", { plan: name })} className="mt-4 flex-1 space-y-1">
              {limitLines(plan, t).map((line) => (
                <li key={line} className="flex gap-2">
                  <span aria-hidden="true" className="text-leaf">
                    ✓
                  </span>
                  {line}
                </li>
              ))}
            </ul>
            <Link
              href={`/sign-up?plan=${id}`}
              className="mt-5 rounded-lg bg-espresso px-4 py-2.5 text-center font-semibold text-crema hover:bg-roast"
            >
              {t("choose", { plan: name })}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

type PlansT = Awaited<ReturnType<typeof getTranslations<"marketing.plans">>>;

/** What a plan allows, as the card lists it. */
function limitLines(plan: Plan, t: PlansT): string[] {
  const lines = [
    plan.maxLocations === null
      ? t("locationsUnlimited")
      : plan.maxLocations === 1
        ? t("locationsOne")
        : t("locationsUpTo", { count: plan.maxLocations }),
    plan.maxStaff === null ? t("staffUnlimited") : t("staffUpTo", { count: plan.maxStaff }),
    ...plan.features.map((feature) => t(`features.${feature}`)),
  ];
  if (plan.posRequestsPerSecond > BASE_POS_RATE) lines.push(t("posRateRaised", { count: plan.posRequestsPerSecond }));
  return lines;
}

/** The worked example: what the demo chain's two locations cost on Pro, a month and a year. */
export async function PriceExample({ locale, currency, className }: PriceProps & { className?: string }) {
  const t = await getTranslations("marketing.plans");
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const example = chainPrice(monthlyPrices(), DEMO_CHAIN.plan, currency, DEMO_CHAIN.locations);
  return (
    <p className={className} data-testid="price-example">
      {t("example", {
        plan: t(`names.${DEMO_CHAIN.plan}`),
        count: example.locations,
        price: money(example.perLocation.month),
        total: money(example.month),
        yearTotal: money(example.year),
      })}
    </p>
  );
}

/** The currency the page is not in, mentioned with its monthly prices per location. */
export async function OtherCurrencyNote({ locale, currency, className }: PriceProps & { className?: string }) {
  const t = await getTranslations("marketing.plans");
  const other = otherCurrency(currency);
  const prices = monthlyPrices();
  const list = new Intl.ListFormat(locale, { type: "conjunction" }).format(
    PLAN_IDS.map((id) => `${t(`names.${id}`)} ${formatMoney(prices[id][other], other, locale)}`),
  );
  return <p className={className}>{t(`otherCurrency.${currency}`, { prices: list })}</p>;
}

/** Trial terms, one sentence. */
export async function TrialNote({ className }: { className?: string }) {
  const t = await getTranslations("marketing.plans");
  return <p className={className}>{t("trial", { days: TRIAL_DAYS, plan: t(`names.${TRIAL_PLAN}`) })}</p>;
}

/**
 * The plan × feature table: prices per location (monthly, yearly per month, yearly), limits and
 * features. Scrolls sideways on its own on a narrow screen (focusable, so the keyboard can too).
 */
export async function PlanTable({ locale, currency, headingId }: PriceProps & { headingId: string }) {
  const t = await getTranslations("marketing.table");
  const plans = await getTranslations("marketing.plans");
  const prices = monthlyPrices();
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const byPlan = Object.fromEntries(PLAN_IDS.map((id) => [id, planPrice(prices, id, currency)])) as Record<
    PlanId,
    ReturnType<typeof planPrice>
  >;
  const limit = (value: number | null) =>
    value === null ? t("unlimited") : value === 1 ? "1" : t("upTo", { count: value });
  const rows: { key: string; label: string; cell: (id: PlanId) => React.ReactNode }[] = [
    { key: "month", label: t("month"), cell: (id) => money(byPlan[id].month) },
    {
      key: "yearPerMonth",
      label: t("yearPerMonth", { discount: yearlyDiscountPercent() }),
      cell: (id) => `≈\u00a0${money(byPlan[id].yearPerMonth)}`,
    },
    { key: "year", label: t("year", { months: MONTHS_PAID_PER_YEAR }), cell: (id) => money(byPlan[id].year) },
    { key: "locations", label: t("locations"), cell: (id) => limit(PLANS[id].maxLocations) },
    { key: "staff", label: t("staff"), cell: (id) => limit(PLANS[id].maxStaff) },
    ...FEATURES.map((feature) => ({
      key: feature,
      label: plans(`features.${feature}`),
      cell: (id: PlanId) =>
        PLANS[id].features.includes(feature) ? (
          <>
            <span aria-hidden="true" className="text-leaf">
              ✓
            </span>
            <span className="sr-only">{t("included")}</span>
          </>
        ) : (
          <>
            <span aria-hidden="true">—</span>
            <span className="sr-only">{t("notIncluded")}</span>
          </>
        ),
    })),
    { key: "posRate", label: t("posRate"), cell: (id) => String(PLANS[id].posRequestsPerSecond) },
  ];
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard (WCAG 2.1.1)
    <section aria-labelledby={headingId} tabIndex={0} className="mt-4 overflow-x-auto rounded-xl bg-white">
      <table className="w-full border-collapse text-left text-sm sm:text-base">
        <caption className="p-3 text-left text-sm text-espresso/80">
          {t("caption", { currency: t(`currency.${currency}`) })}
        </caption>
        <thead>
          <tr className="border-b-2 border-espresso/20">
            <th scope="col" className="p-2 font-semibold sm:p-3">
              {t("plan")}
            </th>
            {PLAN_IDS.map((id) => (
              <th key={id} scope="col" className="p-2 font-bold sm:p-3">
                {plans(`names.${id}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className="border-b border-espresso/10 last:border-0">
              <th scope="row" className="p-2 font-medium sm:p-3">
                {row.label}
              </th>
              {PLAN_IDS.map((id) => (
                <td key={id} className="p-2 sm:p-3">
                  {row.cell(id)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
