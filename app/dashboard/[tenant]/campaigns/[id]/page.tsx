import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
// The results themselves (groups, incremental effect, confidence) are the results' component.
import { CampaignResults } from "@/components/dashboard/campaign-results";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("campaigns");

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ tenant: string; id: string }>; searchParams: Promise<Record<string, string>> };

/** A campaign's results page: its header here, the figures from the results component below. */
export default async function CampaignResultsPage({ params }: Props) {
  const { tenant: slug, id } = await params;
  const base = `/dashboard/${slug}/campaigns`;
  await requireStaffPage(slug, "campaigns.manage", `${base}/${id}`);
  const t = await getTranslations("campaigns");
  const campaign = await (await serverCaller(slug)).campaigns.get({ campaignId: id }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  });
  return (
    <>
      <Link href={base} className="underline">
        {t("resultsPage.backToList")}
      </Link>
      <h1 className="mt-2 text-2xl font-bold">{campaign.name}</h1>
      <p className="mt-1">
        {t("resultsPage.kindAndStatus", {
          kind: t(`kinds.${campaign.kind}`),
          status: t(`statuses.${campaign.status}`),
        })}
        {" · "}
        <Link href={`${base}/${campaign.id}/edit`} className="underline">
          {t("resultsPage.edit")}
        </Link>
      </p>
      <div className="mt-6">
        <CampaignResults tenant={slug} campaignId={campaign.id} />
      </div>
    </>
  );
}
