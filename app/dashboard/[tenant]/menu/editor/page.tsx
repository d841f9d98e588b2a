import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { MenuEditor } from "@/components/dashboard/menu-editor";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("menuEditor");

export const dynamic = "force-dynamic";

/** The menu editor (owners, managers): categories, items with sizes and photos, modifier groups, prices per location. */
export default async function MenuEditorPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const staff = await requireStaffPage(slug, "menu.manage", `/dashboard/${slug}/menu/editor`);
  const t = await getTranslations("menuEditor");
  const view = await (await serverCaller(slug)).menu.editor();
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-1 max-w-3xl text-espresso/80">{t("lead")}</p>
      <p className="mt-2 flex flex-wrap gap-4">
        <Link href={`/dashboard/${slug}/menu/import`} className="underline">
          {t("importLink")}
        </Link>
        <Link href={`/dashboard/${slug}/menu`} className="underline">
          {t("stopListLink")}
        </Link>
      </p>
      <MenuEditor tenant={slug} view={view} money={{ currency: staff.tenant.currency, locale: await getLocale() }} />
    </>
  );
}
