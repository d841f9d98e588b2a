"use server";

import { revalidatePath } from "next/cache";
import { requireForm, requireText } from "@/server/action-args";
import { actionError, actionErrorNamingField } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type StaffFormState = { error?: string; done?: boolean };

function roleAndLocations(form: FormData) {
  return {
    role: String(form.get("role")) as "owner" | "manager" | "barista",
    locationIds: form.getAll("locationIds").map(String),
  };
}

export async function inviteAction(tenant: string, _previous: StaffFormState, form: FormData): Promise<StaffFormState> {
  requireText(tenant);
  requireForm(form);
  try {
    await (await serverCaller(tenant)).staff.invite({
      email: String(form.get("email") ?? ""),
      ...roleAndLocations(form),
    });
  } catch (error) {
    return actionErrorNamingField(error);
  }
  revalidatePath(`/dashboard/${tenant}/staff`);
  return { done: true };
}

export async function changeMemberAction(
  tenant: string,
  _previous: StaffFormState,
  form: FormData,
): Promise<StaffFormState> {
  requireText(tenant);
  requireForm(form);
  try {
    await (await serverCaller(tenant)).staff.changeMember({
      membershipId: String(form.get("membershipId")),
      ...roleAndLocations(form),
    });
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}/staff`);
  return { done: true };
}

export async function removeMemberAction(
  tenant: string,
  _previous: StaffFormState,
  form: FormData,
): Promise<StaffFormState> {
  requireText(tenant);
  requireForm(form);
  try {
    await (await serverCaller(tenant)).staff.removeMember({ membershipId: String(form.get("membershipId")) });
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}/staff`);
  return { done: true };
}

export async function baristaTwoFactorAction(
  tenant: string,
  _previous: StaffFormState,
  form: FormData,
): Promise<StaffFormState> {
  requireText(tenant);
  requireForm(form);
  try {
    await (await serverCaller(tenant)).staff.setBaristaTwoFactor({ required: form.get("required") === "on" });
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}/staff`);
  return { done: true };
}

/**
 * Withdraws a pending invitation. One accepted or withdrawn meanwhile needs nothing more: the
 * list shown again says how things stand.
 */
export async function withdrawInvitationAction(tenant: string, invitationId: string): Promise<void> {
  requireText(tenant);
  requireText(invitationId);
  try {
    await (await serverCaller(tenant)).staff.withdrawInvitation({ invitationId });
  } catch (error) {
    const reason = actionError(error).error;
    if (reason !== "invitation_accepted" && reason !== "invitation_not_found") throw error;
  }
  revalidatePath(`/dashboard/${tenant}/staff`);
}
