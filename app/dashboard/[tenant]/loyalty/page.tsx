import { getLocale, getTranslations } from "next-intl/server";
import { ConfirmRulesForm } from "@/components/dashboard/confirm-rules-form";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { formatMoney } from "@/server/money";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("loyalty");

export const dynamic = "force-dynamic";

/** The café's loyalty rules, read-only for now (owner): tiers, cap, bonuses, hold and expiry; "the rules are right". */
export default async function LoyaltyPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const { tenant } = await requireStaffPage(slug, "loyalty.configure", `/dashboard/${slug}/loyalty`);
  const t = await getTranslations("signUp.loyalty");
  const { program, reviewedAt } = await (await serverCaller(slug)).loyalty.program();
  const locale = await getLocale();
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone: tenant.timezone });
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
                {tier.name}
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
      <p className="mt-6 max-w-2xl rounded-lg bg-crema p-3">{t("editingLater")}</p>
      <div className="mt-6">
        {reviewedAt ? <p className="mb-3">{t("reviewedAt", { date: date.format(reviewedAt) })}</p> : null}
        <ConfirmRulesForm tenant={slug} />
      </div>
    </>
  );
}
