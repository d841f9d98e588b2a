import { getTranslations } from "next-intl/server";
import type { StoreLocation } from "@/server/orders/checkout";
import { chooseLocationAction } from "./actions";

/**
 * The café's locations as pressable buttons in a plain form (works without JavaScript): the
 * chosen one decides what the menu offers today and where the order is picked up.
 */
export async function LocationPicker({
  tenant,
  locations,
  chosenId,
}: {
  tenant: string;
  locations: StoreLocation[];
  chosenId: string | undefined;
}) {
  const t = await getTranslations("shop.location");
  return (
    <form action={chooseLocationAction} aria-label={t("label")}>
      <input type="hidden" name="tenant" value={tenant} />
      <ul className="flex gap-2 overflow-x-auto pb-2">
        {locations.map((location) => {
          const chosen = location.id === chosenId;
          return (
            <li key={location.id} className="shrink-0">
              <button
                type="submit"
                name="locationId"
                value={location.id}
                aria-pressed={chosen}
                className="min-h-12 rounded-lg border-2 border-transparent bg-white px-3 py-2 text-left text-sm shadow-sm aria-pressed:border-leaf"
              >
                <span className="block font-semibold">
                  {location.name}
                  {chosen ? (
                    <span aria-hidden="true" className="ml-1 text-leaf">
                      ✓
                    </span>
                  ) : null}
                </span>
                <span className="block text-espresso/80">{location.address}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </form>
  );
}
