import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { cache } from "react";
import type { PeriodInput } from "@/server/analytics/period";
import { serverCaller } from "@/server/trpc/server-caller";
import { type Change, dashboardFormats, type Formats, pointChange, relativeChange } from "./format";
import { RevenueChart } from "./revenue-chart";
import { CommentList, SurveyAnswers } from "./survey";
import { TierChart } from "./tier-chart";

/** What every section of the dashboard is asked for: the café, the period and the location picked. */
export type SectionProps = {
  slug: string;
  currency: string;
  /** The reader's locale (the page's getLocale()). */
  locale: string;
  /** The café's time zone: dates and times as on its clock. */
  timeZone: string;
  period: PeriodInput;
  locationId: string | null;
};

/** The guests' tiers, segments and points, read once per request by the two sections that show them. */
const guestBaseOf = cache(async (slug: string, locationId: string | null) =>
  (await serverCaller(slug)).analytics.guestBase({ locationId }),
);

async function formatsFor(props: SectionProps): Promise<Formats> {
  return dashboardFormats({ currency: props.currency, locale: props.locale });
}

/** A section with a heading (the dashboard's landmarks for screen-reader navigation). */
function Section({
  id,
  title,
  hint,
  children,
  className = "",
}: {
  id: string;
  title: string;
  hint?: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className={`mt-8 ${className}`}>
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      {hint ? <p className="text-sm text-espresso/80">{hint}</p> : null}
      {children}
    </section>
  );
}

/** The numbers behind a chart, one click away (and for screen readers). */
async function AsTable({ children }: { children: React.ReactNode }) {
  const t = await getTranslations("dashboardInsight.charts");
  return (
    <details className="mt-2">
      <summary className="cursor-pointer text-sm font-medium underline">{t("showTable")}</summary>
      <div className="mt-2 overflow-x-auto">{children}</div>
    </details>
  );
}

const cell = "border-b border-espresso/10 px-2 py-1 text-left";
const numberCell = "border-b border-espresso/10 px-2 py-1 text-right tabular-nums";

/** While a section loads. */
export function SectionPending({ title }: { title: string }) {
  return (
    <section className="mt-8" aria-busy="true">
      <h2 className="text-lg font-semibold">{title}</h2>
      <div className="mt-3 h-24 animate-pulse rounded-xl bg-crema" />
    </section>
  );
}

// ---------------------------------------------------------------------------------------------

