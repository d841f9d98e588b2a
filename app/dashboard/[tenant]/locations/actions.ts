"use server";

import { revalidatePath } from "next/cache";
import { requireForm, requireText } from "@/server/action-args";
import { actionError, failedField } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type LocationFormState = { error?: string; field?: string; done?: boolean; createdId?: string };

/** Opens a location (within the plan: its message names the plan that allows more). */
export async function addLocationAction(
  tenant: string,
  _previous: LocationFormState,
  form: FormData,
): Promise<LocationFormState> {
  requireText(tenant);
  requireForm(form);
  let createdId: string;
  try {
    const created = await (await serverCaller(tenant)).locations.add({
      name: String(form.get("name") ?? ""),
      slug: String(form.get("slug") ?? "").toLowerCase(),
      address: String(form.get("address") ?? ""),
      timezone: String(form.get("timezone") ?? "") || undefined,
    });
    createdId = created.id;
  } catch (error) {
    return { ...actionError(error), field: failedField(error) };
  }
  revalidatePath(`/dashboard/${tenant}/locations`);
  return { done: true, createdId };
}

/** Archives a location (its history stays; the last one cannot go). */
export async function archiveLocationAction(
  tenant: string,
  _previous: LocationFormState,
  form: FormData,
): Promise<LocationFormState> {
  requireText(tenant);
  requireForm(form);
  try {
    await (await serverCaller(tenant)).locations.archive({ locationId: String(form.get("locationId")) });
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}/locations`);
  return { done: true };
}

export type LocationSettingsDraft = Parameters<
  Awaited<ReturnType<typeof serverCaller>>["locations"]["update"]
>[0]["settings"];

/** Saves a location's name, address, zone, hours with breaks and holidays, pick-up and slots. */
export async function updateLocationAction(
  tenant: string,
  locationId: string,
  settings: LocationSettingsDraft,
): Promise<LocationFormState> {
  requireText(tenant);
  requireText(locationId);
  try {
    await (await serverCaller(tenant)).locations.update({ locationId, settings });
  } catch (error) {
    // The input's own checks name "settings.<field>", the domain's "<field>": the form knows fields.
    return { ...actionError(error), field: failedField(error)?.replace(/^settings\./, "") };
  }
  revalidatePath(`/dashboard/${tenant}/locations`);
  revalidatePath(`/dashboard/${tenant}/locations/${locationId}`);
  return { done: true };
}
