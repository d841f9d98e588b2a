"use server";

import { revalidatePath } from "next/cache";
import { requireForm, requireText } from "@/server/action-args";
import { actionError, actionErrorNamingField } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type KeyFormState = { error?: string; createdKey?: string; done?: boolean };

/** Creates a POS key; the answer is the only place the key itself ever appears. */
export async function createKeyAction(tenant: string, _previous: KeyFormState, form: FormData): Promise<KeyFormState> {
  requireText(tenant);
  requireForm(form);
  try {
    const created = await (await serverCaller(tenant)).integrations.createKey({
      locationSlug: String(form.get("location") ?? ""),
      name: String(form.get("name") ?? ""),
    });
    revalidatePath(`/dashboard/${tenant}/integrations`);
    return { createdKey: created.key };
  } catch (error) {
    return actionErrorNamingField(error);
  }
}

export async function revokeKeyAction(tenant: string, _previous: KeyFormState, form: FormData): Promise<KeyFormState> {
  requireText(tenant);
  requireForm(form);
  try {
    await (await serverCaller(tenant)).integrations.revokeKey({ keyId: String(form.get("keyId")) });
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}/integrations`);
  return { done: true };
}

export async function saveHintRuleAction(
  tenant: string,
  _previous: KeyFormState,
  form: FormData,
): Promise<KeyFormState> {
  requireText(tenant);
  requireForm(form);
  try {
    await (await serverCaller(tenant)).integrations.saveHintRule({
      ifSku: String(form.get("ifSku") ?? ""),
      suggestSku: String(form.get("suggestSku") ?? ""),
      text: String(form.get("text") ?? ""),
    });
  } catch (error) {
    return actionErrorNamingField(error);
  }
  revalidatePath(`/dashboard/${tenant}/hints`);
  return { done: true };
}

export async function deleteHintRuleAction(
  tenant: string,
  _previous: KeyFormState,
  form: FormData,
): Promise<KeyFormState> {
  requireText(tenant);
  requireForm(form);
  try {
    await (await serverCaller(tenant)).integrations.deleteHintRule({ ruleId: String(form.get("ruleId")) });
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}/hints`);
  return { done: true };
}
