"use server";

import { getLocale } from "next-intl/server";
import { chosenLocationId, menuLocale } from "@/components/storefront/location";
import { requireText } from "@/server/action-args";
import type { Reorder } from "@/server/orders/reorder";
import { actionError } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

/** The guest cancels their own order while it is new; the procedure checks whose it is and its status. */
export async function cancelOrderAction(tenant: string, orderId: string): Promise<{ done?: true; error?: string }> {
  requireText(tenant);
  requireText(orderId);
  try {
    await (await serverCaller(tenant)).shop.cancel({ orderId: String(orderId) });
    return { done: true };
  } catch (error) {
    return actionError(error);
  }
}

/** "Order again": the order's lines the guest's chosen location sells today (the cart takes them in the browser). */
export async function reorderAction(tenant: string, orderId: string): Promise<Partial<Reorder> & { error?: string }> {
  requireText(tenant);
  requireText(orderId);
  try {
    return await (await serverCaller(tenant)).shop.reorder({
      orderId: String(orderId),
      locationId: await chosenLocationId(),
      locale: menuLocale(await getLocale()),
    });
  } catch (error) {
    return actionError(error);
  }
}
