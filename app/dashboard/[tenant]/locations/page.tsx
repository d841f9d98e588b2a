import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { AddLocationForm, ArchiveLocationForm } from "@/components/dashboard/location-forms";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { formatClock, formatDay } from "@/server/format";
import { locationStatus } from "@/server/tenants/hours";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("locations");

export const dynamic = "force-dynamic";

/** The café's locations (owner): open or closed now, open one within the plan, change or archive. */
export default async function LocationsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const staff = await requireStaffPage(slug, "locations.manage", `/dashboard/${slug}/locations`);
  const t = await getTranslations("locations");
  const locale = await getLocale();
  const places = await (await serverCaller(slug)).locations.list();
  const now = new Date();
  const statusOf = (place: (typeof places)[number]) => {
    const status = locationStatus(place, now);
    if (status.open && status.closesAt) return t("openUntil", { time: formatClock(status.closesAt, locale) });
    if (!status.opensAt) return t("closedNow");
    const day = formatDay(status.opensAt.date, locale, "weekday");
    return t("closedOpens", { day, time: formatClock(status.opensAt.time, locale) });
  };
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-2 max-w-2xl">{t("lead")}</p>
      <ul className="mt-6 grid gap-4 xl:grid-cols-2">
        {places.map((place) => (
          <li key={place.id} className="rounded-xl border border-espresso/15 p-4" data-location={place.slug}>
            <h2 className="text-lg font-semibold">
              <Link className="underline" href={`/dashboard/${slug}/locations/${place.id}`}>
                {place.name}
              </Link>
            </h2>
            <p>{place.address}</p>
            <p className="text-sm text-espresso/80">
              {statusOf(place)} · {place.pickupEnabled ? t("pickupOn", { minutes: place.slotMinutes }) : t("pickupOff")}{" "}
              · {place.timezone}
            </p>
            {places.length > 1 ? (
              <div className="mt-3">
                <ArchiveLocationForm tenant={slug} locationId={place.id} name={place.name} />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <section aria-labelledby="add-location" className="mt-8">
        <h2 id="add-location" className="text-lg font-semibold">
          {t("addTitle")}
        </h2>
        <AddLocationForm tenant={slug} timezone={staff.tenant.timezone} />
      </section>
    </>
  );
}
