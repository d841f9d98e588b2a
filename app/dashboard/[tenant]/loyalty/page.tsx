import { getLocale, getTranslations } from "next-intl/server";
import { ConfirmRulesForm } from "@/components/dashboard/confirm-rules-form";
import { LoyaltyRulesEditor } from "@/components/dashboard/loyalty-rules-editor";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { formatDateTime, formatDay, formatMoney } from "@/server/format";
import { tierNameIn } from "@/server/loyalty/formulas";
import { addDays, localDateOf } from "@/server/orders/slots";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("loyalty");

export const dynamic = "force-dynamic";

/**
 * The café's loyalty rules (owner): those in force, a change previewed on today's guests and
 * published as a version from a date, the versions so far; "the rules are right".
 */
export default async function LoyaltyPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const { tenant } = await requireStaffPage(slug, "loyalty.configure", `/dashboard/${slug}/loyalty`);
  const t = await getTranslations("signUp.loyalty");
  const caller = await serverCaller(slug);
  const [{ program, reviewedAt }, versions] = await Promise.all([caller.loyalty.program(), caller.loyalty.versions()]);
  const r = await getTranslations("loyaltyRules");
  const locale = await getLocale();
  const latest = versions[0];
  const scheduled = versions.filter((version) => version.state === "scheduled").reverse();
  const tomorrow = addDays(localDateOf(new Date(), tenant.timezone), 1);
  const tomorrowLabel = formatDay(tomorrow, locale, "long");
  const money = (minor: number) => formatMoney(minor, tenant.currency, locale);
  const date = { format: (at: Date) => formatDateTime(at, locale, tenant.timezone, { style: "long" }) };
  const rules = [
    { label: t("cap"), value: t("capValue", { percent: program.maxRedeemPercent }) },
    { label: t("welcome"), value: t("points", { points: program.welcomeBonus }) },
    { label: t("birthday"), value: t("points", { points: program.birthdayBonus }) },
    { label: t("survey"), value: t("points", { points: program.surveyBonus }) },
    { label: t("hold"), value: t("minutes", { minutes: Math.round(program.holdTtlSeconds / 60) }) },
    {
      label: t("expiry"),
      value:
        program.expireAfterInactiveDays === null
          ? t("neverExpire")
          : t("expireAfter", { days: program.expireAfterInactiveDays }),
    },
  ];
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-2 max-w-2xl">{t("lead")}</p>
      <p className="mt-4 font-medium">
        {r("inForce", { number: program.ruleVersion })}
        {program.effectiveFrom ? <> {r("since", { date: date.format(new Date(program.effectiveFrom)) })}</> : null}
      </p>
      {scheduled.map((version) => (
        <p key={version.number} className="mt-2 max-w-2xl rounded-lg bg-crema p-3">
          {r("scheduled", { number: version.number, date: date.format(new Date(version.effectiveFrom ?? 0)) })}
        </p>
      ))}
      <table className="mt-6 w-full max-w-2xl text-left">
        <caption className="mb-2 text-left text-lg font-semibold">{t("tiers")}</caption>
        <thead>
          <tr className="border-b border-espresso/20">
            <th scope="col" className="py-2 pr-4">
              {t("tier")}
            </th>
            <th scope="col" className="py-2 pr-4">
              {t("accrual")}
            </th>
            <th scope="col" className="py-2">
              {t("minSpend")}
            </th>
          </tr>
        </thead>
        <tbody>
          {program.tiers.map((tier) => (
            <tr key={tier.id} className="border-b border-espresso/10">
              <th scope="row" className="py-2 pr-4 font-medium">
                {tierNameIn(tier, locale)}
              </th>
              <td className="py-2 pr-4">{t("percent", { percent: tier.accrualPercent })}</td>
              <td className="py-2">{tier.minSpend === 0 ? t("fromFirst") : money(tier.minSpend)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 className="mt-8 text-lg font-semibold">{t("rules")}</h2>
      <dl className="mt-2 grid max-w-2xl grid-cols-[auto_1fr] gap-x-6 gap-y-2">
        {rules.map((rule) => (
          <div key={rule.label} className="contents">
            <dt className="font-medium">{rule.label}</dt>
            <dd>{rule.value}</dd>
          </div>
        ))}
      </dl>
      {latest ? (
        <LoyaltyRulesEditor
          tenant={slug}
          rules={latest.rules}
          tomorrowLabel={tomorrowLabel}
          currency={tenant.currency}
          locale={locale}
          cafeLocale={tenant.locale}
        />
      ) : null}
      <section className="mt-10 max-w-3xl">
        <h2 className="text-lg font-semibold">{r("history")}</h2>
        <ol className="mt-2 flex flex-col gap-2">
          {versions.map((version) => (
            <li key={version.number} className="rounded-lg border border-espresso/15 bg-white p-3">
              <p className="font-medium">
                {r("version", { number: version.number })} · {r(`states.${version.state}`)}
                {version.retroactive ? <> · {r("retroactiveMark")}</> : null}
              </p>
              <p className="text-sm text-espresso/80">
                {version.effectiveFrom
                  ? r("since", { date: date.format(new Date(version.effectiveFrom)) })
                  : r("firstRules")}
                {version.publishedBy && version.publishedAt ? (
                  <>
                    {" "}
                    · {r("publishedBy", { who: version.publishedBy, date: date.format(new Date(version.publishedAt)) })}
                  </>
                ) : null}
              </p>
              <p className="text-sm">
                {version.rules.tiers.map((tier) => `${tierNameIn(tier, locale)} ${tier.accrualPercent} %`).join(" · ")}{" "}
                · {t("capValue", { percent: version.rules.maxRedeemPercent })}
              </p>
            </li>
          ))}
        </ol>
      </section>
      <div className="mt-6">
        {reviewedAt ? <p className="mb-3">{t("reviewedAt", { date: date.format(reviewedAt) })}</p> : null}
        <ConfirmRulesForm tenant={slug} />
      </div>
    </>
  );
}
