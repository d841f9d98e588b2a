import { getTranslations } from "next-intl/server";
import type { CabinetSummary } from "@/server/cabinet/summary";
import { formatMoney } from "@/server/format";
import { tierNameIn } from "@/server/loyalty/formulas";

/** The guest's tier and a progress bar towards the next one (lifetime paid money). */
export async function TierProgress({ summary, moneyLocale }: { summary: CabinetSummary; moneyLocale: string }) {
  const t = await getTranslations("cabinet.overview");
  const money = (minor: number) => formatMoney(minor, summary.currency, moneyLocale);
  const next = summary.nextTier && { ...summary.nextTier, name: tierNameIn(summary.nextTier, moneyLocale) };
  // Progress within the current tier's band, so a new tier starts from an empty bar.
  const band = next ? next.minSpend - summary.tier.minSpend : 0;
  const done = next ? Math.min(band, Math.max(0, summary.lifetimePaid - summary.tier.minSpend)) : 0;
  const percent = next && band > 0 ? Math.floor((done * 100) / band) : 100;
  return (
    <section aria-labelledby="tier-heading" className="rounded-2xl bg-white p-4 shadow-sm">
      <h2 id="tier-heading" className="text-sm font-semibold uppercase tracking-wide text-espresso/80">
        {t("tierHeading")}
      </h2>
      <p className="mt-1 text-lg font-semibold">
        {t("tier", { name: tierNameIn(summary.tier, moneyLocale), percent: summary.tier.accrualPercent })}
      </p>
      {next ? (
        <>
          <p id="tier-next" className="mt-2">
            {t("nextTier", { name: next.name, percent: next.accrualPercent, money: money(next.remaining) })}
          </p>
          <div
            role="progressbar"
            aria-label={t("progressLabel", { name: next.name })}
            aria-describedby="tier-next"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={t("progressText", {
              paid: money(summary.lifetimePaid),
              target: money(next.minSpend),
            })}
            className="mt-2 h-3 overflow-hidden rounded-full bg-espresso/15"
          >
            <div className="h-full rounded-full bg-leaf" style={{ width: `${percent}%` }} />
          </div>
          <p className="mt-1 text-sm text-espresso/80" aria-hidden="true">
            {t("progressText", { paid: money(summary.lifetimePaid), target: money(next.minSpend) })}
          </p>
        </>
      ) : (
        <p className="mt-2">{t("topTier")}</p>
      )}
    </section>
  );
}
