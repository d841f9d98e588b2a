"use server";

import { revalidatePath } from "next/cache";
import { requireRecord, requireText } from "@/server/action-args";
import { actionError } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type StopListActionState = { error?: string; done?: boolean };

/** "Sold out today" on or off for a product at a location; the procedure checks who may. */
export async function setSoldOutAction(
  tenant: string,
  input: { locationId: string; productId: string; soldOut: boolean },
): Promise<StopListActionState> {
  requireText(tenant);
  requireRecord(input);
  try {
    await (await serverCaller(tenant)).menu.setSoldOut({
      locationId: String(input.locationId),
      productId: String(input.productId),
      soldOut: input.soldOut === true,
    });
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}/menu`);
  return { done: true };
}

/** Whether a location offers a product at all (owner, manager); the procedure checks who may. */
export async function setAvailableAction(
  tenant: string,
  input: { locationId: string; productId: string; available: boolean },
): Promise<StopListActionState> {
  requireText(tenant);
  requireRecord(input);
  try {
    await (await serverCaller(tenant)).menu.setAvailable({
      locationId: String(input.locationId),
      productId: String(input.productId),
      available: input.available === true,
    });
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}/menu`);
  return { done: true };
}
