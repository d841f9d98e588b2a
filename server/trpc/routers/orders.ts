import { asc, inArray } from "drizzle-orm";
import { z } from "zod";
import { locations } from "@/db/schema";
import { loadProgram } from "@/server/loyalty/program";
import { deliverOrderNoticeInBackground } from "@/server/orders/guest-notices";
import { type OrderBoard, orderBoard } from "@/server/orders/queries";
import { transitionOrder } from "@/server/orders/transitions";
import { router, staffProcedure } from "../init";

export type BoardLocation = { id: string; name: string; timezone: string };
export type BoardView = { columns: OrderBoard; locations: BoardLocation[] };

/** The live order board of the back-office (owner, manager, barista). */
export const ordersRouter = router({
  /**
   * Today's board of the caller's locations: a member limited to some locations sees only
   * theirs, others every location of the café. With the locations (name, time zone) it covers.
   */
  board: staffProcedure("orders.board").query(async ({ ctx }): Promise<BoardView> => {
    const limited = ctx.staff.locationIds;
    const places = await ctx.tx
      .select({ id: locations.id, name: locations.name, timezone: locations.timezone })
      .from(locations)
      .where(limited.length > 0 ? inArray(locations.id, limited) : undefined)
      .orderBy(asc(locations.name));
    const columns = await orderBoard(ctx.tx, { locationIds: places.map((place) => place.id) });
    return { columns, locations: places };
  }),

  /**
   * Moves an order on (accepted → ready → picked_up) or cancels it with a reason. Another café's
   * order, or one of a location the caller is not assigned to, is NOT_FOUND.
   */
  advance: staffProcedure("orders.board")
    // Orders placed before the café lapsed (points held) can still be handed over or cancelled.
    .meta({ whenReadOnly: true })
    .input(
      z.object({
        orderId: z.uuid(),
        to: z.enum(["accepted", "ready", "picked_up", "cancelled"]),
        reason: z.string().trim().max(500).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const program = await loadProgram(ctx.tx);
      const { order, noticeId } = await transitionOrder(ctx.tx, program, {
        orderId: input.orderId,
        to: input.to,
        reason: input.reason,
        actor: {
          kind: "staff",
          userId: ctx.staff.session.userId,
          locationIds: ctx.staff.locationIds,
          ip: ctx.ip,
        },
      });
      // "Your order is ready" by email and push, once committed, without holding the barista's tap.
      ctx.afterCommit(async () => deliverOrderNoticeInBackground(ctx.db, ctx.staff.tenant.id, noticeId));
      return { order };
    }),
});
