import { z } from "zod";
import { can } from "@/server/auth/permissions";
import { type StopListLocation, setAvailable, setSoldOut, stopList } from "@/server/menu/stoplist";
import { router, staffProcedure } from "../init";

export type StopListView = {
  locations: StopListLocation[];
  /** Whether the caller may also change which location offers what ("menu.manage"). */
  canManage: boolean;
};

const toggle = z.object({ locationId: z.uuid(), productId: z.uuid() });

/** The back-office menu: the day's stop-list per location, and what each location offers. */
export const menuRouter = router({
  /** The stop-list of the caller's locations (a member limited to some sees only theirs). */
  stopList: staffProcedure("menu.stoplist").query(async ({ ctx }): Promise<StopListView> => {
    const limited = ctx.staff.locationIds;
    return {
      locations: await stopList(ctx.tx, { locationIds: limited }),
      canManage: can(ctx.staff.role, "menu.manage", limited.length > 0),
    };
  }),

  /**
   * "Sold out today" at a location (its own today), or back on sale. Another café's ids, or a
   * location the caller is not assigned to, are NOT_FOUND.
   */
  setSoldOut: staffProcedure("menu.stoplist")
    .input(toggle.extend({ soldOut: z.boolean() }))
    .mutation(({ ctx, input }) => setSoldOut(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) })),

  /** Whether a location offers a product at all (owner, manager); NOT_FOUND as for setSoldOut. */
  setAvailable: staffProcedure("menu.manage")
    .input(toggle.extend({ available: z.boolean() }))
    .mutation(({ ctx, input }) =>
      setAvailable(ctx.tx, { ...input, tenantId: ctx.staff.tenant.id, actor: actorOf(ctx) }),
    ),
});

function actorOf(ctx: { staff: { session: { userId: string }; locationIds: string[] }; ip: string | null }) {
  return { userId: ctx.staff.session.userId, locationIds: ctx.staff.locationIds, ip: ctx.ip };
}
