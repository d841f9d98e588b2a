import { getLocale, getTranslations } from "next-intl/server";
import type { GroupFigures, CampaignResults as Results } from "@/server/campaigns/results";
import { findTenantBySlug } from "@/server/tenants/queries";
import { serverCaller } from "@/server/trpc/server-caller";
import { EffectChart, GroupsChart } from "./effect-chart";
import { dashboardFormats } from "./insight/format";

const cell = "border-b border-espresso/10 px-2 py-1 text-left";
const numberCell = "border-b border-espresso/10 px-2 py-1 text-right tabular-nums";
/** Parts of 1 as percentage points, one decimal. */
const pp = (share: number) => Math.round(share * 1000) / 10;

/**
 * A campaign's results (server component): what happened to the messages, the target and control
 * groups side by side, the incremental effect with its 95 % interval as a chart (and a table), the
 * MDE, the verdict, and the attributed figure others would report, labelled as such. Takes the
 * café's slug and the campaign id, and reads campaignResults.get itself.
 */
export async function CampaignResults({ tenant, campaignId }: { tenant: string; campaignId: string }) {
  const [results, cafe, t, readerLocale] = await Promise.all([
    (await serverCaller(tenant)).campaignResults.get({ campaignId }),
    findTenantBySlug(tenant),
    getTranslations("roi.results"),
    getLocale(),
  ]);
  // The reader's language, the café's currency.
  const f = dashboardFormats({ currency: cafe?.currency ?? "RUB", locale: readerLocale });
  return <ResultsView results={results} t={t} f={f} />;
}

type T = Awaited<ReturnType<typeof getTranslations<"roi.results">>>;
type F = ReturnType<typeof dashboardFormats>;

