import { z } from "zod";
import {
  applyBatch,
  batchView,
  checkBatch,
  createBatch,
  listBatches,
  listMappings,
  prepareApply,
  prepareCheck,
  runJob,
  startJobInBackground,
  undoBatch,
} from "@/server/guests/import/batches";
import { deleteMapping } from "@/server/guests/import/mappings";
import { IMPORT_FIELDS, PRESET_IDS } from "@/server/guests/import/presets";
import { router, staffProcedure } from "../init";

const batchId = z.object({ batchId: z.uuid() });
const mapping = z.partialRecord(z.enum(IMPORT_FIELDS), z.number().int().min(0).max(500));

/** Guests brought over from the café's former loyalty system (owner, manager): upload, dry run, apply, undo. */
export const guestImportRouter = router({
  /** The café's recent imports. */
  batches: staffProcedure("guests.import").query(async ({ ctx }) => ({ batches: await listBatches(ctx.tx) })),

  /** One import: its state, progress, mapping and report (the page polls it while a job runs). */
  batch: staffProcedure("guests.import")
    .input(batchId)
    .query(({ ctx, input }) => batchView(ctx.tx, input.batchId)),

  /** A new import for a file about to be uploaded (the upload route then streams the file into it). */
  beginUpload: staffProcedure("guests.import")
    .input(z.object({ fileName: z.string().trim().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const batch = await createBatch(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        fileName: input.fileName,
        createdBy: ctx.staff.session.userId,
      });
      return { batchId: batch.id, tenantId: ctx.staff.tenant.id };
    }),

  /** The dry run with this mapping and these modes, in the background (the batch row shows progress). */
  check: staffProcedure("guests.import")
    .input(
      batchId.extend({
        preset: z.enum([...PRESET_IDS, "saved"]),
        mapping,
        balanceMode: z.enum(["add", "set"]),
        tierMode: z.enum(["carry", "recompute"]),
        saveAs: z.string().trim().max(60).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const tenantId = ctx.staff.tenant.id;
      await prepareCheck(ctx.tx, tenantId, input);
      ctx.afterCommit(async () =>
        startJobInBackground(() =>
          runJob(ctx.db, tenantId, input.batchId, (progress) => checkBatch(ctx.db, tenantId, input.batchId, progress)),
        ),
      );
      return { batchId: input.batchId };
    }),

  /** Applies a checked import as one batch, in the background (audited). */
  applyImport: staffProcedure("guests.import")
    .input(batchId)
    .mutation(async ({ ctx, input }) => {
      const tenantId = ctx.staff.tenant.id;
      await prepareApply(ctx.tx, input.batchId);
      const actor = { kind: "staff" as const, userId: ctx.staff.session.userId, ip: ctx.ip };
      ctx.afterCommit(async () =>
        startJobInBackground(() =>
          runJob(ctx.db, tenantId, input.batchId, (progress) =>
            applyBatch(ctx.db, tenantId, input.batchId, actor, progress),
          ),
        ),
      );
      return { batchId: input.batchId };
    }),

  /** Undoes an applied import while no guest has spent points since (audited). */
  undo: staffProcedure("guests.import")
    .input(batchId)
    .mutation(async ({ ctx, input }) => {
      const result = await undoBatch(ctx.tx, ctx.staff.tenant.id, input.batchId, {
        kind: "staff",
        userId: ctx.staff.session.userId,
        ip: ctx.ip,
      });
      return { guests: result.guests, points: result.points, removed: result.removed };
    }),

  /** The column mappings the café saved, by name. */
  mappings: staffProcedure("guests.import").query(async ({ ctx }) => ({ mappings: await listMappings(ctx.tx) })),

  /** Deletes a saved column mapping (audited); imports that used it keep their copy. */
  deleteMapping: staffProcedure("guests.import")
    .input(z.object({ mappingId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      deleteMapping(ctx.tx, ctx.staff.tenant.id, input.mappingId, {
        kind: "staff",
        userId: ctx.staff.session.userId,
        ip: ctx.ip,
      }),
    ),
});
