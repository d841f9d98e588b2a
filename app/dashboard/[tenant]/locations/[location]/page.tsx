import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LocationEditor } from "@/components/dashboard/location-forms";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";
import type { LocationSettingsDraft } from "../actions";

export const generateMetadata = sectionMetadata("locations");

export const dynamic = "force-dynamic";

/** One location's settings (owner): hours with breaks, holidays, pick-up and its slots. */
export default async function LocationPage({ params }: { params: Promise<{ tenant: string; location: string }> }) {
  const { tenant: slug, location: locationId } = await params;
  await requireStaffPage(slug, "locations.manage", `/dashboard/${slug}/locations/${locationId}`);
  const t = await getTranslations("locations");
  const place = (await (await serverCaller(slug)).locations.list()).find((candidate) => candidate.id === locationId);
  if (!place) notFound();
  return (
    <>
      <p>
        <Link className="underline" href={`/dashboard/${slug}/locations`}>
          {t("back")}
        </Link>
      </p>
      <h1 className="mt-2 text-2xl font-bold">{place.name}</h1>
      <div className="mt-6">
        <LocationEditor
          tenant={slug}
          location={{
            id: place.id,
            name: place.name,
            address: place.address,
            timezone: place.timezone,
            openingHours: place.openingHours,
            openingExceptions: place.openingExceptions,
            pickupEnabled: place.pickupEnabled,
            slotMinutes: place.slotMinutes as LocationSettingsDraft["slotMinutes"],
            slotCapacityMinutes: place.slotCapacityMinutes,
          }}
        />
      </div>
    </>
  );
}
