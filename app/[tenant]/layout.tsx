import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { GuestNav } from "@/components/guest/guest-nav";
import { LocaleSwitcher } from "@/components/locale-switcher";
import { CartBadge } from "@/components/storefront/cart-badge";
import { LinkNavigation } from "@/components/storefront/link-navigation";
import { StorefrontPreviewNote } from "@/components/storefront/preview-note";
import { requireStorefront } from "@/server/guest-auth/guard";
import { findTenantBySlug } from "@/server/tenants/queries";

type Params = { params: Promise<{ tenant: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const tenant = await findTenantBySlug((await params).tenant);
  if (!tenant) return {};
  // A café's pages are titled "<page> — <café>", its storefront just "<café>" (never "Зерно — Зерно").
  return {
    title: { absolute: tenant.name, template: `%s — ${tenant.name}` },
    description: (await getTranslations("meta"))("cafeDescription", { cafe: tenant.name }),
  };
}

export default async function TenantLayout({ children, params }: Params & { children: React.ReactNode }) {
  // Not open yet: 404 for guests, a preview for the café's staff.
  const tenant = await requireStorefront((await params).tenant);
  return (
    <>
      {tenant.storefrontOpenedAt ? null : <StorefrontPreviewNote tenant={tenant.slug} />}
      <header className="sticky top-0 z-10 border-b border-espresso/10 bg-crema/95 backdrop-blur">
        <div className="mx-auto flex max-w-3xl items-center justify-between gap-2 px-4 py-3">
          <a href={`/${tenant.slug}`} className="min-w-0 truncate text-lg font-bold">
            {tenant.name}
          </a>
          <div className="flex shrink-0 items-center gap-2">
            <GuestNav tenant={tenant.slug} />
            <CartBadge tenant={tenant.slug} />
            <LocaleSwitcher />
          </div>
        </div>
      </header>
      {children}
      {/* The header's, the menu's and the cabinet's links are plain <a>: navigated in the app here. */}
      <LinkNavigation scope={`/${tenant.slug}`} />
    </>
  );
}
