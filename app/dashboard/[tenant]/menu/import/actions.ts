"use server";

import { revalidatePath } from "next/cache";
import { requireForm, requireText } from "@/server/action-args";
import type { ImportReport } from "@/server/menu/import";
import { MAX_IMPORT_BYTES } from "@/server/menu/import";
import { actionError } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type MenuImportState = {
  report?: ImportReport;
  /** Set once applied: the batch (null when the file changed nothing). */
  applied?: { batchId: string | null };
  undone?: { deleted: number; archived: number; restored: number };
  error?: string;
};

async function fileOf(form: FormData): Promise<{ fileName: string; contentBase64: string } | { error: string }> {
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return { error: "empty" };
  if (file.size > MAX_IMPORT_BYTES) return { error: "too_large" };
  return { fileName: file.name || "menu.csv", contentBase64: Buffer.from(await file.arrayBuffer()).toString("base64") };
}

/** The dry run (mode "check") or the import itself (mode "apply") of the chosen file. */
export async function menuImportAction(
  tenant: string,
  _state: MenuImportState,
  form: FormData,
): Promise<MenuImportState> {
  requireText(tenant);
  requireForm(form);
  const file = await fileOf(form);
  if ("error" in file) return { error: file.error };
  const defaultCategory = String(form.get("defaultCategory") ?? "").trim() || "—";
  try {
    const caller = await serverCaller(tenant);
    if (form.get("mode") === "apply") {
      const { report, batchId } = await caller.menu.importApply({ ...file, defaultCategory });
      revalidatePath(`/dashboard/${tenant}/menu`, "layout");
      return { report, applied: { batchId } };
    }
    return { report: await caller.menu.importDryRun({ ...file, defaultCategory }) };
  } catch (error) {
    return actionError(error);
  }
}

/** Undoes an import batch. */
export async function undoMenuImportAction(
  tenant: string,
  _state: MenuImportState,
  form: FormData,
): Promise<MenuImportState> {
  requireText(tenant);
  requireForm(form);
  try {
    const undone = await (await serverCaller(tenant)).menu.undoImport({ batchId: String(form.get("batchId") ?? "") });
    revalidatePath(`/dashboard/${tenant}/menu`, "layout");
    return { undone };
  } catch (error) {
    return actionError(error);
  }
}
