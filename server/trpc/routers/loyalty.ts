import { eq } from "drizzle-orm";
import { z } from "zod";
import { tenants } from "@/db/schema";
import { loadProgram } from "@/server/loyalty/program";
import {
  effectiveInput,
  previewRuleChange,
  publishRuleVersion,
  ruleSetInput,
  ruleVersions,
} from "@/server/loyalty/rules";
import { confirmLoyaltyRules } from "@/server/signup/first-steps";
import { router, staffProcedure } from "../init";

const ruleChange = z.object({
  rules: ruleSetInput,
  effective: effectiveInput,
  retroactive: z.boolean().default(false),
});

/** The café's loyalty rules (owner only): read them, confirm them, change them as versions. */
export const loyaltyRouter = router({
  /** The program (tiers, redemption cap, bonuses, hold time, expiry) and when an owner last confirmed it. */
  program: staffProcedure("loyalty.configure").query(async ({ ctx }) => {
    const program = await loadProgram(ctx.tx);
    const [tenant] = await ctx.tx
      .select({ reviewedAt: tenants.loyaltyReviewedAt })
      .from(tenants)
      .where(eq(tenants.id, ctx.staff.tenant.id));
    return { program, reviewedAt: tenant?.reviewedAt ?? null };
  }),

  /** Every version of the rules, newest first: in force, scheduled or past, with who published it. */
  versions: staffProcedure("loyalty.configure").query(({ ctx }) => ruleVersions(ctx.tx)),

  /** What a change would do to today's guests (tiers, expiry, the last 30 days' accrual); changes nothing. */
  preview: staffProcedure("loyalty.configure")
    .input(ruleChange)
    .query(({ ctx, input }) => previewRuleChange(ctx.tx, { ...input, timeZone: ctx.staff.tenant.timezone })),

  /** Publishes a change as a new version from its effective time (tomorrow 00:00 by default); audited. */
  publish: staffProcedure("loyalty.configure")
    .input(ruleChange)
    .mutation(({ ctx, input }) =>
      publishRuleVersion(ctx.tx, {
        ...input,
        tenantId: ctx.staff.tenant.id,
        timeZone: ctx.staff.tenant.timezone,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      }),
    ),

  /** "The rules are right": ticks the first-steps checklist; audited. */
  confirmRules: staffProcedure("loyalty.configure").mutation(async ({ ctx }) => ({
    reviewedAt: await confirmLoyaltyRules(ctx.tx, {
      tenantId: ctx.staff.tenant.id,
      actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
    }),
  })),
});
