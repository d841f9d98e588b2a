import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { AdjustPointsForm } from "@/components/dashboard/adjust-points-form";
import { CampaignTimelineEntry } from "@/components/dashboard/campaign-timeline-entry";
import { requireStaffPage } from "@/server/auth/guard";
import { can } from "@/server/auth/permissions";
import { formatDate, formatDateTime, formatMoney, formatNumber, formatPercent } from "@/server/format";
import type { GuestCard, TimelineItem } from "@/server/guests/card";
import { tierNameIn } from "@/server/loyalty/formulas";
import { isGuestCancel } from "@/server/orders/cancel-reason";
import { serverCaller } from "@/server/trpc/server-caller";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("dashboard.sections"))("guests") };
}

const TIMELINE_PAGE = 30;

/** One guest's card: profile, loyalty, visits and rhythm, favourites, and the whole history in one timeline. */
export default async function GuestCardPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string; id: string }>;
  searchParams: Promise<{ after?: string }>;
}) {
  const { tenant: slug, id } = await params;
  const base = `/dashboard/${slug}/guests`;
  const staff = await requireStaffPage(slug, "guests.read", `${base}/${id}`);
  const after = (await searchParams).after;
  const caller = await serverCaller(slug);
  let card: GuestCard;
  let timeline: { items: TimelineItem[]; nextCursor: string | null };
  try {
    card = await caller.guests.card({ guestId: id });
    timeline = await caller.guests
      .timeline({ guestId: id, cursor: after ?? null, limit: TIMELINE_PAGE })
      .catch(async (error) => {
        // A cursor edited by hand: the newest events instead.
        if (error instanceof TRPCError && error.code === "BAD_REQUEST") {
          return caller.guests.timeline({ guestId: id, limit: TIMELINE_PAGE });
        }
        throw error;
      });
  } catch (error) {
    // Another café's guest, one outside the member's locations, a deleted one, or no such id.
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
  const t = await getTranslations("guestsInsight");
  const locale = await getLocale();
  const zone = staff.tenant.timezone;
  const money = (minor: number) => formatMoney(minor, staff.tenant.currency, locale);
  const dateFormat = { format: (at: Date) => formatDate(at, locale, zone) };
  const dateTimeFormat = { format: (at: Date) => formatDateTime(at, locale, zone) };
  const date = (value: Date | null) => (value ? dateFormat.format(value) : "—");
  const percent = { format: (share: number) => formatPercent(share, locale) };
  const decimal = { format: (value: number) => formatNumber(value, locale) };
  const weekdays = t.raw("card.weekdays") as string[];
  const weekdaysLong = t.raw("card.weekdaysLong") as string[];
  const { stats, rhythm } = card;
  const overdue = rhythm.expectedNextVisitAt !== null && rhythm.expectedNextVisitAt.getTime() < Date.now();

  return (
    <>
      <Link href={base} className="text-sm underline">
        {t("card.back")}
      </Link>
      <h1 className="mt-2 text-2xl font-bold">{card.name ?? t("noName")}</h1>
      {card.blocked ? <p className="font-medium text-red-800">{t("card.blocked")}</p> : null}
      {card.onlineBlocked ? <p className="font-medium text-red-800">{t("card.onlineBlocked")}</p> : null}

      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <section aria-labelledby="profile" className="rounded-xl bg-crema p-4">
          <h2 id="profile" className="text-lg font-semibold">
            {t("card.profile")}
          </h2>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
            <dt className="font-medium">{t("card.phone")}</dt>
            <dd>{card.phone ?? "—"}</dd>
            <dt className="font-medium">{t("card.email")}</dt>
            <dd className="break-all">{card.email ?? "—"}</dd>
            <dt className="font-medium">{t("card.birthday")}</dt>
            <dd>{card.birthday ? dateFormat.format(new Date(`${card.birthday}T12:00:00Z`)) : "—"}</dd>
            <dt className="font-medium">{t("card.cardCode")}</dt>
            <dd>{card.cardCode}</dd>
            <dt className="font-medium">{t("card.enrolled")}</dt>
            <dd>{date(card.enrolledAt)}</dd>
            <dt className="font-medium">{t("card.marketing")}</dt>
            <dd>{card.marketingOptIn ? t("yes") : t("no")}</dd>
          </dl>
          <h3 className="mt-3 font-semibold">{t("card.consents")}</h3>
          <ul className="mt-1 list-disc pl-5 text-sm">
            {card.consents.map((consent) => (
              <li key={`${consent.kind}-${consent.at.toISOString()}`}>
                {t("card.consentLine", {
                  kind: t(`card.consentKinds.${consent.kind}`),
                  granted: String(consent.granted),
                  channel: t(`card.consentChannels.${consent.channel as "pos"}`),
                  version: consent.textVersion,
                  date: date(consent.at),
                })}
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="loyalty" className="rounded-xl bg-crema p-4">
          <h2 id="loyalty" className="text-lg font-semibold">
            {t("card.loyalty")}
          </h2>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
            <dt className="font-medium">{t("card.balance")}</dt>
            <dd data-testid="guest-balance">
              {t("card.points", { points: card.balance })} (
              {t("card.balanceValue", { amount: money(card.balanceValue) })})
            </dd>
            <dt className="font-medium">{t("card.tier")}</dt>
            <dd>{tierNameIn(card.tier, locale)}</dd>
            <dt className="font-medium">{t("card.lifetimePaid")}</dt>
            <dd>{money(card.lifetimePaid)}</dd>
          </dl>
          {card.nextTier ? (
            <div className="mt-2">
              <p id="next-tier">
                {t("card.nextTier", {
                  name: tierNameIn(card.nextTier, locale),
                  amount: money(card.nextTier.remaining),
                })}
              </p>
              <div
                role="progressbar"
                aria-labelledby="next-tier"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(card.nextTier.progress * 100)}
                className="mt-1 h-2 rounded-full bg-white"
              >
                <div className="h-2 rounded-full bg-espresso" style={{ width: `${card.nextTier.progress * 100}%` }} />
              </div>
            </div>
          ) : (
            <p className="mt-2">{t("card.topTier")}</p>
          )}
          {can(staff.role, "guests.adjust_points", staff.locationIds.length > 0) ? (
            <details className="mt-4">
              <summary className="cursor-pointer font-semibold">{t("adjust.title")}</summary>
              <div className="mt-2">
                <AdjustPointsForm tenant={slug} guestId={card.id} balance={card.balance} />
              </div>
            </details>
          ) : null}
        </section>

        <section aria-labelledby="rhythm" className="rounded-xl bg-crema p-4">
          <h2 id="rhythm" className="text-lg font-semibold">
            {t("card.rhythm")}
          </h2>
          {stats ? (
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1" data-testid="guest-rhythm">
              <dt className="font-medium">{t("card.segment")}</dt>
              <dd>{stats.segment ? t(`segments.${stats.segment as "new"}`) : "—"}</dd>
              <dt className="font-medium">{t("card.medianGap")}</dt>
              <dd>
                {rhythm.medianGapDays === null ? "—" : t("card.days", { days: Math.round(rhythm.medianGapDays) })}
              </dd>
              <dt className="font-medium">{t("card.daysSince")}</dt>
              <dd>
                {rhythm.daysSinceLastVisit === null ? "—" : t("card.days", { days: rhythm.daysSinceLastVisit })}
                {rhythm.gapRatio !== null && rhythm.gapRatio >= 1.5 ? (
                  <strong className="ml-1 text-red-800">
                    ({t("card.gapRatio", { ratio: decimal.format(rhythm.gapRatio) })})
                  </strong>
                ) : null}
              </dd>
              <dt className="font-medium">{t("card.pActive")}</dt>
              <dd>{rhythm.pActive === null ? "—" : percent.format(rhythm.pActive)}</dd>
              <dt className="font-medium">{t("card.expectedVisits")}</dt>
              <dd>{rhythm.expectedVisits30d === null ? "—" : decimal.format(rhythm.expectedVisits30d)}</dd>
              <dt className="font-medium">{t("card.expectedNext")}</dt>
              <dd>
                {date(rhythm.expectedNextVisitAt)}
                {overdue ? <span className="ml-1 text-red-800">({t("card.overdue")})</span> : null}
              </dd>
              {stats.rfm ? (
                <>
                  <dt className="font-medium">{t("card.rfm")}</dt>
                  <dd>{t("card.rfmScores", stats.rfm)}</dd>
                </>
              ) : null}
            </dl>
          ) : (
            <p className="mt-2">{t("card.noVisits")}</p>
          )}
          {stats && rhythm.pActive === null && rhythm.fittedAt === null ? (
            <p className="mt-2 text-sm">{t("card.notFitted")}</p>
          ) : null}
        </section>
      </div>

      {stats ? (
        <section aria-labelledby="visits" className="mt-4 rounded-xl border border-espresso/20 p-4">
          <h2 id="visits" className="text-lg font-semibold">
            {t("card.visitsHeading")}
          </h2>
          <div className="mt-2 grid gap-4 md:grid-cols-3">
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
              <dt className="font-medium">{t("card.visits")}</dt>
              <dd>
                {stats.visits} ({t("card.channelMix", { pos: stats.posVisits, online: stats.onlineVisits })})
              </dd>
              <dt className="font-medium">{t("card.lifetimeSpend")}</dt>
              <dd>{money(stats.spend)}</dd>
              <dt className="font-medium">{t("card.averageCheck")}</dt>
              <dd>{money(stats.averageCheck)}</dd>
              <dt className="font-medium">{t("card.firstVisit")}</dt>
              <dd>{date(stats.firstVisitAt)}</dd>
              <dt className="font-medium">{t("card.lastVisit")}</dt>
              <dd>{date(stats.lastVisitAt)}</dd>
              <dt className="font-medium">{t("card.locations")}</dt>
              <dd>{stats.locationNames.join(", ") || "—"}</dd>
              <dt className="font-medium">{t("card.usually")}</dt>
              <dd>
                {stats.usualWeekday !== null && stats.usualHour !== null
                  ? t("card.usualTime", { weekday: weekdaysLong[stats.usualWeekday] ?? "", hour: stats.usualHour })
                  : t("card.noHabit")}
              </dd>
            </dl>
            <table className="text-sm">
              <caption className="text-left font-semibold">{t("card.weekdayChart")}</caption>
              <tbody>
                {card.weekdays.map((count, day) => {
                  const max = Math.max(1, ...card.weekdays);
                  return (
                    <tr key={weekdays[day]}>
                      <th scope="row" className="pr-2 text-left font-normal">
                        {weekdays[day]}
                      </th>
                      <td className="w-full">
                        <div
                          className="h-3 rounded bg-espresso"
                          style={{ width: `${(count / max) * 100}%` }}
                          aria-hidden="true"
                        />
                      </td>
                      <td className="pl-2 text-right">{count}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <div>
              <h3 className="font-semibold">{t("card.favourites")}</h3>
              {card.favourites.length > 0 ? (
                <ol className="mt-1 list-decimal pl-5" data-testid="guest-favourites">
                  {card.favourites.map((item) => (
                    <li key={item.sku}>
                      {item.name} — {t("card.inChecks", { count: item.checks })}
                    </li>
                  ))}
                </ol>
              ) : (
                <p>{t("card.noFavourites")}</p>
              )}
              {card.pairs.length > 0 ? (
                <>
                  <h3 className="mt-3 font-semibold">{t("card.pairs")}</h3>
                  <ul className="mt-1 list-disc pl-5">
                    {card.pairs.map((pair) => (
                      <li key={`${pair.nameA}+${pair.nameB}`}>
                        {pair.nameA} + {pair.nameB} — {t("card.inChecks", { count: pair.checks })}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </div>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="timeline" className="mt-6">
        <h2 id="timeline" className="text-lg font-semibold">
          {t("timeline.title")}
        </h2>
        {timeline.items.length === 0 ? <p className="mt-2">{t("timeline.empty")}</p> : null}
        <ol className="mt-2 flex flex-col gap-2" data-testid="guest-timeline">
          {timeline.items.map((item) => (
            <li key={item.key} className="rounded-lg border border-espresso/15 p-3" data-kind={item.kind}>
              <p className="text-sm text-espresso/80">
                <time dateTime={item.at.toISOString()}>{dateTimeFormat.format(item.at)}</time>
              </p>
              <TimelineEntry item={item} money={money} t={t} />
            </li>
          ))}
        </ol>
        <nav aria-label={t("timeline.title")} className="mt-3 flex gap-4">
          {after ? (
            <Link href={`${base}/${id}`} className="underline">
              {t("timeline.newest")}
            </Link>
          ) : null}
          {timeline.nextCursor ? (
            <Link href={`${base}/${id}?after=${encodeURIComponent(timeline.nextCursor)}`} className="underline">
              {t("timeline.older")}
            </Link>
          ) : null}
        </nav>
      </section>
    </>
  );
}

type Translate = Awaited<ReturnType<typeof getTranslations<"guestsInsight">>>;

function Lines({
  lines,
  money,
}: {
  lines: { name: string; quantity: number; amount: number; detail?: string | null }[];
  money: (minor: number) => string;
}) {
  if (lines.length === 0) return null;
  return (
    <ul className="mt-1 text-sm">
      {lines.map((line, index) => (
        // Lines are an ordered snapshot of one check; their position is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <li key={index}>
          {line.quantity !== 1 ? `${line.quantity} × ` : ""}
          {line.name}
          {line.detail ? ` (${line.detail})` : ""} — {money(line.amount)}
        </li>
      ))}
    </ul>
  );
}

function TimelineEntry({ item, money, t }: { item: TimelineItem; money: (minor: number) => string; t: Translate }) {
  switch (item.kind) {
    case "visit":
      return (
        <>
          <p className="font-semibold">
            {t(item.channel === "pos" ? "timeline.visit" : "timeline.onlineVisit", { location: item.locationName })}
            {item.claimed ? <span className="ml-1 text-sm font-normal">({t("timeline.claimed")})</span> : null}
          </p>
          <p className="text-sm">
            {t("timeline.total", { amount: money(item.total) })}
            {item.pointsEarned ? ` · ${t("timeline.earned", { points: item.pointsEarned })}` : ""}
            {item.pointsRedeemed ? ` · ${t("timeline.redeemed", { points: item.pointsRedeemed })}` : ""}
          </p>
          <Lines lines={item.lines} money={money} />
        </>
      );
    case "order":
      return (
        <>
          <p className="font-semibold">
            {t("timeline.order", { code: item.pickupCode, location: item.locationName })} —{" "}
            {t(`timeline.status.${item.status}`)}
          </p>
          <p className="text-sm">
            {t("timeline.total", { amount: money(item.subtotal) })}
            {item.pointsApplied ? ` · ${t("timeline.applied", { points: item.pointsApplied })}` : ""}
            {item.pointsEarned ? ` · ${t("timeline.earned", { points: item.pointsEarned })}` : ""}
            {item.cancelReason
              ? ` · ${isGuestCancel(item.cancelReason) ? t("timeline.cancelledByGuest") : item.cancelReason}`
              : ""}
          </p>
          <Lines lines={item.lines} money={money} />
        </>
      );
    case "refund":
      return (
        <>
          <p className="font-semibold">{t("timeline.refund", { location: item.locationName })}</p>
          <p className="text-sm">
            {t("timeline.refundDetail", {
              amount: money(item.amount),
              total: money(item.receiptTotal),
              reversed: item.pointsReversed,
              returned: item.pointsReturned,
            })}
          </p>
        </>
      );
    case "hold":
      return (
        <p className="font-semibold">
          {t("timeline.hold", { location: item.locationName })}: {item.points} —{" "}
          {t(`timeline.holdStatus.${item.status}`)}
        </p>
      );
    case "points": {
      const key = `timeline.ledger.${item.ledgerKind}` as "timeline.ledger.accrual";
      return (
        <>
          <p className="font-semibold">
            {t.has(key) ? t(key) : item.ledgerKind}: {item.delta > 0 ? `+${item.delta}` : item.delta}
          </p>
          {item.note || item.actorEmail ? (
            <p className="text-sm">
              {item.note}
              {item.actorEmail ? ` · ${t("timeline.by", { email: item.actorEmail })}` : ""}
            </p>
          ) : null}
        </>
      );
    }
    case "campaign":
      return <CampaignTimelineEntry item={item} />;
    case "survey":
      return (
        <>
          <p className="font-semibold">{t("timeline.survey", { title: item.surveyTitle })}</p>
          <dl className="mt-1 text-sm">
            {item.answers.map((answer) => (
              <div key={answer.question}>
                <dt className="inline font-medium">{answer.question}: </dt>
                <dd className="inline">{answer.answer}</dd>
              </div>
            ))}
          </dl>
        </>
      );
  }
}
