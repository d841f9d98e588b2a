"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireForm, requireText } from "@/server/action-args";
import { IMPORT_FIELDS, type ImportField } from "@/server/guests/import/presets";
import { actionError } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type ImportActionState = {
  error?: string;
  undone?: { guests: number; points: number; removed: number };
  /** The name of the saved mapping just deleted. */
  deleted?: string;
};

const pagePath = (tenant: string, batchId: string) =>
  `/dashboard/${tenant}/guests/import?batch=${encodeURIComponent(batchId)}`;

/** Starts the dry run with the mapping and modes of the form; the page then shows its progress. */
export async function checkImportAction(
  tenant: string,
  _state: ImportActionState,
  form: FormData,
): Promise<ImportActionState> {
  requireText(tenant);
  requireForm(form);
  const batchId = String(form.get("batchId") ?? "");
  const mapping: Partial<Record<ImportField, number>> = {};
  for (const field of IMPORT_FIELDS) {
    const value = String(form.get(`map.${field}`) ?? "");
    if (value !== "") mapping[field] = Number(value);
  }
  try {
    await (await serverCaller(tenant)).guestImport.check({
      batchId,
      preset: String(form.get("preset") ?? "generic") as "generic",
      mapping,
      balanceMode: form.get("balanceMode") === "set" ? "set" : "add",
      tierMode: form.get("tierMode") === "recompute" ? "recompute" : "carry",
      saveAs: String(form.get("saveAs") ?? "") || undefined,
    });
  } catch (error) {
    return actionError(error);
  }
  redirect(pagePath(tenant, batchId));
}

/** Applies a checked import (in the background; the page shows its progress). */
export async function applyImportAction(
  tenant: string,
  _state: ImportActionState,
  form: FormData,
): Promise<ImportActionState> {
  requireText(tenant);
  requireForm(form);
  const batchId = String(form.get("batchId") ?? "");
  try {
    await (await serverCaller(tenant)).guestImport.applyImport({ batchId });
  } catch (error) {
    return actionError(error);
  }
  redirect(pagePath(tenant, batchId));
}

/** Undoes an applied import while no guest has spent points since. */
export async function undoImportAction(
  tenant: string,
  _state: ImportActionState,
  form: FormData,
): Promise<ImportActionState> {
  requireText(tenant);
  requireForm(form);
  try {
    const undone = await (await serverCaller(tenant)).guestImport.undo({ batchId: String(form.get("batchId") ?? "") });
    return { undone };
  } catch (error) {
    return actionError(error);
  }
}

/** Deletes a saved column mapping (audited); the page then lists the ones left. */
export async function deleteMappingAction(
  tenant: string,
  _state: ImportActionState,
  form: FormData,
): Promise<ImportActionState> {
  requireText(tenant);
  requireForm(form);
  try {
    const deleted = await (await serverCaller(tenant)).guestImport.deleteMapping({
      mappingId: String(form.get("mappingId") ?? ""),
    });
    revalidatePath(`/dashboard/${tenant}/guests/import`);
    return { deleted: deleted.name };
  } catch (error) {
    return actionError(error);
  }
}
