import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("campaigns");

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<{ finished?: string }> };

/** The café's campaigns with their status and counts (owners and managers). */
export default async function CampaignsPage({ params, searchParams }: Props) {
  const slug = (await params).tenant;
  const base = `/dashboard/${slug}/campaigns`;
  const staff = await requireStaffPage(slug, "campaigns.manage", base);
  const finished = (await searchParams).finished === "1";
  const t = await getTranslations("campaigns");
  const locale = await getLocale();
  const { campaigns } = await (await serverCaller(slug)).campaigns.list({ finished });
  const day = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: staff.tenant.timezone });
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-2 max-w-3xl">{t("lead")}</p>
      <div className="mt-4 flex flex-wrap items-center gap-4">
        <Link href={`${base}/new`} className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema hover:bg-roast">
          {t("new")}
        </Link>
        <Link href={`${base}/settings`} className="underline">
          {t("settingsLink")}
        </Link>
        <Link href={finished ? base : `${base}?finished=1`} className="underline">
          {finished ? t("showActive") : t("showFinished")}
        </Link>
      </div>
      {campaigns.length === 0 ? (
        <p className="mt-6">{finished ? t("emptyFinished") : t("empty")}</p>
      ) : (
        <div className="mt-6 overflow-x-auto">
          <table className="w-full min-w-[48rem] text-left">
            <caption className="sr-only">{t("table.caption")}</caption>
            <thead>
              <tr className="border-b border-espresso/20 text-sm">
                <th scope="col" className="py-2 pr-3">
                  {t("table.name")}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t("table.status")}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t("table.sent")}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t("table.queued")}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t("table.heldOut")}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t("table.skipped")}
                </th>
                <th scope="col" className="py-2">
                  <span className="sr-only">{t("table.links")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((campaign) => (
                <tr key={campaign.id} className="border-b border-espresso/10 align-top" data-campaign={campaign.id}>
                  <td className="py-2 pr-3">
                    <Link href={`${base}/${campaign.id}/edit`} className="font-semibold underline">
                      {campaign.name}
                    </Link>
                    <p className="text-sm text-espresso/80">
                      {t(`kinds.${campaign.kind as "win_back"}`)}
                      {campaign.launchedAt ? ` · ${t("launchedOn", { date: day.format(campaign.launchedAt) })}` : ""}
                    </p>
                  </td>
                  <td className="py-2 pr-3">{t(`statuses.${campaign.status}`)}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{campaign.counts.sent}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{campaign.counts.queued}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{campaign.counts.heldOut}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{campaign.counts.skipped}</td>
                  <td className="py-2 text-right">
                    <Link
                      href={`${base}/${campaign.id}`}
                      className="underline"
                      aria-label={t("resultsOf", { name: campaign.name })}
                    >
                      {t("results")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
