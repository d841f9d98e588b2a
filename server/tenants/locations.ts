import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { locations } from "@/db/schema";
import type { OpeningException, OpeningHours } from "@/db/schema/tenancy";
import { recordAudit } from "../audit/record";
import { activeLocationCount, assertCanAddLocation, lockPlanLimits } from "../billing/entitlements";
import { AppError } from "../errors";
import { DEFAULT_OPENING_HOURS } from "./create";
import { checkHours, isTimeZone } from "./hours";

/** The active (not archived) locations of the tenant bound to `tx`, by name. */
export function listLocations(tx: Tx) {
  return tx.select().from(locations).where(isNull(locations.archivedAt)).orderBy(asc(locations.name));
}

export const LOCATION_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

type Actor = { userId: string; ip: string | null };

/** What an owner sets of a location besides its address name (slug). */
export type LocationSettings = {
  name: string;
  address: string;
  timezone: string;
  openingHours: OpeningHours;
  openingExceptions: OpeningException[];
  pickupEnabled: boolean;
  slotMinutes: number;
  slotCapacityMinutes: number;
};

function checkZone(timezone: string): void {
  if (!isTimeZone(timezone)) {
    throw new AppError("invalid_request", "Unknown time zone", "invalid_timezone", [{ path: "timezone" }]);
  }
}

/**
 * Opens a location for the café bound to `tx`, within its plan's limit (checked here, whatever
 * the page shows). The caller syncs the billed quantity once this has committed.
 */
export async function addLocation(
  tx: Tx,
  input: {
    tenantId: string;
    slug: string;
    name: string;
    address: string;
    timezone: string;
    openingHours?: OpeningHours;
    openingExceptions?: OpeningException[];
    pickupEnabled?: boolean;
    slotMinutes?: number;
    slotCapacityMinutes?: number;
    actor: Actor;
  },
) {
  if (!LOCATION_SLUG.test(input.slug)) {
    throw new AppError("invalid_request", "The address name may use a-z, 0-9 and hyphens", "invalid_slug", [
      { path: "slug" },
    ]);
  }
  checkZone(input.timezone);
  const openingExceptions = checkHours(input.openingHours ?? DEFAULT_OPENING_HOURS, input.openingExceptions ?? []);
  await assertCanAddLocation(tx);
  const [created] = await tx
    .insert(locations)
    .values({
      tenantId: input.tenantId,
      slug: input.slug,
      name: input.name,
      address: input.address,
      timezone: input.timezone,
      openingHours: input.openingHours ?? DEFAULT_OPENING_HOURS,
      openingExceptions,
      pickupEnabled: input.pickupEnabled,
      slotMinutes: input.slotMinutes,
      slotCapacityMinutes: input.slotCapacityMinutes,
    })
    .onConflictDoNothing()
    .returning();
  if (!created) {
    throw new AppError("conflict", "A location with this address name exists", "location_exists", [{ path: "slug" }]);
  }
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "location.created",
    targetType: "location",
    targetId: created.id,
    meta: { slug: created.slug, name: created.name },
  });
  return created;
}

/**
 * Changes an open location: name, address, time zone, opening hours with breaks, exceptions
 * (holidays), pick-up on or off, slot length and capacity. Orders already placed keep their
 * pick-up time. Audited with the fields that changed.
 */
export async function updateLocation(
  tx: Tx,
  input: { tenantId: string; locationId: string; settings: LocationSettings; actor: Actor },
) {
  const { settings } = input;
  checkZone(settings.timezone);
  const openingExceptions = checkHours(settings.openingHours, settings.openingExceptions);
  const [before] = await tx
    .select()
    .from(locations)
    .where(and(eq(locations.id, input.locationId), isNull(locations.archivedAt)))
    .for("update");
  if (!before) throw new AppError("not_found", "No such open location", "location_not_found");
  const next = { ...settings, openingExceptions };
  const changed = (Object.keys(next) as (keyof LocationSettings)[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(next[key]),
  );
  if (changed.length === 0) return before;
  const [updated] = await tx.update(locations).set(next).where(eq(locations.id, input.locationId)).returning();
  if (!updated) throw new AppError("not_found", "No such open location", "location_not_found");
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "location.updated",
    targetType: "location",
    targetId: updated.id,
    meta: { slug: updated.slug, changed },
  });
  return updated;
}

/** Archives a location: its history stays, it is no longer offered or billed. The last one stays. */
export async function archiveLocation(tx: Tx, input: { tenantId: string; locationId: string; actor: Actor }) {
  await lockPlanLimits(tx);
  if ((await activeLocationCount(tx)) <= 1) {
    throw new AppError("conflict", "A café keeps at least one open location", "last_location");
  }
  const [archived] = await tx
    .update(locations)
    .set({ archivedAt: sql`now()` })
    .where(and(eq(locations.id, input.locationId), isNull(locations.archivedAt)))
    .returning({ id: locations.id, slug: locations.slug });
  if (!archived) throw new AppError("not_found", "No such open location", "location_not_found");
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "location.archived",
    targetType: "location",
    targetId: archived.id,
    meta: { slug: archived.slug },
  });
  return archived;
}
