"use server";

import { actionError } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

/** The guest cancels their own order while it is new; the procedure checks whose it is and its status. */
export async function cancelOrderAction(tenant: string, orderId: string): Promise<{ done?: true; error?: string }> {
  try {
    await (await serverCaller(tenant)).shop.cancel({ orderId: String(orderId) });
    return { done: true };
  } catch (error) {
    return actionError(error);
  }
}
