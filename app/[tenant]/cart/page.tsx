import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { CartView } from "@/components/storefront/cart-view";
import { chosenLocationId, menuLocale } from "@/components/storefront/location";
import { findTenantBySlug } from "@/server/tenants/queries";
import { serverCaller } from "@/server/trpc/server-caller";

export const dynamic = "force-dynamic";

/** The cart of this browser, priced from the chosen location's menu today. */
export default async function CartPage({ params }: { params: Promise<{ tenant: string }> }) {
  const tenant = await findTenantBySlug((await params).tenant);
  if (!tenant) notFound();
  const t = await getTranslations("shop.cart");
  const { menu, location } = await (await serverCaller(tenant.slug)).shop.menu({
    locationId: await chosenLocationId(),
    locale: menuLocale(await getLocale()),
  });
  return (
    <main id="main" className="mx-auto max-w-xl px-4 pb-16">
      <h1 className="mt-6 text-2xl font-bold">{t("title")}</h1>
      <CartView
        tenant={tenant.slug}
        menu={menu}
        locationName={location?.name ?? null}
        money={{ currency: tenant.currency, locale: await getLocale() }}
      />
    </main>
  );
}
