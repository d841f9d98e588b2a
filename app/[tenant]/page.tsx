import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { chosenLocationId, menuLocale } from "@/components/storefront/location";
import { LocationPicker } from "@/components/storefront/location-picker";
import { ProductCard } from "@/components/storefront/product-card";
import { formatDay, formatTime } from "@/server/format";
import { findTenantBySlug } from "@/server/tenants/queries";
import { serverCaller } from "@/server/trpc/server-caller";

export const dynamic = "force-dynamic";

/** The storefront: pick a location, then its menu by category (today's sold-out products greyed). */
export default async function StorefrontPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const tenant = await findTenantBySlug(slug);
  if (!tenant) notFound();
  const t = await getTranslations("shop");
  const locale = await getLocale();
  const caller = await serverCaller(tenant.slug);
  const { menu, locations, location } = await caller.shop.menu({
    locationId: await chosenLocationId(),
    locale: menuLocale(locale),
  });
  const lightest = Math.min(...menu.flatMap((category) => category.products.map((product) => product.prepMinutes)));
  const pickup = location
    ? await caller.shop.slots({ locationId: location.id, prepMinutes: Number.isFinite(lightest) ? lightest : 0 })
    : null;
  // No "as soon as possible" means today is full: the offered day's first free time, if any.
  const firstFree = pickup?.slots.find((slot) => slot.available);
  const day = (date: string) => formatDay(date, locale, "short");
  const money = { currency: tenant.currency, locale };
  const time = (iso: string, timeZone: string) => formatTime(iso, locale, timeZone);
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 pb-16">
      <section aria-labelledby="locations-heading" className="mt-4">
        <h2 id="locations-heading" className="text-sm font-semibold text-espresso/80">
          {t("location.label")}
        </h2>
        <div className="mt-2">
          <LocationPicker tenant={tenant.slug} locations={locations} chosenId={location?.id} />
        </div>
        {pickup ? (
          <p className="text-sm" data-testid="next-pickup">
            {pickup.asap
              ? t("location.nextPickup", { time: time(pickup.asap, pickup.location.timezone) })
              : firstFree
                ? t("location.nextDay", {
                    day: day(pickup.date),
                    time: time(firstFree.startsAt, pickup.location.timezone),
                  })
                : t("location.closedToday")}
          </p>
        ) : null}
      </section>
      <h1 className="mt-6 text-2xl font-bold">{t("menu")}</h1>
      {menu.length === 0 ? <p className="mt-4">{t("menuEmpty")}</p> : null}
      <nav aria-label={t("categories")} className="sticky top-14 z-10 -mx-4 mt-3 overflow-x-auto bg-crema px-4 py-2">
        <ul className="flex gap-2">
          {menu.map((category) => (
            <li key={category.slug}>
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
        <section
          key={category.slug}
          id={category.slug}
          aria-labelledby={`${category.slug}-heading`}
          className="menu-category mt-6 scroll-mt-28"
        >
          <h2 id={`${category.slug}-heading`} className="text-xl font-semibold">
            {category.name}
          </h2>
          <ul className="mt-3 grid gap-3 sm:grid-cols-2">
            {category.products.map((product) => (
              <li key={product.sku}>
                <ProductCard tenant={tenant.slug} product={product} categorySlug={category.slug} money={money} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </main>
  );
}
