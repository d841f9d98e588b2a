import { headers } from "next/headers";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { signOutAction } from "@/app/account/actions";
import { DASHBOARD_SECTIONS } from "@/components/dashboard/sections";
import { TenantSwitcher } from "@/components/dashboard/tenant-switcher";
import { LocaleSwitcher } from "@/components/locale-switcher";
import { requireStaffPage } from "@/server/auth/guard";
import { can } from "@/server/auth/permissions";
import { requestedPathWithin } from "@/server/auth/redirects";
import { billingNotice } from "@/server/billing/notice";
import { formatDate } from "@/server/format";
import { PATH_HEADER } from "@/server/i18n/negotiate";

type Params = { params: Promise<{ tenant: string }> };

/** The back-office shell: the tenant comes from the URL; the navigation shows what the role may open. */
export default async function DashboardLayout({ children, params }: Params & { children: React.ReactNode }) {
  const slug = (await params).tenant;
  const base = `/dashboard/${slug}`;
  // Signed out, the visitor comes back to the page asked for (the board, say), not the overview;
  // proxy.ts names it in PATH_HEADER, as a layout is not told its page.
  const asked = requestedPathWithin((await headers()).get(PATH_HEADER), base);
  const staff = await requireStaffPage(slug, "dashboard.view", asked);
  const t = await getTranslations("dashboard");
  const limited = staff.locationIds.length > 0;
  const sections = DASHBOARD_SECTIONS.filter((section) => can(staff.role, section.permission, limited));
  const notice = await billingNotice(staff.tenant.id);
  const tb = await getTranslations("billing.notice");
  const locale = await getLocale();
  const day = { format: (at: Date) => formatDate(at, locale, staff.tenant.timezone, "long") };
  return (
    // 1024–1279 px (a tablet in landscape): a narrower menu, so the board's four columns have room.
    <div className="min-h-screen bg-white lg:grid lg:grid-cols-[11rem_1fr] xl:grid-cols-[16rem_1fr]">
      <aside className="border-b border-espresso/10 bg-crema p-4 lg:min-h-screen lg:border-r lg:border-b-0 lg:p-3 xl:p-4">
        <p className="text-sm text-espresso/80">{t("title")}</p>
        <p className="text-lg font-bold">{staff.tenant.name}</p>
        <p className="text-sm text-espresso/80">{t(`roles.${staff.role}`)}</p>
        <nav aria-label={t("navigation")} className="mt-4">
          <ul className="flex flex-wrap gap-2 lg:flex-col lg:gap-1 xl:gap-2">
            {sections.map((section) => (
              <li key={section.key}>
                <Link
                  href={`${base}${section.path}`}
                  className="block rounded px-3 py-2 font-medium hover:bg-white lg:px-2 lg:py-1.5 lg:text-sm xl:px-3 xl:py-2 xl:text-base"
                >
                  {t(`sections.${section.key}`)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="mt-6 flex flex-col gap-3 text-sm">
          <TenantSwitcher userId={staff.session.userId} current={slug} />
          <Link href="/account" className="underline">
            {t("account")}
          </Link>
          <form action={signOutAction}>
            <button type="submit" className="underline">
              {t("signOut")}
            </button>
          </form>
          <LocaleSwitcher />
        </div>
      </aside>
      <main id="main" className="p-6 lg:p-4 xl:p-6">
        {notice ? (
          <div
            className={`mb-4 flex flex-wrap items-center gap-3 rounded-lg p-3 ${notice.kind === "trial" ? "bg-crema" : "bg-red-100 text-red-900"}`}
            data-testid="billing-notice"
          >
            <span>
              {notice.kind === "trial"
                ? tb("trial", { days: notice.daysLeft, date: day.format(notice.until) })
                : notice.kind === "grace"
                  ? tb("grace", { date: notice.until ? day.format(notice.until) : "—" })
                  : tb("read_only")}
            </span>
            {can(staff.role, "billing.manage") ? (
              <Link href={`${base}/billing`} className="font-semibold underline">
                {tb("action")}
              </Link>
            ) : null}
          </div>
        ) : null}
        {children}
      </main>
    </div>
  );
}