/** Today's revenue, checks and open orders, live. */
export async function TodaySection(props: SectionProps & { today: string }) {
  const t = await getTranslations("dashboardInsight.today");
  const formats = await formatsFor(props);
  const today = await (await serverCaller(props.slug)).analytics.today({ locationId: props.locationId });
  const figures = [
    { label: t("revenue"), value: formats.money(today.revenue) },
    { label: t("receipts"), value: formats.count(today.receipts) },
    { label: t("openOrders"), value: formats.count(today.openOrders) },
  ];
  return (
    <section aria-labelledby="today-heading" className="mt-6">
      <h2 id="today-heading" className="text-lg font-semibold">
        {t("title", { date: formats.range({ from: props.today, to: props.today }) })}
      </h2>
      <p className="text-sm text-espresso/80">{t("live")}</p>
      <dl className="mt-2 grid max-w-3xl grid-cols-3 gap-3" data-testid="today">
        {figures.map((figure) => (
          <div key={figure.label} className="rounded-xl bg-crema p-3">
            <dt className="text-sm">{figure.label}</dt>
            <dd className="text-xl font-bold">{figure.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------

function ChangeBadge({
  change,
  text,
}: {
  change: Change;
  text: { none: string; new: string; up: string; down: string };
}) {
  if (change.kind === "none") return <span>{text.none}</span>;
  if (change.kind === "new") return <span>{text.new}</span>;
  return (
    <span className={change.kind === "up" ? "font-semibold text-leaf" : "font-semibold text-red-800"}>
      {change.kind === "up" ? text.up : text.down}
    </span>
  );
}

/** The period's figures, each beside the previous period's, and revenue day by day. */
export async function FiguresSection(props: SectionProps) {
  const t = await getTranslations("dashboardInsight.figures");
  const tc = await getTranslations("dashboardInsight.charts");
  const formats = await formatsFor(props);
  const caller = await serverCaller(props.slug);
  const [figures, base] = await Promise.all([
    caller.analytics.figures({ period: props.period, locationId: props.locationId }),
    guestBaseOf(props.slug, props.locationId),
  ]);
  const { current, previous } = figures;
  const relative = (key: keyof typeof current) => relativeChange(current[key], previous[key], props.locale);
  const points = (key: keyof typeof current) => pointChange(current[key], previous[key], props.locale);
  const cards: { key: string; label: string; hint?: string; value: string; was: string; change: Change; pp?: true }[] =
    [
      {
        key: "revenue",
        label: t("revenue"),
        hint: t("revenueHint"),
        value: formats.money(current.revenue),
        was: formats.money(previous.revenue),
        change: relative("revenue"),
      },
      {
        key: "receipts",
        label: t("receipts"),
        value: formats.count(current.receipts),
        was: formats.count(previous.receipts),
        change: relative("receipts"),
      },
      {
        key: "averageCheck",
        label: t("averageCheck"),
        value: formats.money(current.averageCheck),
        was: formats.money(previous.averageCheck),
        change: relative("averageCheck"),
      },
      {
        key: "activeGuests",
        label: t("activeGuests"),
        hint: t("activeGuestsHint"),
        value: formats.count(current.activeGuests),
        was: formats.count(previous.activeGuests),
        change: relative("activeGuests"),
      },
      {
        key: "identifiedShare",
        label: t("identifiedShare"),
        value: formats.percent(current.identifiedShare),
        was: formats.percent(previous.identifiedShare),
        change: points("identifiedShare"),
        pp: true,
      },
      {
        key: "returningShare",
        label: t("returningShare"),
        hint: t("returningShareHint"),
        value: formats.percent(current.returningShare),
        was: formats.percent(previous.returningShare),
        change: points("returningShare"),
        pp: true,
      },
      {
        key: "newGuests",
        label: t("newGuests"),
        value: formats.count(current.newGuests),
        was: formats.count(previous.newGuests),
        change: relative("newGuests"),
      },
      {
        key: "onlineReceipts",
        label: t("onlineReceipts"),
        value: formats.count(current.onlineReceipts),
        was: formats.count(previous.onlineReceipts),
        change: relative("onlineReceipts"),
      },
      {
        key: "onlineShare",
        label: t("onlineShare"),
        value: formats.percent(current.onlineShare),
        was: formats.percent(previous.onlineShare),
        change: points("onlineShare"),
        pp: true,
      },
      {
        key: "pointsIssued",
        label: t("pointsIssued"),
        hint: t("pointsIssuedHint"),
        value: formats.count(current.pointsIssued),
        was: formats.count(previous.pointsIssued),
        change: relative("pointsIssued"),
      },
      {
        key: "pointsSpent",
        label: t("pointsSpent"),
        value: formats.count(current.pointsSpent),
        was: formats.count(previous.pointsSpent),
        change: relative("pointsSpent"),
      },
    ];
  const badgeText = (change: Change, pp?: true) => {
    const shown =
      change.kind === "up" || change.kind === "down" ? (pp ? t("points", { value: change.text }) : change.text) : "";
    return {
      none: t("noChange"),
      new: t("noBase"),
      up: t("up", { change: shown }),
      down: t("down", { change: shown }),
    };
  };
  const chart = figures.daily.map((day, index) => ({
    label: formats.day(day.current.day),
    current: day.current.revenue,
    previous: day.previous?.revenue ?? null,
    index,
  }));
  return (
    <>
      <Section id="figures" title={t("title")}>
        <dl className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4" data-testid="figures">
          {cards.map((card) => (
            <div key={card.key} className="rounded-xl bg-crema p-4" data-figure={card.key}>
              <dt className="text-sm font-medium" title={card.hint}>
                {card.label}
              </dt>
              <dd className="text-2xl font-bold tabular-nums">{card.value}</dd>
              <dd className="mt-1 text-sm">
                <ChangeBadge change={card.change} text={badgeText(card.change, card.pp)} />{" "}
                <span className="text-espresso/80">· {t("previous", { value: card.was })}</span>
              </dd>
            </div>
          ))}
          <div className="rounded-xl bg-crema p-4" data-figure="pointsOutstanding">
            <dt className="text-sm font-medium">{t("pointsOutstanding")}</dt>
            <dd className="text-2xl font-bold tabular-nums">{formats.count(base.pointsOutstanding)}</dd>
            <dd className="mt-1 text-sm">
              {t("liability", { money: formats.money(base.liability) })}{" "}
              <span className="text-espresso/80">· {t("now")}</span>
            </dd>
          </div>
        </dl>
      </Section>
      <Section id="revenue" title={tc("revenueByDay")}>
        <RevenueChart
          data={chart}
          currency={props.currency}
          locale={props.locale}
          names={{ current: tc("thisPeriod"), previous: tc("previousPeriod") }}
        />
        <AsTable>
          <table className="text-sm">
            <caption className="sr-only">{tc("revenueByDay")}</caption>
            <thead>
              <tr>
                <th scope="col" className={cell}>
                  {tc("day")}
                </th>
                <th scope="col" className={numberCell}>
                  {tc("thisPeriod")}
                </th>
                <th scope="col" className={cell}>
                  {tc("day")}
                </th>
                <th scope="col" className={numberCell}>
                  {tc("previousPeriod")}
                </th>
              </tr>
            </thead>
            <tbody>
              {figures.daily.map((day) => (
                <tr key={day.current.day}>
                  <th scope="row" className={cell}>
                    {formats.day(day.current.day)}
                  </th>
                  <td className={numberCell}>{formats.money(day.current.revenue)}</td>
                  <td className={cell}>{day.previous ? formats.day(day.previous.day) : "—"}</td>
                  <td className={numberCell}>{day.previous ? formats.money(day.previous.revenue) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </AsTable>
      </Section>
    </>
  );
}

// ---------------------------------------------------------------------------------------------

/** Checks by weekday × hour: a grid of shaded cells, and the same numbers as a table. */
export async function HeatmapSection(props: SectionProps) {
  const t = await getTranslations("dashboardInsight.charts");
  const formats = await formatsFor(props);
  const heatmap = await (await serverCaller(props.slug)).analytics.heatmap({
    period: props.period,
    locationId: props.locationId,
  });
  // Hours anyone came, so a café open 8–21 is not drawn with a dozen empty columns.
  const busy = Array.from({ length: 24 }, (_, hour) => hour).filter((hour) =>
    heatmap.checks.some((week) => (week[hour] ?? 0) > 0),
  );
  const first = busy[0] ?? 0;
  const hours =
    busy.length === 0 ? [] : Array.from({ length: (busy.at(-1) ?? first) - first + 1 }, (_, i) => first + i);
  const shade = (count: number) => (heatmap.max === 0 ? 0 : count / heatmap.max);
  return (
    <Section id="heatmap" title={t("heatmap")} hint={t("heatmapHint")}>
      {hours.length === 0 ? (
        <p className="mt-2">{t("empty")}</p>
      ) : (
        <>
          <div className="mt-3 overflow-x-auto" aria-hidden="true" data-testid="heatmap">
            <div
              className="grid min-w-[36rem] max-w-4xl gap-0.5 text-xs"
              style={{ gridTemplateColumns: `3rem repeat(${hours.length}, minmax(1.25rem, 1fr))` }}
            >
              <span />
              {hours.map((hour) => (
                <span key={hour} className="text-center tabular-nums">
                  {hour}
                </span>
              ))}
              {heatmap.checks.map((week, weekday) => (
                <div key={formats.weekdays[weekday]} className="contents">
                  <span className="pr-1 font-medium">{formats.weekdays[weekday]}</span>
                  {hours.map((hour) => {
                    const count = week[hour] ?? 0;
                    return (
                      <span
                        key={hour}
                        title={t("checksAt", { day: formats.weekdays[weekday] ?? "", hour, count })}
                        className="h-6 rounded-sm border border-espresso/10"
                        style={{
                          backgroundColor: `color-mix(in srgb, var(--color-roast) ${Math.round(shade(count) * 100)}%, white)`,
                        }}
                      />
                    );
                  })}
                </div>
              ))}
            </div>
          </div>
          <AsTable>
            <table className="text-sm">
              <caption className="sr-only">{t("heatmap")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={cell}>
                    {t("weekday")}
                  </th>
                  {hours.map((hour) => (
                    <th key={hour} scope="col" className={numberCell}>
                      {`${hour}:00`}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {heatmap.checks.map((week, weekday) => (
                  <tr key={formats.weekdays[weekday]}>
                    <th scope="row" className={cell}>
                      {formats.weekdays[weekday]}
                    </th>
                    {hours.map((hour) => (
                      <td key={hour} className={numberCell}>
                        {formats.count(week[hour] ?? 0)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </AsTable>
        </>
      )}
    </Section>
  );
}

// ---------------------------------------------------------------------------------------------

/** Retention cohorts: a table whose cells are shaded by the share of the cohort that came back. */
export async function CohortsSection(props: SectionProps) {
  const t = await getTranslations("dashboardInsight.charts");
  const formats = await formatsFor(props);
  const cohorts = await (await serverCaller(props.slug)).analytics.cohorts({
    period: props.period,
    locationId: props.locationId,
  });
  // Month 0 (the first visit's month), 1, 2… as far as the oldest cohort goes.
  const offsets = Array.from({ length: Math.max(0, ...cohorts.map((cohort) => cohort.retained.length)) }, (_, n) => n);
  return (
    <Section id="cohorts" title={t("cohorts")} hint={t("cohortsHint")}>
      <div className="mt-3 overflow-x-auto">
        <table className="text-sm" data-testid="cohorts">
          <caption className="sr-only">{t("cohorts")}</caption>
          <thead>
            <tr>
              <th scope="col" className={cell}>
                {t("cohort")}
              </th>
              <th scope="col" className={numberCell}>
                {t("newcomers")}
              </th>
              {offsets.map((n) => (
                <th key={`month-${n}`} scope="col" className={numberCell}>
                  {t("monthN", { n })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cohorts.map((cohort) => (
              <tr key={cohort.month}>
                <th scope="row" className={cell}>
                  {formats.month(cohort.month)}
                </th>
                <td className={numberCell}>{formats.count(cohort.guests)}</td>
                {offsets.map((n) => {
                  const retained = cohort.retained[n];
                  if (retained === undefined || cohort.guests === 0) {
                    return (
                      <td key={`month-${n}`} className={numberCell}>
                        {retained === undefined ? "" : "—"}
                      </td>
                    );
                  }
                  const share = retained / cohort.guests;
                  return (
                    <td
                      key={`month-${n}`}
                      className={numberCell}
                      // At most 60 % of the green, so the dark figures keep their contrast on every cell.
                      style={{
                        backgroundColor: `color-mix(in srgb, var(--color-leaf) ${Math.round(share * 60)}%, white)`,
                      }}
                    >
                      {formats.percent(share)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

// ---------------------------------------------------------------------------------------------

/** Guests by tier and by segment (each segment links to its guests). */
export async function GuestBaseSection(props: SectionProps) {
  const t = await getTranslations("dashboardInsight.charts");
  const formats = await formatsFor(props);
  const base = await guestBaseOf(props.slug, props.locationId);
  const largest = Math.max(1, ...base.segments.map((segment) => segment.guests));
  return (
    <div className="lg:grid lg:grid-cols-2 lg:gap-8">
      <Section id="tiers" title={t("tiers")}>
        <TierChart
          data={base.tiers.map((tier) => ({ name: tier.name, guests: tier.guests }))}
          guestsLabel={t("guests")}
        />
        <AsTable>
          <table className="text-sm">
            <caption className="sr-only">{t("tiers")}</caption>
            <thead>
              <tr>
                <th scope="col" className={cell}>
                  {t("tier")}
                </th>
                <th scope="col" className={numberCell}>
                  {t("guests")}
                </th>
              </tr>
            </thead>
            <tbody>
              {base.tiers.map((tier) => (
                <tr key={tier.id}>
                  <th scope="row" className={cell}>
                    {tier.name}
                  </th>
                  <td className={numberCell}>{formats.count(tier.guests)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </AsTable>
      </Section>
      <Section id="segments" title={t("segments")} hint={t("segmentsHint")}>
        <ul className="mt-3 flex max-w-xl flex-col gap-2" data-testid="segments">
          {base.segments.map((segment) => {
            const name = t(`segmentNames.${segment.key}`);
            return (
              <li key={segment.key}>
                <Link
                  href={`/dashboard/${props.slug}/guests?segment=${segment.key}`}
                  className="grid grid-cols-[8rem_1fr_auto] items-center gap-3 rounded-lg px-2 py-1 hover:bg-crema"
                  aria-label={t("openSegment", { segment: name, count: formats.count(segment.guests) })}
                >
                  <span className="font-medium underline">{name}</span>
                  <span aria-hidden="true" className="h-3 rounded-sm bg-crema">
                    <span
                      className="block h-3 rounded-sm bg-roast"
                      style={{ width: `${Math.round((segment.guests / largest) * 100)}%` }}
                    />
                  </span>
                  <span className="tabular-nums">{formats.count(segment.guests)}</span>
                </Link>
              </li>
            );
          })}
        </ul>
        {base.unsegmented > 0 ? (
          <p className="mt-2 text-sm text-espresso/80">
            {t("unsegmented", { count: formats.count(base.unsegmented) })}
          </p>
        ) : null}
      </Section>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

function Bar({ share }: { share: number }) {
  return (
    <span aria-hidden="true" className="block h-2 w-24 rounded-sm bg-crema">
      <span className="block h-2 rounded-sm bg-roast" style={{ width: `${Math.round(share * 100)}%` }} />
    </span>
  );
}

/** The period's best sellers and the pairs bought together. */
export async function ProductsSection(props: SectionProps) {
  const t = await getTranslations("dashboardInsight.charts");
  const formats = await formatsFor(props);
  const { products, pairs } = await (await serverCaller(props.slug)).analytics.products({
    period: props.period,
    locationId: props.locationId,
  });
  const topRevenue = Math.max(1, ...products.map((product) => product.revenue));
  const topPair = Math.max(1, ...pairs.map((pair) => pair.receipts));
  return (
    <div className="lg:grid lg:grid-cols-2 lg:gap-8">
      <Section id="products" title={t("topProducts")}>
        {products.length === 0 ? (
          <p className="mt-2">{t("empty")}</p>
        ) : (
          <div className="mt-3 overflow-x-auto">
            <table className="text-sm" data-testid="top-products">
              <caption className="sr-only">{t("topProducts")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={cell}>
                    {t("product")}
                  </th>
                  <th scope="col" className={numberCell}>
                    {t("quantity")}
                  </th>
                  <th scope="col" className={numberCell}>
                    {t("revenue")}
                  </th>
                  <td className={cell} />
                </tr>
              </thead>
              <tbody>
                {products.map((product) => (
                  <tr key={product.sku}>
                    <th scope="row" className={cell}>
                      {product.name}
                    </th>
                    <td className={numberCell}>{formats.count(product.quantity)}</td>
                    <td className={numberCell}>{formats.money(product.revenue)}</td>
                    <td className={cell}>
                      <Bar share={product.revenue / topRevenue} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <Section id="pairs" title={t("topPairs")} hint={t("topPairsHint")}>
        {pairs.length === 0 ? (
          <p className="mt-2">{t("empty")}</p>
        ) : (
          <div className="mt-3 overflow-x-auto">
            <table className="text-sm" data-testid="top-pairs">
              <caption className="sr-only">{t("topPairs")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={cell}>
                    {t("pair")}
                  </th>
                  <th scope="col" className={numberCell}>
                    {t("receipts")}
                  </th>
                  <td className={cell} />
                </tr>
              </thead>
              <tbody>
                {pairs.map((pair) => (
                  <tr key={`${pair.skuA}+${pair.skuB}`}>
                    <th scope="row" className={cell}>
                      {pair.nameA} + {pair.nameB}
                    </th>
                    <td className={numberCell}>{formats.count(pair.receipts)}</td>
                    <td className={cell}>
                      <Bar share={pair.receipts / topPair} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

/** The survey's answers summed up, with the newest comments and a link to all of them. */
export async function SurveySection(props: SectionProps) {
  const t = await getTranslations("dashboardInsight.survey");
  const caller = await serverCaller(props.slug);
  const [surveys, comments] = await Promise.all([
    caller.analytics.survey({ locationId: props.locationId }),
    caller.analytics.comments({ locationId: props.locationId, page: 1 }),
  ]);
  const query = props.locationId ? `?location=${props.locationId}` : "";
  return (
    <Section id="survey" title={t("title")}>
      {surveys.length === 0 ? <p className="mt-2">{t("none")}</p> : null}
      {surveys.map((survey) => (
        <SurveyAnswers key={survey.id} survey={survey} locale={props.locale} />
      ))}
      {surveys.length > 0 ? (
        <>
          <h3 className="mt-4 font-semibold">{t("comments")}</h3>
          <CommentList slug={props.slug} comments={comments.comments.slice(0, 3)} timeZone={props.timeZone} />
          {comments.total > 0 ? (
            <Link href={`/dashboard/${props.slug}/analytics${query}`} className="mt-2 inline-block underline">
              {t("allComments", { count: comments.total })}
            </Link>
          ) : null}
        </>
      ) : null}
    </Section>
  );
}
