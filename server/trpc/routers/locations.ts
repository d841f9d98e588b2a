import { z } from "zod";
import { syncLocationQuantity } from "@/server/billing/checkout";
import { billingProvider } from "@/server/billing/stripe";
import { logger } from "@/server/log";
import { addLocation, archiveLocation, listLocations } from "@/server/tenants/locations";
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

/** The café's locations (owner): open within the plan, archive; the billed quantity follows. */
export const locationsRouter = router({
  list: staffProcedure("locations.manage").query(({ ctx }) => listLocations(ctx.tx)),

  add: staffProcedure("locations.manage")
    .input(
      z.object({
        slug: z.string().trim().min(1).max(48),
        name: z.string().trim().min(1).max(80),
        address: z.string().trim().min(1).max(200),
        timezone: z.string().trim().min(1).max(64).optional(),
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
