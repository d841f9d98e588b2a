import { subscriptionStatus } from "@/server/billing/status";
import { router, staffProcedure } from "../init";

/** The subscription (owner only). */
export const billingRouter = router({
  status: staffProcedure("billing.manage").query(({ ctx }) => subscriptionStatus(ctx.tx)),
});
