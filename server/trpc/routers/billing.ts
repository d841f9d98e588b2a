import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { users } from "@/db/schema";
import { billingOverview, confirmCheckout, invoicesOf, openPortal, startCheckout } from "@/server/billing/checkout";
import { BILLING_INTERVALS, PLAN_IDS } from "@/server/billing/plans";
import { billingProvider } from "@/server/billing/stripe";
import { AppError } from "@/server/errors";
import { router, staffProcedure } from "../init";

/** The configured provider; refused ("billing_off") while billing is not configured. */
function provider() {
  const configured = billingProvider();
  if (!configured) throw new AppError("forbidden", "Billing is not configured", "billing_off");
  return configured;
}

async function actorOf(tx: Tx, ctx: { staff: { session: { userId: string } }; ip: string | null }) {
  const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, ctx.staff.session.userId));
  return { userId: ctx.staff.session.userId, email: user?.email ?? "", ip: ctx.ip };
}

/** The subscription (owner only). Paying is allowed while the back-office is read-only. */
export const billingRouter = router({
  /** Plan, state, limits and their use, and the latest invoices. */
  status: staffProcedure("billing.manage").query(async ({ ctx }) => {
    const overview = await billingOverview(ctx.tx);
    const configured = billingProvider();
    const invoices = configured ? await invoicesOf(ctx.tx, configured) : [];
    return { ...overview, invoices: invoices ?? [], invoicesUnavailable: invoices === null };
  }),

  /** Starts a Checkout for a plan (quantity = active locations); answers the page to open. */
  checkout: staffProcedure("billing.manage")
    .meta({ whenReadOnly: true })
    .input(z.object({ plan: z.enum(PLAN_IDS), interval: z.enum(BILLING_INTERVALS) }))
    .mutation(async ({ ctx, input }) =>
      startCheckout(ctx.db, ctx.tx, provider(), {
        tenant: ctx.staff.tenant,
        ...input,
        actor: await actorOf(ctx.tx, ctx),
      }),
    ),

  /** Back from Checkout: re-reads the subscription from the provider at once. */
  confirmCheckout: staffProcedure("billing.manage")
    .meta({ whenReadOnly: true })
    .input(z.object({ sessionId: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => ({
      outcome: await confirmCheckout(ctx.tx, provider(), { tenant: ctx.staff.tenant, sessionId: input.sessionId }),
    })),

  /** The provider's portal: card, plan change, cancellation, invoices. */
  portal: staffProcedure("billing.manage")
    .meta({ whenReadOnly: true })
    .mutation(async ({ ctx }) =>
      openPortal(ctx.db, provider(), { tenant: ctx.staff.tenant, actor: await actorOf(ctx.tx, ctx) }),
    ),
});
