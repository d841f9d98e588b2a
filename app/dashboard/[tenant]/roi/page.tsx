import { getLocale, getTranslations } from "next-intl/server";
import { dashboardFormats } from "@/components/dashboard/insight/format";
import { RoiChart } from "@/components/dashboard/roi-chart";
import { RoiAssumptionsForm } from "@/components/dashboard/roi-form";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { can } from "@/server/auth/permissions";
import type { RoiInputs } from "@/server/roi/report";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("roi");

export const dynamic = "force-dynamic";

const cell = "border-b border-espresso/10 px-2 py-1 text-left";
const numberCell = "border-b border-espresso/10 px-2 py-1 text-right tabular-nums";
const MONTH_CHOICES = [1, 3, 6, 12] as const;
const MONEY_INPUTS = new Set<keyof RoiInputs>(["averageCheck", "checkUplift", "pointCost", "subscriptionPerMonth"]);

/** The ROI report: the month's net effect and payback from the café's data, every input with its source. */
export default async function RoiPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const slug = (await params).tenant;
  const base = `/dashboard/${slug}/roi`;
  const staff = await requireStaffPage(slug, "analytics.read", base);
  const asked = Number((await searchParams).months);
  const months = MONTH_CHOICES.find((choice) => choice === asked) ?? 3;
  const [report, t, readerLocale] = await Promise.all([
    (await serverCaller(slug)).roi.report({ months }),
    getTranslations("roi.page"),
    getLocale(),
  ]);
  const f = dashboardFormats({ currency: report.currency, locale: readerLocale });
  const mayEdit = can(staff.role, "campaigns.manage");
  const settings = mayEdit ? report.assumptions : null;
  const items = [
    { key: "retentionGain", amount: report.retentionGain },
    { key: "checkGain", amount: report.checkGain },
    { key: "costOfGoods", amount: -report.costOfGoods },
    { key: "pointsCost", amount: -report.pointsCost },
    { key: "subscription", amount: -report.subscription },
  ] as const;
  const inputValue = (key: keyof RoiInputs, value: number) =>
    MONEY_INPUTS.has(key) ? f.money(Math.round(value)) : f.count(value);
  const major = (minor: number | null) => (minor === null ? "" : String(minor / 100));

  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-1 max-w-3xl">{t("intro", { months })}</p>
      <form method="get" className="mt-3 flex items-end gap-2">
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t("months")}</span>
          <select
            name="months"
            defaultValue={months}
            className="rounded-lg border border-espresso/40 bg-white px-3 py-2"
          >
            {MONTH_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {t("monthsOption", { months: choice })}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-lg border border-espresso px-3 py-2 font-medium">
          {t("show")}
        </button>
      </form>

      <dl className="mt-6 grid max-w-2xl grid-cols-1 gap-4 sm:grid-cols-2">
        <div className="rounded-xl bg-crema p-4">
          <dt className="text-sm">{t("net")}</dt>
          <dd className="text-2xl font-bold tabular-nums">{f.money(report.net)}</dd>
        </div>
        <div className="rounded-xl bg-crema p-4">
          <dt className="text-sm">{t("payback")}</dt>
          <dd className="text-2xl font-bold">
            {report.paybackMonths === null
              ? t("never")
              : t("paybackValue", {
                  months: f.count(Math.round(report.paybackMonths * 10) / 10),
                  days: Math.max(1, Math.round(report.paybackMonths * 30)),
                })}
          </dd>
        </div>
      </dl>

      <section aria-labelledby="roi-items" className="mt-8">
        <h2 id="roi-items" className="text-lg font-semibold">
          {t("chartTitle")}
        </h2>
        <RoiChart rows={items.map((item) => ({ label: t(item.key), amount: Math.round(item.amount / 100) }))} />
        <table className="mt-2 min-w-full max-w-2xl text-sm">
          <thead>
            <tr>
              <th scope="col" className={cell}>
                {t("item")}
              </th>
              <th scope="col" className={numberCell}>
                {t("amount")}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.key}>
                <th scope="row" className={cell}>
                  {t(item.key)}
                </th>
                <td className={numberCell}>{f.money(item.amount)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row" className={`${cell} font-bold`}>
                {t("netItem")}
              </th>
              <td className={`${numberCell} font-bold`}>{f.money(report.net)}</td>
            </tr>
          </tbody>
        </table>
      </section>

      <section aria-labelledby="roi-inputs" className="mt-8">
        <h2 id="roi-inputs" className="text-lg font-semibold">
          {t("inputsTitle")}
        </h2>
        <table className="mt-2 min-w-full max-w-3xl text-sm">
          <thead>
            <tr>
              <th scope="col" className={cell}>
                {t("input")}
              </th>
              <th scope="col" className={numberCell}>
                {t("value")}
              </th>
              <th scope="col" className={cell}>
                {t("source")}
              </th>
            </tr>
          </thead>
          <tbody>
            {(Object.keys(report.inputs) as (keyof RoiInputs)[]).map((key) => (
              <tr key={key}>
                <th scope="row" className={cell}>
                  {t(`inputs.${key}`)}
                </th>
                <td className={numberCell}>{inputValue(key, report.inputs[key].value)}</td>
                <td className={cell}>
                  <span
                    className={
                      report.inputs[key].source === "assumption"
                        ? "rounded bg-amber-100 px-1.5 text-amber-900"
                        : report.inputs[key].source === "holdout"
                          ? "rounded bg-green-100 px-1.5 text-green-900"
                          : "rounded bg-espresso/10 px-1.5"
                    }
                  >
                    {t(`sources.${report.inputs[key].source}`)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {report.holdoutCampaigns.length > 0 ? (
          <p className="mt-2">
            {t("holdoutCampaigns", { names: report.holdoutCampaigns.map((campaign) => campaign.name).join(", ") })}
          </p>
        ) : null}
      </section>

      {settings ? (
        <section aria-labelledby="roi-edit" className="mt-8">
          <h2 id="roi-edit" className="text-lg font-semibold">
            {t("editTitle")}
          </h2>
          <RoiAssumptionsForm
            tenant={slug}
            currency={report.currency}
            values={{
              cogsPercent: settings.cogsPercent,
              pointCost: major(settings.pointCostMinor),
              subscription: major(settings.subscriptionMinor),
              winbackPercent: settings.winbackPercent,
            }}
          />
        </section>
      ) : null}
    </>
  );
}
