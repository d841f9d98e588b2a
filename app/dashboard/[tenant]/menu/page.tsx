import { getTranslations } from "next-intl/server";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { StopList } from "@/components/dashboard/stop-list";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("menu");

export const dynamic = "force-dynamic";

/** The menu's stop-list (owner, manager, barista): today's sold-out products and what each location offers. */
export default async function MenuPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const staff = await requireStaffPage(slug, "menu.stoplist", `/dashboard/${slug}/menu`);
  const t = await getTranslations("stoplist");
  const view = await (await serverCaller(slug)).menu.stopList();
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-1 max-w-2xl text-espresso/80">{view.canManage ? t("introManager") : t("introBarista")}</p>
      <StopList tenant={slug} view={view} currency={staff.tenant.currency} />
    </>
  );
}
