import { type Database, withTenant } from "@/db/client";
import {
  type Actor,
  applyBatch,
  type Batch,
  checkBatch,
  createBatch,
  prepareApply,
  prepareCheck,
  readIntoBatch,
  runJob,
} from "./batches";
import type { BalanceMode, Report, TierMode } from "./plan";
import { type ColumnMapping, guessPreset, type PresetId, presetMapping } from "./presets";
import { DEFAULT_LIMITS, type ReadLimits } from "./read";

export type ImportPhase = "reading" | "checking" | "applying";

export type FileImport = {
  tenantId: string;
  fileName: string;
  source: AsyncIterable<Uint8Array>;
  /** The preset to map the header with; guessed from the header when absent. */
  preset?: PresetId;
  /** A mapping of one's own (field → column index), instead of a preset's. */
  mapping?: ColumnMapping;
  balanceMode: BalanceMode;
  tierMode: TierMode;
  /** Apply after the dry run (otherwise stop there: the report only). */
  apply: boolean;
  actor: Actor;
  limits?: ReadLimits;
  onProgress?: (phase: ImportPhase, done: number, total: number) => void;
};

export type FileImportResult = {
  batch: Batch;
  preset: PresetId | null;
  report: Report | null;
  /** Seconds each phase took (the benchmark prints them). */
  seconds: { read: number; check: number; apply: number };
};

/**
 * A whole import from a file, as the CLI and the benchmark run it: the same steps and the same
 * job code as the back-office (upload, dry run, apply), one after the other.
 */
export async function importGuestFile(db: Database, input: FileImport): Promise<FileImportResult> {
  const seconds = { read: 0, check: 0, apply: 0 };
  const timed = async <T>(phase: keyof typeof seconds, work: () => Promise<T>) => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      seconds[phase] = (performance.now() - started) / 1000;
    }
  };
  const created = await withTenant(
    input.tenantId,
    (tx) => createBatch(tx, { tenantId: input.tenantId, fileName: input.fileName, createdBy: input.actor.userId }),
    db,
  );
  let bytesSeen = 0;
  const counted = (async function* () {
    for await (const chunk of input.source) {
      bytesSeen += chunk.byteLength;
      input.onProgress?.("reading", bytesSeen, 0);
      yield chunk;
    }
  })();
  const read = await timed("read", () =>
    readIntoBatch(db, input.tenantId, created.id, counted, input.limits ?? DEFAULT_LIMITS),
  );
  if (read.status === "failed") {
    return { batch: read, preset: null, report: read.report as Report | null, seconds };
  }
  const header = read.header ?? [];
  const preset = input.mapping ? null : (input.preset ?? guessPreset(header));
  const mapping = input.mapping ?? presetMapping(preset ?? "generic", header);
  await withTenant(
    input.tenantId,
    (tx) =>
      prepareCheck(tx, input.tenantId, {
        batchId: read.id,
        preset: preset ?? "saved",
        mapping,
        balanceMode: input.balanceMode,
        tierMode: input.tierMode,
      }),
    db,
  );
  const checked = await timed("check", () =>
    runJob(
      db,
      input.tenantId,
      read.id,
      (progress) => checkBatch(db, input.tenantId, read.id, progress),
      (done, total) => input.onProgress?.("checking", done, total),
    ),
  );
  if (!input.apply) return { batch: checked.batch, preset, report: checked.report, seconds };
  await withTenant(input.tenantId, (tx) => prepareApply(tx, read.id), db);
  const applied = await timed("apply", () =>
    runJob(
      db,
      input.tenantId,
      read.id,
      (progress) => applyBatch(db, input.tenantId, read.id, input.actor, progress),
      (done, total) => input.onProgress?.("applying", done, total),
    ),
  );
  return { batch: applied.batch, preset, report: applied.report, seconds };
}
