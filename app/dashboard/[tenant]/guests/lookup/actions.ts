"use server";

import { revalidatePath } from "next/cache";
import { requireText } from "@/server/action-args";
import { actionError } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

/**
 * Closes or reopens the found guest's online access, then shows the look-up again. A refusal (the
 * guest no longer found, no longer allowed) is not an error page: the look-up shown again says
 * how things stand.
 */
export async function setOnlineAccessAction(tenant: string, identifier: string, blocked: boolean): Promise<void> {
  requireText(tenant);
  requireText(identifier);
  try {
    await (await serverCaller(tenant)).guests.setOnlineAccess({ identifier, blocked });
  } catch (error) {
    actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}/guests/lookup`);
}
