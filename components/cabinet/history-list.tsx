import { getTranslations } from "next-intl/server";
import type { HistoryItem } from "@/server/cabinet/history";
import { formatDateTime, formatMoney } from "@/server/format";

type Format = { currency: string; moneyLocale: string; uiLocale: string; timeZone: string };

/** One page of the guest's merged history: what happened, when (in the café's zone), money and points. */
export async function HistoryList({ items, format }: { items: HistoryItem[]; format: Format }) {
  const t = await getTranslations("cabinet");
  const money = (minor: number) => formatMoney(minor, format.currency, format.moneyLocale);
  const when = { format: (at: Date) => formatDateTime(at, format.uiLocale, format.timeZone) };
  const label = (item: HistoryItem) => (t.has(item.label) ? t(item.label) : t("historyPage.other"));
  return (
    <ol className="flex flex-col gap-3">
      {items.map((item) => (
        <li key={item.key} className="rounded-2xl bg-white p-4 shadow-sm">
          <article aria-labelledby={`h-${item.key}`}>
            <div className="flex items-start justify-between gap-3">
              <div className="min-w-0">
                <h2 id={`h-${item.key}`} className="font-semibold">
                  {label(item)}
                </h2>
                <p className="text-sm text-espresso/80">
                  <time dateTime={item.at.toISOString()}>{when.format(item.at)}</time>
                  {item.receipt?.locationName ? ` · ${item.receipt.locationName}` : null}
                </p>
              </div>
              {item.points !== 0 ? (
                <p className={`shrink-0 font-semibold tabular-nums ${item.points > 0 ? "text-leaf" : "text-red-800"}`}>
                  {t("pointsSigned", { sign: item.points > 0 ? "+" : "−", count: Math.abs(item.points) })}
                </p>
              ) : null}
            </div>
            {item.kind === "visit" || item.kind === "order" ? (
              <div className="mt-2 text-sm">
                {item.receipt ? <p>{t("historyPage.total", { money: money(item.receipt.total) })}</p> : null}
                {item.receipt && item.receipt.pointsRedeemed > 0 ? (
                  <p>{t("historyPage.redeemed", { points: t("points", { count: item.receipt.pointsRedeemed }) })}</p>
                ) : null}
                {item.receipt && item.receipt.lines.length > 0 ? (
                  <p className="text-espresso/80">
                    {item.receipt.lines
                      .map((line) => (line.quantity === 1 ? line.name : `${line.name} × ${line.quantity}`))
                      .join(", ")}
                    {item.receipt.lineCount > item.receipt.lines.length
                      ? `, ${t("historyPage.moreLines", { count: item.receipt.lineCount - item.receipt.lines.length })}`
                      : null}
                  </p>
                ) : null}
                {item.receipt?.claimed ? <p className="text-espresso/80">{t("historyPage.claimed")}</p> : null}
              </div>
            ) : null}
            {item.refund ? (
              <p className="mt-2 text-sm">{t("historyPage.refundAmount", { money: money(item.refund.amount) })}</p>
            ) : null}
          </article>
        </li>
      ))}
    </ol>
  );
}
