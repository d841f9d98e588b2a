"use server";

import { revalidatePath } from "next/cache";
import { actionError } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type ConfirmRulesState = { error?: string; done?: boolean };

/** "The rules are right": ticks the checklist's loyalty step. */
export async function confirmRulesAction(
  tenant: string,
  _previous: ConfirmRulesState,
  _form: FormData,
): Promise<ConfirmRulesState> {
  try {
    await (await serverCaller(tenant)).loyalty.confirmRules();
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}/loyalty`);
  revalidatePath(`/dashboard/${tenant}`);
  return { done: true };
}
