import { getTranslations } from "next-intl/server";
import { DataExportPanel } from "@/components/dashboard/data-export-panel";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { IntlProvider } from "@/components/intl-provider";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("dataExport");

export const dynamic = "force-dynamic";

/** All of the café's data in one archive, made in the background (owner and manager). */
export default async function DataExportPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const staff = await requireStaffPage(slug, "data.export", `/dashboard/${slug}/export`);
  const t = await getTranslations("dataExport");
  const latest = await (await serverCaller(slug)).dataExport.latest();
  return (
    <IntlProvider namespaces={["common", "dataExport"]}>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-2 max-w-2xl">{t("intro")}</p>
      <p className="mt-2 max-w-2xl">{staff.role === "owner" ? t("withPersonal") : t("withoutPersonal")}</p>
      <div className="mt-6 max-w-xl">
        <DataExportPanel tenant={slug} initial={latest} />
      </div>
    </IntlProvider>
  );
}
