import { eq } from "drizzle-orm";
import { tenants } from "@/db/schema";
import { loadProgram } from "@/server/loyalty/program";
import { confirmLoyaltyRules } from "@/server/signup/first-steps";
import { router, staffProcedure } from "../init";

/** The café's loyalty rules (owner only): read them, and confirm them as they are. */
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

  /** "The rules are right": ticks the first-steps checklist; audited. */
  confirmRules: staffProcedure("loyalty.configure").mutation(async ({ ctx }) => ({
    reviewedAt: await confirmLoyaltyRules(ctx.tx, {
      tenantId: ctx.staff.tenant.id,
      actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
    }),
  })),
});
