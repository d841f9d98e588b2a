"use server";

import { revalidatePath } from "next/cache";
import { serverCaller } from "@/server/trpc/server-caller";

/** Closes or reopens the found guest's online access, then shows the look-up again. */
export async function setOnlineAccessAction(tenant: string, identifier: string, blocked: boolean): Promise<void> {
  await (await serverCaller(tenant)).guests.setOnlineAccess({ identifier, blocked });
  revalidatePath(`/dashboard/${tenant}/guests/lookup`);
}
