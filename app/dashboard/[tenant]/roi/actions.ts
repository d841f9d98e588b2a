"use server";

import { revalidatePath } from "next/cache";
import { requireForm, requireText } from "@/server/action-args";
import { actionErrorNamingField } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type RoiAssumptionsState = { error?: string; saved?: boolean };

/** "12,5" or "12.5" in major units → minor units; empty → null (take it from the data). */
function minorOrNull(value: FormDataEntryValue | null): number | null {
  const text = String(value ?? "")
    .trim()
    .replace(/\s/g, "")
    .replace(",", ".");
  if (text === "") return null;
  const amount = Number(text);
  return Number.isFinite(amount) ? Math.round(amount * 100) : Number.NaN;
}

/** Saves the ROI report's assumptions (cost of goods, a point's cost, subscription, win-back share). */
export async function saveRoiAssumptionsAction(
  tenant: string,
  _previous: RoiAssumptionsState,
  form: FormData,
): Promise<RoiAssumptionsState> {
  requireText(tenant);
  requireForm(form);
  try {
    await (await serverCaller(tenant)).roi.updateAssumptions({
      cogsPercent: Number(form.get("cogsPercent")),
      pointCostMinor: minorOrNull(form.get("pointCost")),
      subscriptionMinor: minorOrNull(form.get("subscription")),
      winbackPercent: Number(form.get("winbackPercent")),
    });
  } catch (error) {
    return actionErrorNamingField(error);
  }
  revalidatePath(`/dashboard/${tenant}/roi`);
  return { saved: true };
}
