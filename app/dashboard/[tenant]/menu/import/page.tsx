import { getTranslations } from "next-intl/server";
import { MenuImport } from "@/components/dashboard/menu-import";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("menuImport");

export const dynamic = "force-dynamic";

/** Menu import (owners, managers): a dry run of a CSV, then the import as one batch, undoable. */
export default async function MenuImportPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const staff = await requireStaffPage(slug, "menu.manage", `/dashboard/${slug}/menu/import`);
  const t = await getTranslations("menuEditor.import");
  const batches = await (await serverCaller(slug)).menu.imports();
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-1 max-w-3xl text-espresso/80">{t("lead")}</p>
      <p className="mt-2 max-w-3xl text-sm">{t("template")}</p>
      <MenuImport
        tenant={slug}
        timeZone={staff.tenant.timezone}
        batches={batches.map((batch) => ({
          ...batch,
          createdAt: batch.createdAt.toISOString(),
          undoneAt: batch.undoneAt?.toISOString() ?? null,
        }))}
      />
    </>
  );
}
