import { z } from "zod";
import { listAudit } from "@/server/audit/list";
import { router, staffProcedure } from "../init";

const EARLIEST = new Date("2000-01-01T00:00:00Z");
const LATEST = new Date("2200-01-01T00:00:00Z");

/** The audit trail (owner only), server-side paginated and filtered. */
export const auditRouter = router({
  list: staffProcedure("audit.read")
    .input(
      z.object({
        actorUserId: z.uuid().optional(),
        // No control characters (PostgreSQL refuses a NUL in text); dates PostgreSQL can take.
        action: z
          .string()
          .max(100)
          .regex(/^\P{Cc}*$/u)
          .optional(),
        from: z.coerce.date().min(EARLIEST).max(LATEST).optional(),
        to: z.coerce.date().min(EARLIEST).max(LATEST).optional(),
        page: z.number().int().min(0).max(100_000).default(0),
        pageSize: z.number().int().min(10).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => listAudit(ctx.tx, input)),
});
