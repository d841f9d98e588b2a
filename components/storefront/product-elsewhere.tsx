import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { StoreLocation } from "@/server/orders/checkout";
import { chooseLocationAction } from "./actions";

/**
 * A product the chosen location does not sell but another one does: say so and offer to switch
 * (the same form as the location picker: choosing re-renders this page with the product).
 */
export async function ProductElsewhere({
  tenant,
  product,
  here,
  places,
}: {
  tenant: string;
  product: string;
  here: string;
  places: StoreLocation[];
}) {
  const t = await getTranslations("waysBack.elsewhere");
  return (
    <main id="main" className="mx-auto max-w-xl px-4 pb-16">
      <h1 className="mt-6 text-2xl font-bold">{t("title", { product })}</h1>
      <p className="mt-2">{t("here", { location: here })}</p>
      <p className="mt-4 font-medium">{t("there")}</p>
      <form action={chooseLocationAction} className="mt-2 flex flex-col gap-2">
        <input type="hidden" name="tenant" value={tenant} />
        {places.map((place) => (
          <button
            key={place.id}
            type="submit"
            name="locationId"
            value={place.id}
            className="min-h-12 rounded-xl bg-espresso px-4 py-2 text-left font-semibold text-crema hover:bg-roast"
          >
            <span className="block">{t("switch", { location: place.name })}</span>
            <span className="block text-sm font-normal">{place.address}</span>
          </button>
        ))}
      </form>
      <p className="mt-6">
        <Link href={`/${tenant}`} className="underline">
          {t("menu")}
        </Link>
      </p>
    </main>
  );
}
