import { getTranslations } from "next-intl/server";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { SetupChecklist } from "@/components/dashboard/setup-checklist";
import { appDb } from "@/db/client";
import { requireStaffPage } from "@/server/auth/guard";
import { can } from "@/server/auth/permissions";
import { emailConfirmed } from "@/server/signup/account";
import { tenantOverview } from "@/server/tenants/overview";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("overview");

export const dynamic = "force-dynamic";

export default async function DashboardOverviewPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const { tenant, role, session } = await requireStaffPage(slug, "dashboard.view", `/dashboard/${slug}`);
  const t = await getTranslations("dashboard");
  const { locations, productCount } = await tenantOverview(tenant.id);
  // The first-steps checklist, for owners, until every step is done.
  const checklist = can(role, "storefront.open") ? await (await serverCaller(slug)).setup.checklist() : null;
  const showChecklist = checklist !== null && !checklist.complete;
  const confirmed = showChecklist ? await emailConfirmed(appDb(), session.userId) : true;

  return (
    <>
      <h1 className="text-2xl font-bold">{t("overview")}</h1>
      <p className="mt-2">{t("currency", { currency: tenant.currency, timezone: tenant.timezone })}</p>
      <p className="mt-1">{t("products", { count: productCount })}</p>
      {showChecklist ? <SetupChecklist tenant={slug} checklist={checklist} emailConfirmed={confirmed} /> : null}
      <h2 className="mt-6 text-lg font-semibold">{t("locations")}</h2>
      <ul className="mt-2 list-disc pl-6">
        {locations.map((location) => (
          <li key={location.id}>
            {location.name} — {location.address}
          </li>
        ))}
      </ul>
    </>
  );
}
