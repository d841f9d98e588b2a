import { z } from "zod";
import { campaignResults } from "@/server/campaigns/results";
import { router, staffProcedure } from "../init";

/** A campaign's results (hold-out comparison, attributed figure) for owners and managers. */
export const campaignResultsRouter = router({
  /** The results of the sends queued in [from, to) — all time when neither is given. */
  get: staffProcedure("analytics.read")
    .input(z.object({ campaignId: z.uuid(), from: z.iso.datetime().nullish(), to: z.iso.datetime().nullish() }))
    .query(({ ctx, input }) =>
      campaignResults(ctx.tx, ctx.staff.tenant.id, input.campaignId, {
        from: input.from ? new Date(input.from) : null,
        to: input.to ? new Date(input.to) : null,
      }),
    ),
});
