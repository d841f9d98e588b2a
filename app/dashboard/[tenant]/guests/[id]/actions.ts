"use server";

import { revalidatePath } from "next/cache";
import { requireForm, requireText } from "@/server/action-args";
import { actionErrorNamingField } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type AdjustPointsState = { error?: string; balance?: number };

/** Adds or takes the guest's points by hand (the reason is required), then shows the card again. */
export async function adjustPointsAction(
  tenant: string,
  guestId: string,
  _previous: AdjustPointsState,
  form: FormData,
): Promise<AdjustPointsState> {
  requireText(tenant);
  requireForm(form);
  requireText(guestId);
  const typed = String(form.get("delta") ?? "")
    .replace(/\s/g, "")
    .replace("−", "-");
  const delta = /^[+-]?\d{1,7}$/.test(typed) ? Number(typed) : Number.NaN;
  if (!Number.isSafeInteger(delta) || delta === 0) return { error: "field_delta" };
  // The balance the page showed: if it moved meanwhile (a sale, the form sent twice), nothing is applied.
  const expectedBalance = Number(form.get("expectedBalance"));
  let balance: number;
  try {
    ({ balance } = await (await serverCaller(tenant)).guests.adjustPoints({
      guestId,
      delta,
      reason: String(form.get("reason") ?? ""),
      expectedBalance: Number.isSafeInteger(expectedBalance) ? expectedBalance : undefined,
    }));
  } catch (error) {
    return actionErrorNamingField(error);
  }
  revalidatePath(`/dashboard/${tenant}/guests/${guestId}`);
  return { balance };
}
