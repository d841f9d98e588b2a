import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LocaleSwitcher } from "@/components/locale-switcher";
import { findTenantBySlug } from "@/server/tenants/queries";

type Params = { params: Promise<{ tenant: string }> };

/** The back-office shell: the tenant comes from the URL; sections hang off the navigation. */
export default async function DashboardLayout({ children, params }: Params & { children: React.ReactNode }) {
  const tenant = await findTenantBySlug((await params).tenant);
  if (!tenant) notFound();
  const t = await getTranslations("dashboard");
  const base = `/dashboard/${tenant.slug}`;
  return (
    <div className="min-h-screen bg-white lg:grid lg:grid-cols-[16rem_1fr]">
      <aside className="border-b border-espresso/10 bg-crema p-4 lg:min-h-screen lg:border-r lg:border-b-0">
        <p className="text-sm text-espresso/80">{t("title")}</p>
        <p className="text-lg font-bold">{tenant.name}</p>
        <nav aria-label={t("navigation")} className="mt-4">
          <ul className="flex gap-2 lg:flex-col">
            <li>
              <Link href={base} className="block rounded px-3 py-2 font-medium hover:bg-white">
                {t("overview")}
              </Link>
            </li>
          </ul>
        </nav>
        <div className="mt-4">
          <LocaleSwitcher />
        </div>
      </aside>
      <main id="main" className="p-6">
        {children}
      </main>
    </div>
  );
}
