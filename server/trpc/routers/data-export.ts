import { z } from "zod";
import { appDatabaseUrl } from "@/server/env";
import { latestTenantExport, runTenantExport, startTenantExport } from "@/server/exports/tenant-export";
import { router, staffProcedure } from "../init";

/** The café's full export ("all of our data, to take away"): started here, made in the background. */
export const dataExportRouter = router({
  /** Starts the archive (guests' personal fields only in an owner's); audited; one at a time. */
  start: staffProcedure("data.export")
    // A lapsed café still takes its data with it.
    .meta({ whenReadOnly: true })
    .input(z.object({}).optional())
    .mutation(async ({ ctx }) => {
      const started = await startTenantExport(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        role: ctx.staff.role,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      });
      const tenantId = ctx.staff.tenant.id;
      if (!started.alreadyRunning) {
        ctx.afterCommit(async () => {
          // In the background, not awaited: the page polls `latest` for the progress.
          void runTenantExport(ctx.db, { appUrl: () => appDatabaseUrl(), tenantId, exportId: started.exportId });
        });
      }
      return started;
    }),

  /** The latest export and its progress (the page polls it). */
  latest: staffProcedure("data.export").query(({ ctx }) => latestTenantExport(ctx.tx)),
});
