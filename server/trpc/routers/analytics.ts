import { z } from "zod";
import { salesSummary } from "@/server/analytics/summary";
import { router, staffProcedure } from "../init";

/** Figures for owners and managers (never baristas). */
export const analyticsRouter = router({
  summary: staffProcedure("analytics.read")
    .input(z.object({ days: z.number().int().min(1).max(365).default(30) }))
    .query(({ ctx, input }) => salesSummary(ctx.tx, { days: input.days, timezone: ctx.staff.tenant.timezone })),
});
