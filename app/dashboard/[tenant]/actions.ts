"use server";

import { revalidatePath } from "next/cache";
import { requireForm, requireText } from "@/server/action-args";
import { actionError } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type OpenStorefrontState = { error?: string; opened?: boolean };

/** The checklist's last step: the storefront opens to guests (once the owner's email is confirmed). */
export async function openStorefrontAction(
  tenant: string,
  _previous: OpenStorefrontState,
  _form: FormData,
): Promise<OpenStorefrontState> {
  requireText(tenant);
  requireForm(_form);
  try {
    await (await serverCaller(tenant)).setup.openStorefront();
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}`);
  return { opened: true };
}
