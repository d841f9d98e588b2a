import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { CampaignForm, type CampaignFormValues } from "@/components/dashboard/campaign-forms";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { CAMPAIGN_KINDS, type CampaignKind, storedFilter } from "@/server/campaigns/manage";
import { filterInWords } from "../filter-words";

export const generateMetadata = sectionMetadata("campaigns");

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ tenant: string }>;
  /** `kind`, and for a one-off from the guests table its filter (the table's own parameters). */
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** A new campaign: a win-back by default, or a one-off to the guests table's filter it came from. */
export default async function NewCampaignPage({ params, searchParams }: Props) {
  const slug = (await params).tenant;
  await requireStaffPage(slug, "campaigns.manage", `/dashboard/${slug}/campaigns/new`);
  const query = await searchParams;
  const t = await getTranslations("campaigns");
  const typed = Array.isArray(query.kind) ? query.kind[0] : query.kind;
  const kind: CampaignKind = CAMPAIGN_KINDS.find((known) => known === typed) ?? "win_back";
  const filter = kind === "one_off" ? storedFilter(query) : {};
  const hasFilter = Object.keys(filter).length > 0;
  // The suggested texts keep their placeholders: the messages quote the braces ('{name}').
  const suggested = (each: CampaignKind) => ({
    name: t(`defaults.${each}.name`),
    subject: t(`defaults.${each}.subject`),
    body: t(`defaults.${each}.body`),
  });
  const initial: CampaignFormValues = {
    kind,
    ...suggested(kind),
    bonusPoints: kind === "win_back" || kind === "birthday" ? "100" : "0",
    bonusExpiresDays: kind === "win_back" || kind === "birthday" ? "14" : "",
    daysBefore: kind === "birthday" ? "3" : "",
    holdoutPercent: "10",
    windowDays: "14",
    audience: hasFilter ? "filter" : "sleeping",
    filter,
    scheduledAt: "",
  };
  const defaults = Object.fromEntries(CAMPAIGN_KINDS.map((each) => [each, suggested(each)])) as Record<
    CampaignKind,
    { name: string; subject: string; body: string }
  >;
  return (
    <>
      <Link href={`/dashboard/${slug}/campaigns`} className="underline">
        {t("form.backToList")}
      </Link>
      <h1 className="mt-2 text-2xl font-bold">{t("form.createTitle")}</h1>
      <div className="mt-4">
        <CampaignForm
          key={kind}
          tenant={slug}
          initial={initial}
          defaults={defaults}
          filterSummary={hasFilter ? t("form.filterSummary", { filter: await filterInWords(filter) }) : undefined}
        />
      </div>
    </>
  );
}
