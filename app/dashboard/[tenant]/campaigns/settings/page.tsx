import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { CampaignSettingsForm } from "@/components/dashboard/campaign-forms";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("campaigns");

export const dynamic = "force-dynamic";

/** The café's campaign settings: frequency cap, quiet hours, the global control group. */
export default async function CampaignSettingsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const staff = await requireStaffPage(slug, "campaigns.manage", `/dashboard/${slug}/campaigns/settings`);
  const t = await getTranslations("campaigns");
  const settings = await (await serverCaller(slug)).campaigns.settings();
  return (
    <>
      <Link href={`/dashboard/${slug}/campaigns`} className="underline">
        {t("form.backToList")}
      </Link>
      <h1 className="mt-2 text-2xl font-bold">{t("settings.title")}</h1>
      <p className="mt-2 max-w-3xl">{t("settings.lead")}</p>
      <div className="mt-4">
        <CampaignSettingsForm tenant={slug} initial={settings} timeZone={staff.tenant.timezone} />
      </div>
    </>
  );
}
