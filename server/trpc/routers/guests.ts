import { z } from "zod";
import { exportGuestsCsv } from "@/server/guests/export";
import { lookupGuestAtCounter } from "@/server/guests/lookup";
import { setGuestOnlineAccess } from "@/server/guests/online-access";
import { router, staffProcedure } from "../init";

/** Guests as the back-office sees them. */
export const guestsRouter = router({
  /** The counter look-up by card or phone: name, tier and balance only (baristas too). */
  lookup: staffProcedure("guests.lookup")
    .input(z.object({ identifier: z.string().min(3).max(64) }))
    .query(({ ctx, input }) => lookupGuestAtCounter(ctx.tx, input.identifier)),

  /** Closes or reopens a guest's online access at this café (owner and manager; audited). */
  setOnlineAccess: staffProcedure("guests.block")
    .input(z.object({ identifier: z.string().min(3).max(64), blocked: z.boolean() }))
    .mutation(({ ctx, input }) =>
      setGuestOnlineAccess(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        identifier: input.identifier,
        blocked: input.blocked,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      }),
    ),

  /** The guest list as CSV (personal data: owner and manager only, every export audited). */
  // A lapsed café still takes its data with it.
  exportCsv: staffProcedure("guests.export")
    .meta({ whenReadOnly: true })
    .mutation(({ ctx }) =>
      exportGuestsCsv(ctx.tx, { tenantId: ctx.staff.tenant.id, actorUserId: ctx.staff.session.userId, ip: ctx.ip }),
    ),
});
