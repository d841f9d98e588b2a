import { getLocale, getTranslations } from "next-intl/server";
import { dayInZone, formatClock } from "@/server/format";
import type { StoreLocation } from "@/server/orders/checkout";
import type { LocationStatus } from "@/server/tenants/hours";
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
  const locale = await getLocale();
  // Open now, or when it opens next (breaks and holidays included), in the location's own zone.
  const statusText = (status: LocationStatus, timeZone: string) => {
    if (!status.pickup) return t("status.noPickup");
    if (status.open && status.closesAt) return t("status.openUntil", { time: formatClock(status.closesAt, locale) });
    if (!status.opensAt) return t("status.closed");
    const time = formatClock(status.opensAt.time, locale);
    if (status.opensAt.date === dayInZone(new Date(), timeZone)) return t("status.opensToday", { time });
    const day = new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(
      new Date(`${status.opensAt.date}T12:00:00Z`),
    );
    return t("status.opensOn", { day, time });
  };
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
                {location.status ? (
                  <span className="block text-espresso/80">{statusText(location.status, location.timezone)}</span>
                ) : null}
              </button>
            </li>
          );
        })}
      </ul>
    </form>
  );
}
