import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { productImageProps } from "@/components/storefront/images";
import { chosenLocationId, menuLocale } from "@/components/storefront/location";
import { ProductElsewhere } from "@/components/storefront/product-elsewhere";
import { ProductForm } from "@/components/storefront/product-form";
import { findTenantBySlug } from "@/server/tenants/queries";
import { serverCaller } from "@/server/trpc/server-caller";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ tenant: string; sku: string }> };

/** One product at the chosen location: picture, description, its options and "add to cart". */
export default async function ProductPage({ params }: Params) {
  const { tenant: slug, sku } = await params;
  const tenant = await findTenantBySlug(slug);
  if (!tenant) notFound();
  const t = await getTranslations("shop.product");
  const caller = await serverCaller(tenant.slug);
  const locale = menuLocale(await getLocale());
  const { menu, location, locations } = await caller.shop.menu({ locationId: await chosenLocationId(), locale });
  const category = menu.find((candidate) => candidate.products.some((product) => product.sku === sku));
  const product = category?.products.find((candidate) => candidate.sku === sku);
  if (!category || !product) {
    // Not sold here: a link shared from the other location offers to switch there, not a 404.
    const elsewhere = [];
    for (const other of locations.filter((place) => place.id !== location?.id)) {
      const there = await caller.shop.menu({ locationId: other.id, locale });
      const found = there.menu.flatMap((group) => group.products).find((candidate) => candidate.sku === sku);
      if (found) elsewhere.push({ location: other, name: found.name });
    }
    const first = elsewhere[0];
    if (!first || !location) notFound();
    return (
      <ProductElsewhere
        tenant={tenant.slug}
        product={first.name}
        here={location.name}
        places={elsewhere.map((place) => place.location)}
      />
    );
  }
  return (
    <main id="main" className="mx-auto max-w-xl px-4 pb-16">
      <p className="mt-4">
        <Link href={`/${tenant.slug}#${category.slug}`} className="underline">
          {t("back")}
        </Link>
      </p>
      {/* biome-ignore lint/performance/noImgElement: next/image's srcset through getImageProps, no client component */}
      <img
        {...productImageProps(product, category.slug, {
          width: 320,
          sizes: "(max-width: 352px) calc(100vw - 2rem), 320px",
          priority: true,
        })}
        alt=""
        className={`mx-auto mt-4 aspect-square w-full max-w-xs rounded-2xl object-cover ${product.soldOut ? "opacity-50 grayscale" : ""}`}
      />
      <h1 className="mt-4 text-2xl font-bold">{product.name}</h1>
      {product.description ? <p className="mt-2 text-espresso/90">{product.description}</p> : null}
      <p className="mt-1 text-sm text-espresso/80">{location ? t("at", { location: location.name }) : null}</p>
      <ProductForm
        tenant={tenant.slug}
        product={product}
        money={{ currency: tenant.currency, locale: await getLocale() }}
      />
    </main>
  );
}
