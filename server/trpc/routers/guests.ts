import { z } from "zod";
import { lookupGuestAtCounter } from "@/server/guests/lookup";
import { router, staffProcedure } from "../init";

/** Guests as the back-office sees them. */
export const guestsRouter = router({
  /** The counter look-up by card or phone: name, tier and balance only (baristas too). */
  lookup: staffProcedure("guests.lookup")
    .input(z.object({ identifier: z.string().min(3).max(64) }))
    .query(({ ctx, input }) => lookupGuestAtCounter(ctx.tx, input.identifier)),
});
