import { z } from "zod";
import type { Tx } from "@/db/client";
import {
  dashboardCohorts,
  dashboardFigures,
  dashboardGuestBase,
  dashboardHeatmap,
  dashboardProducts,
  dashboardScope,
  dashboardToday,
  scopeLocations,
  surveyComments,
  surveySummaries,
} from "@/server/analytics/dashboard";
import { cafeToday, isDay, PERIOD_KINDS } from "@/server/analytics/period";
import type { StaffMember } from "@/server/auth/staff";
import { router, staffProcedure } from "../init";

const day = z.string().refine(isDay, "A day as YYYY-MM-DD");
const period = z.object({ kind: z.enum(PERIOD_KINDS), from: day.optional(), to: day.optional() });
/** A location of the café; none means every location the member may see. */
const locationId = z.uuid().nullish();
const scoped = z.object({ locationId });
const periodic = z.object({ period, locationId });

/** The locations the figures count: the member's own when they are limited to some. */
const scopeOf = (tx: Tx, staff: StaffMember, input: { locationId?: string | null }) =>
  dashboardScope(tx, { memberLocationIds: staff.locationIds, locationId: input.locationId });

/** The dashboard's figures for owners and managers (never baristas); a limited manager sees their locations only. */
export const analyticsRouter = router({
  /** The locations the member may pick and the café's today. */
  scope: staffProcedure("analytics.read").query(async ({ ctx }) => ({
    locations: await scopeLocations(ctx.tx, { memberLocationIds: ctx.staff.locationIds }),
    today: cafeToday(ctx.staff.tenant.timezone),
  })),
  today: staffProcedure("analytics.read")
    .input(scoped)
    .query(async ({ ctx, input }) =>
      dashboardToday(ctx.tx, { ...(await scopeOf(ctx.tx, ctx.staff, input)), timezone: ctx.staff.tenant.timezone }),
    ),
  figures: staffProcedure("analytics.read")
    .input(periodic)
    .query(async ({ ctx, input }) =>
      dashboardFigures(ctx.tx, {
        ...(await scopeOf(ctx.tx, ctx.staff, input)),
        period: input.period,
        timezone: ctx.staff.tenant.timezone,
      }),
    ),
  heatmap: staffProcedure("analytics.read")
    .input(periodic)
    .query(async ({ ctx, input }) =>
      dashboardHeatmap(ctx.tx, {
        ...(await scopeOf(ctx.tx, ctx.staff, input)),
        period: input.period,
        timezone: ctx.staff.tenant.timezone,
      }),
    ),
  cohorts: staffProcedure("analytics.read")
    .input(periodic)
    .query(async ({ ctx, input }) =>
      dashboardCohorts(ctx.tx, {
        ...(await scopeOf(ctx.tx, ctx.staff, input)),
        period: input.period,
        timezone: ctx.staff.tenant.timezone,
      }),
    ),
  guestBase: staffProcedure("analytics.read")
    .input(scoped)
    .query(async ({ ctx, input }) => dashboardGuestBase(ctx.tx, await scopeOf(ctx.tx, ctx.staff, input))),
  products: staffProcedure("analytics.read")
    .input(periodic)
    .query(async ({ ctx, input }) =>
      dashboardProducts(ctx.tx, {
        ...(await scopeOf(ctx.tx, ctx.staff, input)),
        period: input.period,
        timezone: ctx.staff.tenant.timezone,
      }),
    ),
  survey: staffProcedure("analytics.read")
    .input(scoped)
    .query(async ({ ctx, input }) => surveySummaries(ctx.tx, await scopeOf(ctx.tx, ctx.staff, input))),
  comments: staffProcedure("analytics.read")
    .input(z.object({ locationId, page: z.number().int().min(1).max(1_000_000).default(1) }))
    .query(async ({ ctx, input }) =>
      surveyComments(ctx.tx, { ...(await scopeOf(ctx.tx, ctx.staff, input)), page: input.page }),
    ),
});
