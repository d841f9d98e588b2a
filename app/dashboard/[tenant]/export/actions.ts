"use server";

import { requireText } from "@/server/action-args";
import type { ExportStatus } from "@/server/exports/tenant-export";
import { actionError } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type ExportState = { error?: string; status?: ExportStatus | null };

/** Starts the café's full export; the page then polls `exportStatusAction` for its progress. */
export async function startExportAction(tenant: string): Promise<ExportState> {
  requireText(tenant);
  try {
    const caller = await serverCaller(tenant);
    await caller.dataExport.start();
    return { status: await caller.dataExport.latest() };
  } catch (error) {
    return actionError(error);
  }
}

/** The latest export and its progress. */
export async function exportStatusAction(tenant: string): Promise<ExportState> {
  requireText(tenant);
  try {
    return { status: await (await serverCaller(tenant)).dataExport.latest() };
  } catch (error) {
    return actionError(error);
  }
}
