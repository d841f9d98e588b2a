import { z } from "zod";
import { listAudit } from "@/server/audit/list";
import { router, staffProcedure } from "../init";

/** The audit trail (owner only), server-side paginated and filtered. */
export const auditRouter = router({
  list: staffProcedure("audit.read")
    .input(
      z.object({
        actorUserId: z.uuid().optional(),
        action: z.string().max(100).optional(),
        from: z.coerce.date().optional(),
        to: z.coerce.date().optional(),
        page: z.number().int().min(0).max(100_000).default(0),
        pageSize: z.number().int().min(10).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => listAudit(ctx.tx, input)),
});
