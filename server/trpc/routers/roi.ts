import { z } from "zod";
import { roiReport, updateRoiAssumptions } from "@/server/roi/report";
import { router, staffProcedure } from "../init";

/** The ROI report (/dashboard/<café>/roi) and the owner's assumptions behind it. */
export const roiRouter = router({
  /** The report over the last `months` months, every input with its source. */
  report: staffProcedure("analytics.read")
    .input(z.object({ months: z.number().int().min(1).max(12).default(3) }))
    .query(({ ctx, input }) => roiReport(ctx.tx, ctx.staff.tenant.id, { months: input.months })),
  /** Saves the assumptions (cost of goods, a point's cost, the subscription, the win-back share); audited. */
  updateAssumptions: staffProcedure("campaigns.manage")
    .input(
      z.object({
        cogsPercent: z.number().int().min(0).max(95),
        pointCostMinor: z.number().int().min(0).max(1_000_000).nullable(),
        subscriptionMinor: z.number().int().min(0).max(1_000_000_000).nullable(),
        winbackPercent: z.number().int().min(0).max(100),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await updateRoiAssumptions(ctx.tx, {
        ...input,
        tenantId: ctx.staff.tenant.id,
        actorUserId: ctx.staff.session.userId,
        ip: ctx.ip,
      });
      return { ok: true as const };
    }),
});
