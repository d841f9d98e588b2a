import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { DashboardFilters } from "@/components/dashboard/insight/filters";
import {
  CohortsSection,
  FiguresSection,
  GuestBaseSection,
  HeatmapSection,
  ProductsSection,
  SectionPending,
  type SectionProps,
  SurveySection,
  TodaySection,
} from "@/components/dashboard/insight/sections";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { SetupChecklist } from "@/components/dashboard/setup-checklist";
import { isDay, PERIOD_KINDS, type PeriodInput, type PeriodKind, resolvePeriod } from "@/server/analytics/period";
import { requireStaffPage } from "@/server/auth/guard";
import { can } from "@/server/auth/permissions";
import { ownEmailConfirmed } from "@/server/signup/steps";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("overview");

export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The period asked for in the address (a week to date by default); anything unreadable is left out. */
function periodFrom(search: Search): PeriodInput {
  const kind = one(search.period);
  const from = one(search.from);
  const to = one(search.to);
  return {
    kind: PERIOD_KINDS.includes(kind as PeriodKind) ? (kind as PeriodKind) : "week",
    ...(isDay(from) ? { from } : {}),
    ...(isDay(to) ? { to } : {}),
  };
}

/**
 * The owner's dashboard: today's figures live, then the chosen period and location against the
 * period before — figures, revenue by day, the weekday × hour heatmap, cohorts, tiers, segments,
 * products and the survey. Each part streams in on its own. A barista's home is the order board.
 */
export default async function DashboardPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Search>;
}) {
  const slug = (await params).tenant;
  const base = `/dashboard/${slug}`;
  const staff = await requireStaffPage(slug, "dashboard.view", base);
  const limited = staff.locationIds.length > 0;
  if (!can(staff.role, "analytics.read", limited)) redirect(`${base}/orders`);
  const t = await getTranslations("dashboard");
  const tc = await getTranslations("dashboardInsight.charts");
  const tf = await getTranslations("dashboardInsight.figures");
  const ts = await getTranslations("dashboardInsight.survey");
  const caller = await serverCaller(slug);
  // The first-steps checklist, for owners, until every step is done.
  const checklist = can(staff.role, "storefront.open") ? await caller.setup.checklist() : null;
  const showChecklist = checklist !== null && !checklist.complete;
  const confirmed = showChecklist ? await ownEmailConfirmed(staff.session.userId) : true;

  const search = await searchParams;
  const scope = await caller.analytics.scope();
  const asked = one(search.location);
  const locationId = scope.locations.find((location) => location.id === asked)?.id ?? null;
  const period = periodFrom(search);
  const resolved = resolvePeriod(period, scope.today);
  const props: SectionProps = {
    slug,
    currency: staff.tenant.currency,
    locale: await getLocale(),
    timeZone: staff.tenant.timezone,
    // The resolved days, so every section shows the same period even across midnight.
    period: { kind: period.kind, from: resolved.current.from, to: resolved.current.to },
    locationId,
  };
  // Sections keyed by what they show, so a new period or location replaces them whole.
  const key = `${resolved.current.from}:${resolved.current.to}:${locationId ?? "all"}`;
  return (
    <>
      <h1 className="text-2xl font-bold">{t("overview")}</h1>
      {showChecklist ? <SetupChecklist tenant={slug} checklist={checklist} emailConfirmed={confirmed} /> : null}
      <Suspense fallback={<SectionPending title={t("overview")} />}>
        <TodaySection {...props} today={scope.today} />
      </Suspense>
      <DashboardFilters
        base={base}
        period={resolved}
        today={scope.today}
        locations={scope.locations}
        locationId={locationId}
        limited={limited}
        currency={staff.tenant.currency}
        locale={props.locale}
      />
      <Suspense key={`figures:${key}`} fallback={<SectionPending title={tf("title")} />}>
        <FiguresSection {...props} />
      </Suspense>
      <Suspense key={`heatmap:${key}`} fallback={<SectionPending title={tc("heatmap")} />}>
        <HeatmapSection {...props} />
      </Suspense>
      <Suspense key={`cohorts:${key}`} fallback={<SectionPending title={tc("cohorts")} />}>
        <CohortsSection {...props} />
      </Suspense>
      <Suspense key={`guests:${key}`} fallback={<SectionPending title={tc("segments")} />}>
        <GuestBaseSection {...props} />
      </Suspense>
      <Suspense key={`products:${key}`} fallback={<SectionPending title={tc("topProducts")} />}>
        <ProductsSection {...props} />
      </Suspense>
      <Suspense key={`survey:${key}`} fallback={<SectionPending title={ts("title")} />}>
        <SurveySection {...props} />
      </Suspense>
    </>
  );
}
