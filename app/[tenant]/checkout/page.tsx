import { getLocale, getTranslations } from "next-intl/server";
import { CheckoutForm } from "@/components/storefront/checkout-form";
import { chosenLocationId } from "@/components/storefront/location";
import { requireGuestPage } from "@/server/guest-auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const dynamic = "force-dynamic";

/** Checkout: only for the café's signed-in, enrolled guest (else sign-in or the welcome form). */
export default async function CheckoutPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const { tenant } = await requireGuestPage(slug, `/${slug}/checkout`);
  const t = await getTranslations("shop.checkout");
  const { locations, location } = await (await serverCaller(tenant.slug)).shop.menu({
    locationId: await chosenLocationId(),
  });
  return (
    <main id="main" className="mx-auto max-w-xl px-4 pb-16">
      <h1 className="mt-6 text-2xl font-bold">{t("title")}</h1>
      {location ? (
        <CheckoutForm
          tenant={tenant.slug}
          locations={locations}
          initialLocationId={location.id}
          money={{ currency: tenant.currency, locale: await getLocale() }}
        />
      ) : (
        <p className="mt-4">{t("noLocations")}</p>
      )}
    </main>
  );
}
