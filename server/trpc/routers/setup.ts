import { openStorefront, setupChecklist } from "@/server/signup/first-steps";
import { router, staffProcedure } from "../init";

/** A new café's first steps (owner only): the checklist and opening the storefront. */
export const setupRouter = router({
  /** What is done of the five first steps, read from the café's data. */
  checklist: staffProcedure("storefront.open").query(({ ctx }) => setupChecklist(ctx.tx, ctx.staff.tenant.id)),

  /** Opens the storefront and cabinet to guests; refused until the owner's email is confirmed. Audited. */
  openStorefront: staffProcedure("storefront.open").mutation(({ ctx }) =>
    openStorefront(ctx.tx, {
      tenantId: ctx.staff.tenant.id,
      actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
    }),
  ),
});
