import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { ScopeLocation } from "@/server/analytics/dashboard";
import { addDays, PERIOD_KINDS, type Period, type PeriodKind, rangeLength } from "@/server/analytics/period";
import { dashboardFormats } from "./format";

/** The dashboard's address for a period and location (what the links and the form send). */
export function dashboardHref(
  base: string,
  input: { kind: PeriodKind; from?: string; to?: string; locationId: string | null },
): string {
  const params = new URLSearchParams({ period: input.kind });
  if (input.from) params.set("from", input.from);
  if (input.to && input.kind === "custom") params.set("to", input.to);
  if (input.locationId) params.set("location", input.locationId);
  return `${base}?${params}`;
}

/**
 * The period (day, week, month as links; earlier/later; a from–to form) and the location (all, or
 * one of the member's). Plain links and a GET form: it works before any script has loaded.
 */
export async function DashboardFilters({
  base,
  period,
  today,
  locations,
  locationId,
  limited,
  currency,
  locale,
}: {
  base: string;
  period: Period;
  today: string;
  locations: ScopeLocation[];
  locationId: string | null;
  limited: boolean;
  currency: string;
  locale: string;
}) {
  const t = await getTranslations("dashboardInsight.filters");
  const formats = dashboardFormats({ currency, locale });
  const { current, previous, kind } = period;
  const length = rangeLength(current);
  const earlier =
    kind === "custom"
      ? { kind, from: previous.from, to: previous.to, locationId }
      : { kind, from: previous.from, locationId };
  const laterStart = addDays(current.to, 1);
  const later =
    period.partial || current.to >= today
      ? null
      : kind === "custom"
        ? { kind, from: laterStart, to: addDays(laterStart, length - 1), locationId }
        : { kind, from: laterStart, locationId };
  const chip = "rounded-full border border-espresso/20 px-3 py-1 font-medium";
  const onlyLocation = limited && locations.length === 1 ? locations[0] : null;
  return (
    <section aria-labelledby="filters-heading" className="mt-8 rounded-xl border border-espresso/15 p-4">
      <h2 id="filters-heading" className="sr-only">
        {t("title")}
      </h2>
      <div className="flex flex-wrap items-center gap-2">
        <nav aria-label={t("period")} className="flex flex-wrap gap-2">
          {PERIOD_KINDS.filter((option) => option !== "custom").map((option) => (
            <Link
              key={option}
              href={dashboardHref(base, { kind: option, locationId })}
              aria-current={kind === option ? "page" : undefined}
              className={`${chip} ${kind === option ? "bg-espresso text-white" : "hover:bg-crema"}`}
            >
              {t(`kinds.${option}`)}
            </Link>
          ))}
        </nav>
        <span className="mx-2 flex gap-2">
          <Link href={dashboardHref(base, earlier)} aria-label={t("earlierLabel")} className={`${chip} hover:bg-crema`}>
            {t("earlier")}
          </Link>
          {later ? (
            <Link href={dashboardHref(base, later)} aria-label={t("laterLabel")} className={`${chip} hover:bg-crema`}>
              {t("later")}
            </Link>
          ) : null}
        </span>
      </div>
      <p className="mt-3 font-medium" data-testid="comparing">
        {t("comparing", { current: formats.range(current), previous: formats.range(previous) })}
      </p>
      {period.partial ? <p className="text-sm text-espresso/80">{t("partial")}</p> : null}
      {/* Keyed by what it shows: a link to another period replaces the form, not only its defaults. */}
      <form
        key={`${kind}:${current.from}:${current.to}:${locationId ?? ""}`}
        method="get"
        action={base}
        className="mt-3 flex flex-wrap items-end gap-3"
      >
        <label className="flex flex-col text-sm">
          {t("period")}
          <select name="period" defaultValue={kind} className="rounded border border-espresso/30 px-2 py-1">
            {PERIOD_KINDS.map((option) => (
              <option key={option} value={option}>
                {t(`kinds.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-sm">
          {t("from")}
          <input
            type="date"
            name="from"
            defaultValue={current.from}
            max={today}
            className="rounded border border-espresso/30 px-2 py-1"
          />
        </label>
        <label className="flex flex-col text-sm">
          {t("to")}
          <input
            type="date"
            name="to"
            defaultValue={current.to}
            className="rounded border border-espresso/30 px-2 py-1"
          />
        </label>
        {onlyLocation ? (
          <p className="py-1 text-sm" data-testid="only-location">
            {t("onlyLocation", { name: onlyLocation.name })}
          </p>
        ) : (
          <label className="flex flex-col text-sm">
            {t("location")}
            <select
              name="location"
              defaultValue={locationId ?? ""}
              className="rounded border border-espresso/30 px-2 py-1"
            >
              <option value="">{t("allLocations")}</option>
              {locations.map((location) => (
                <option key={location.id} value={location.id}>
                  {location.archived ? t("archived", { name: location.name }) : location.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" className="rounded bg-espresso px-4 py-1.5 font-semibold text-white">
          {t("show")}
        </button>
      </form>
      <p className="mt-2 text-sm text-espresso/80">{t("lag")}</p>
    </section>
  );
}
