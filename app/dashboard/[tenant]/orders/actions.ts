"use server";

import { revalidatePath } from "next/cache";
import { requireRecord, requireText } from "@/server/action-args";
import { actionError } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type BoardStep = "accepted" | "ready" | "picked_up" | "cancelled";
export type BoardActionState = { error?: string; done?: boolean };

const STEPS: readonly BoardStep[] = ["accepted", "ready", "picked_up", "cancelled"];

/** Moves an order on the board (or cancels it with a reason); the procedure checks everything. */
export async function advanceOrderAction(
  tenant: string,
  input: { orderId: string; to: BoardStep; reason?: string },
): Promise<BoardActionState> {
  requireText(tenant);
  requireRecord(input);
  if (!STEPS.includes(input.to)) return { error: "invalid_request" };
  try {
    await (await serverCaller(tenant)).orders.advance({
      orderId: String(input.orderId),
      to: input.to,
      ...(input.reason === undefined ? {} : { reason: String(input.reason) }),
    });
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}/orders`);
  return { done: true };
}