function ResultsView({ results, t, f }: { results: Results; t: T; f: F }) {
  if (results.counts.eligible === 0) {
    return (
      <section aria-labelledby="results-heading">
        <h2 id="results-heading" className="text-lg font-semibold">
          {t("title")}
        </h2>
        <p className="mt-2">{t("empty")}</p>
      </section>
    );
  }
  const { counts, incremental } = results;
  const number = (value: number) => f.count(pp(value));
  const interval = incremental.cameBack;
  const verdictText = interval
    ? t(`verdict.${results.verdict}`, {
        estimate: number(Math.abs(interval.estimate)),
        low: number(interval.low),
        high: number(interval.high),
        mde: number(incremental.mde ?? 0),
      })
    : t("verdict.not_enough_data");
  const reasonText =
    results.verdictReason === "small_groups"
      ? t("reason.small_groups", { target: results.target.n, control: results.control.n })
      : results.verdictReason
        ? t(`reason.${results.verdictReason}`, { mde: number(incremental.mde ?? 0) })
        : null;
  const tone =
    results.verdict === "positive"
      ? "border-green-700 bg-green-50"
      : results.verdict === "negative"
        ? "border-red-700 bg-red-50"
        : "border-espresso/30 bg-crema";
  const countRows: [string, number][] = [
    [t("eligible"), counts.eligible],
    [t("sent"), counts.sent],
    [t("delivered"), counts.delivered],
    [t("failed"), counts.failed],
    [t("unsubscribed"), counts.unsubscribed],
    [t("heldOut"), counts.heldOut],
    ...(counts.globalControl > 0 ? [[t("globalControl"), counts.globalControl] as [string, number]] : []),
    ...(counts.queued > 0 ? [[t("queued"), counts.queued] as [string, number]] : []),
    ...Object.entries(counts.skipped)
      .filter(([, n]) => n > 0)
      .map(([reason, n]) => [t(`skipped_${reason as keyof typeof counts.skipped}`), n] as [string, number]),
    ...(counts.windowOpen > 0
      ? [[t("windowOpen", { days: results.windowDays }), counts.windowOpen] as [string, number]]
      : []),
  ];
  const effectRows = [
    ...(interval
      ? [{ label: t("allTime"), estimate: pp(interval.estimate), low: pp(interval.low), high: pp(interval.high) }]
      : []),
    ...(results.periods.length > 1
      ? results.periods.flatMap((period) =>
          period.cameBack
            ? [
                {
                  label: f.month(period.month),
                  estimate: pp(period.cameBack.estimate),
                  low: pp(period.cameBack.low),
                  high: pp(period.cameBack.high),
                },
              ]
            : [],
        )
      : []),
  ];
  const share = (group: GroupFigures) => (group.cameBackShare === null ? "—" : f.percent(group.cameBackShare));
  const range = (value: { estimate: number; low: number; high: number } | null, format: (n: number) => string) =>
    value ? `${format(value.estimate)} (${format(value.low)} … ${format(value.high)})` : "—";
  const money = (minor: number) => f.money(Math.round(minor));
  const groupRows: { label: string; target: string; control: string; difference: string }[] = [
    {
      label: t("guests"),
      target: f.count(results.target.n),
      control: f.count(results.control.n),
      difference: "",
    },
    {
      label: t("cameBack"),
      target: share(results.target),
      control: share(results.control),
      difference: range(incremental.cameBack, (n) => t("points", { value: number(n) })),
    },
    {
      label: t("visits"),
      target: f.count(results.target.visits.mean),
      control: f.count(results.control.visits.mean),
      difference: range(incremental.visitsPerGuest, (n) => f.count(n)),
    },
    {
      label: t("revenue"),
      target: money(results.target.revenue.mean),
      control: money(results.control.revenue.mean),
      difference: range(incremental.revenuePerGuest, money),
    },
    {
      label: t("margin", { cogs: results.cogsPercent }),
      target: money(results.target.margin.mean),
      control: money(results.control.margin.mean),
      difference: range(incremental.marginPerGuest, money),
    },
  ];

  return (
    <section aria-labelledby="results-heading">
      <h2 id="results-heading" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <div role="status" className={`mt-3 rounded-xl border-l-4 p-4 ${tone}`}>
        <p className="font-semibold">{verdictText}</p>
        {reasonText ? <p className="mt-1">{reasonText}</p> : null}
        {incremental.mde !== null ? <p className="mt-1 text-sm">{t("mde", { mde: number(incremental.mde) })}</p> : null}
      </div>

      <h3 className="mt-6 font-semibold">{t("counts")}</h3>
      <dl className="mt-2 grid max-w-xl grid-cols-[1fr_auto] gap-x-4 gap-y-1">
        {countRows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt>{label}</dt>
            <dd className="text-right tabular-nums">{f.count(value)}</dd>
          </div>
        ))}
      </dl>

      <h3 className="mt-6 font-semibold">{t("groups", { days: results.windowDays })}</h3>
      <GroupsChart
        rows={[
          { label: t("target"), share: pp(results.target.cameBackShare ?? 0) },
          { label: t("control"), share: pp(results.control.cameBackShare ?? 0) },
        ]}
      />
      <div className="mt-2 overflow-x-auto">
        <table className="min-w-full text-sm">
          <thead>
            <tr>
              <th scope="col" className={cell}>
                {t("metric")}
              </th>
              <th scope="col" className={numberCell}>
                {t("target")}
              </th>
              <th scope="col" className={numberCell}>
                {t("control")}
              </th>
              <th scope="col" className={numberCell}>
                {t("difference")}
              </th>
            </tr>
          </thead>
          <tbody>
            {groupRows.map((row) => (
              <tr key={row.label}>
                <th scope="row" className={cell}>
                  {row.label}
                </th>
                <td className={numberCell}>{row.target}</td>
                <td className={numberCell}>{row.control}</td>
                <td className={numberCell}>{row.difference}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {incremental.revenueTotal ? (
        <p className="mt-2">
          {t("revenueTotal", {
            estimate: money(incremental.revenueTotal.estimate),
            low: money(incremental.revenueTotal.low),
            high: money(incremental.revenueTotal.high),
          })}
        </p>
      ) : null}

      {effectRows.length > 0 ? (
        <>
          <h3 className="mt-6 font-semibold">{t("chartTitle")}</h3>
          <p className="text-sm text-espresso/80">{t("chartHint")}</p>
          <EffectChart rows={effectRows} estimateLabel={t("estimate")} intervalLabel={t("difference")} />
          <details className="mt-2">
            <summary className="cursor-pointer text-sm font-medium underline">{t("showTable")}</summary>
            <table className="mt-2 min-w-full text-sm">
              <thead>
                <tr>
                  <th scope="col" className={cell}>
                    {t("period")}
                  </th>
                  <th scope="col" className={numberCell}>
                    {t("estimate")}
                  </th>
                  <th scope="col" className={numberCell}>
                    {t("low")}
                  </th>
                  <th scope="col" className={numberCell}>
                    {t("high")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {effectRows.map((row) => (
                  <tr key={row.label}>
                    <th scope="row" className={cell}>
                      {row.label}
                    </th>
                    <td className={numberCell}>{t("points", { value: f.count(row.estimate) })}</td>
                    <td className={numberCell}>{t("points", { value: f.count(row.low) })}</td>
                    <td className={numberCell}>{t("points", { value: f.count(row.high) })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      ) : null}

      <h3 className="mt-6 font-semibold">{t("attributedTitle")}</h3>
      <p className="mt-1">
        {t("attributed", {
          days: results.windowDays,
          buyers: f.count(results.attributed.buyers),
          sent: f.count(results.attributed.sent),
          revenue: money(results.attributed.revenue),
        })}
      </p>
      {incremental.revenueTotal && results.verdict !== "not_enough_data" ? (
        <p className="mt-1 font-medium">
          {t("overstates", {
            attributed: money(results.attributed.revenue),
            incremental: money(incremental.revenueTotal.estimate),
          })}
        </p>
      ) : null}
    </section>
  );
}
