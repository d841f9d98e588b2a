import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { locations } from "@/db/schema";
import type { OpeningHours } from "@/db/schema/tenancy";
import { recordAudit } from "../audit/record";
import { activeLocationCount, assertCanAddLocation, lockPlanLimits } from "../billing/entitlements";
import { AppError } from "../errors";
import { DEFAULT_OPENING_HOURS } from "./create";

/** The active (not archived) locations of the tenant bound to `tx`, by name. */
export function listLocations(tx: Tx) {
  return tx.select().from(locations).where(isNull(locations.archivedAt)).orderBy(asc(locations.name));
}

export const LOCATION_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

type Actor = { userId: string; ip: string | null };

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
    actor: Actor;
  },
) {
  if (!LOCATION_SLUG.test(input.slug)) {
    throw new AppError("invalid_request", "The address name may use a-z, 0-9 and hyphens", "invalid_slug", [
      { path: "slug" },
    ]);
  }
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
