import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ProductCard } from "@/components/storefront/product-card";
import { storefront } from "@/server/menu/storefront";
import { findTenantBySlug } from "@/server/tenants/queries";

export const dynamic = "force-dynamic";

/** The storefront: the café's locations and its menu by category. */
export default async function StorefrontPage({ params }: { params: Promise<{ tenant: string }> }) {
  const tenant = await findTenantBySlug((await params).tenant);
  if (!tenant) notFound();
  const t = await getTranslations("storefront");
  const { menu, locations } = await storefront(tenant.id);
  const money = { currency: tenant.currency, locale: tenant.locale };
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 pb-16">
      <section aria-labelledby="locations-heading" className="mt-4">
        <h2 id="locations-heading" className="sr-only">
          {t("locations")}
        </h2>
        <ul className="flex gap-2 overflow-x-auto pb-2">
          {locations.map((location) => (
            <li key={location.id} className="shrink-0 rounded-lg bg-white px-3 py-2 text-sm shadow-sm">
              <span className="font-semibold">{location.name}</span>
              <span className="block text-espresso/80">{location.address}</span>
            </li>
          ))}
        </ul>
      </section>
      <h1 className="mt-6 text-2xl font-bold">{t("menu")}</h1>
      {menu.length === 0 ? <p className="mt-4">{t("empty")}</p> : null}
      <nav aria-label={t("menu")} className="sticky top-14 z-10 -mx-4 mt-3 overflow-x-auto bg-crema px-4 py-2">
        <ul className="flex gap-2">
          {menu.map((category) => (
            <li key={category.id}>
              <a
                href={`#${category.slug}`}
                className="block whitespace-nowrap rounded-full border border-espresso/30 px-3 py-1 text-sm hover:bg-white"
              >
                {category.name}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {menu.map((category) => (
        <section key={category.id} id={category.slug} aria-labelledby={`${category.slug}-heading`} className="mt-6">
          <h2 id={`${category.slug}-heading`} className="text-xl font-semibold">
            {category.name}
          </h2>
          <ul className="mt-3 grid gap-3 sm:grid-cols-2">
            {category.products.map((product) => (
              <li key={product.id}>
                <ProductCard product={product} money={money} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </main>
  );
}
