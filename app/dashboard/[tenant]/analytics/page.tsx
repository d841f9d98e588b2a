import { getLocale, getTranslations } from "next-intl/server";
import { BarChart } from "@/components/dashboard/bar-chart";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { can } from "@/server/auth/permissions";
import { formatMoney } from "@/server/money";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("analytics");

export const dynamic = "force-dynamic";

/** Sales of the last 30 days: the figures and revenue per day as a chart. */
export default async function AnalyticsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const staff = await requireStaffPage(slug, "analytics.read", `/dashboard/${slug}/analytics`);
  const t = await getTranslations("analytics");
  const summary = await (await serverCaller(slug)).analytics.summary({ days: 30 });
  const money = (value: number) => formatMoney(value, staff.tenant.currency, staff.tenant.locale);
  // "1 дек." / "Dec 1" in the reader's language (the days are the café's calendar days).
  const dayFormat = new Intl.DateTimeFormat(await getLocale(), { day: "numeric", month: "short", timeZone: "UTC" });
  const dayLabel = (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`));
  const figures = [
    { label: t("receipts"), value: String(summary.receipts) },
    { label: t("revenue"), value: money(summary.revenue) },
    { label: t("averageCheck"), value: money(summary.averageCheck) },
    { label: t("guests"), value: String(summary.guests) },
    { label: t("identified"), value: `${summary.identifiedShare} %` },
  ];
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <dl className="mt-4 grid gap-3 sm:grid-cols-3 xl:grid-cols-5">
        {figures.map((figure) => (
          <div key={figure.label} className="rounded-xl bg-crema p-4">
            <dt className="text-sm">{figure.label}</dt>
            <dd className="text-xl font-bold">{figure.value}</dd>
          </div>
        ))}
      </dl>
      <h2 className="mt-8 text-lg font-semibold">{t("revenueByDay")}</h2>
      <BarChart
        label={t("revenueByDay")}
        format={money}
        data={summary.daily.map((day) => ({ key: day.day, label: dayLabel(day.day), value: day.revenue }))}
      />
      {can(staff.role, "guests.export", staff.locationIds.length > 0) ? (
        // A POST from this page (the answer is a download): a link from elsewhere cannot start an audited export.
        <form method="post" action={`/dashboard/${slug}/guests/export`} className="mt-6">
          <button type="submit" className="underline">
            {t("exportGuests")}
          </button>
        </form>
      ) : null}
    </>
  );
}
