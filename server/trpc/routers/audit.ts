import { auditListInput, listAudit } from "@/server/audit/list";
import { router, staffProcedure } from "../init";

/** The audit trail (owner only), server-side paginated and filtered. */
export const auditRouter = router({
  list: staffProcedure("audit.read")
    .input(auditListInput)
    .query(({ ctx, input }) => listAudit(ctx.tx, input)),
});
