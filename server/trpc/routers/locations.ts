import { z } from "zod";
import { syncLocationQuantity } from "@/server/billing/checkout";
import { billingProvider } from "@/server/billing/stripe";
import { logger } from "@/server/log";
import { openingExceptionsInput, openingHoursInput, SLOT_LENGTHS } from "@/server/tenants/hours";
import { addLocation, archiveLocation, listLocations, updateLocation } from "@/server/tenants/locations";
import { router, staffProcedure } from "../init";

/** After the change committed: the provider bills the new number of locations (prorated). */
function syncQuantityLater(
  ctx: { db: Parameters<typeof syncLocationQuantity>[0]; afterCommit: (task: () => Promise<unknown>) => void },
  tenantId: string,
) {
  const provider = billingProvider();
  if (!provider) return;
  ctx.afterCommit(() =>
    syncLocationQuantity(ctx.db, provider, tenantId).catch((error: unknown) =>
      // The change stands; the next webhook or location change brings the quantity in step.
      logger().error({ err: error, tenantId }, "billing: location quantity not synced"),
    ),
  );
}

const settingsInput = z.object({
  name: z.string().trim().min(1).max(80),
  address: z.string().trim().min(1).max(200),
  timezone: z.string().trim().min(1).max(64),
  openingHours: openingHoursInput,
  openingExceptions: openingExceptionsInput,
  pickupEnabled: z.boolean(),
  slotMinutes: z.union(SLOT_LENGTHS.map((length) => z.literal(length))),
  slotCapacityMinutes: z.number().int().min(1).max(600),
});

/** The café's locations (owner): open within the plan, change hours and pick-up, archive; the billed quantity follows. */
export const locationsRouter = router({
  list: staffProcedure("locations.manage").query(({ ctx }) => listLocations(ctx.tx)),

  add: staffProcedure("locations.manage")
    .input(
      z.object({
        slug: z.string().trim().min(1).max(48),
        name: z.string().trim().min(1).max(80),
        address: z.string().trim().min(1).max(200),
        timezone: z.string().trim().min(1).max(64).optional(),
        openingHours: openingHoursInput.optional(),
        openingExceptions: openingExceptionsInput.optional(),
        pickupEnabled: z.boolean().optional(),
        slotMinutes: settingsInput.shape.slotMinutes.optional(),
        slotCapacityMinutes: settingsInput.shape.slotCapacityMinutes.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const tenant = ctx.staff.tenant;
      const created = await addLocation(ctx.tx, {
        tenantId: tenant.id,
        ...input,
        timezone: input.timezone ?? tenant.timezone,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      });
      syncQuantityLater(ctx, tenant.id);
      return { id: created.id, slug: created.slug };
    }),

  /** Name, address, time zone, hours with breaks and exceptions, pick-up and its slots; audited. */
  update: staffProcedure("locations.manage")
    .input(z.object({ locationId: z.uuid(), settings: settingsInput }))
    .mutation(async ({ ctx, input }) => {
      const updated = await updateLocation(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        locationId: input.locationId,
        settings: input.settings,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      });
      return { id: updated.id, slug: updated.slug };
    }),

  archive: staffProcedure("locations.manage")
    .input(z.object({ locationId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await archiveLocation(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        locationId: input.locationId,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      });
      syncQuantityLater(ctx, ctx.staff.tenant.id);
      return { ok: true };
    }),
});
