"use server";

import { revalidatePath } from "next/cache";
import { requireForm, requireText } from "@/server/action-args";
import { actionError, failedField } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type ConfirmRulesState = { error?: string; done?: boolean };

/** "The rules are right": ticks the checklist's loyalty step. */
export async function confirmRulesAction(
  tenant: string,
  _previous: ConfirmRulesState,
  _form: FormData,
): Promise<ConfirmRulesState> {
  requireText(tenant);
  requireForm(_form);
  try {
    await (await serverCaller(tenant)).loyalty.confirmRules();
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}/loyalty`);
  revalidatePath(`/dashboard/${tenant}`);
  return { done: true };
}

export type RuleDraft = Parameters<Awaited<ReturnType<typeof serverCaller>>["loyalty"]["publish"]>[0];
export type RulePreviewState =
  | { preview: Awaited<ReturnType<Awaited<ReturnType<typeof serverCaller>>["loyalty"]["preview"]>> }
  | { error: string; field?: string };

/** What the change would do to today's guests; changes nothing. */
export async function previewRulesAction(tenant: string, draft: RuleDraft): Promise<RulePreviewState> {
  requireText(tenant);
  try {
    return { preview: await (await serverCaller(tenant)).loyalty.preview(draft) };
  } catch (error) {
    return { ...actionError(error), field: ruleField(error) };
  }
}

export type PublishRulesState =
  | { published: { number: number; effectiveFrom: string } }
  | { error: string; field?: string };

/** Publishes the change as a new version. */
export async function publishRulesAction(tenant: string, draft: RuleDraft): Promise<PublishRulesState> {
  requireText(tenant);
  let published: { number: number; effectiveFrom: string };
  try {
    published = await (await serverCaller(tenant)).loyalty.publish(draft);
  } catch (error) {
    return { ...actionError(error), field: ruleField(error) };
  }
  revalidatePath(`/dashboard/${tenant}/loyalty`);
  return { published };
}

/** The field a refusal names, as the editor names it: the input's "rules.tiers.0.name" and the domain's "tiers.0.name" alike. */
function ruleField(error: unknown): string | undefined {
  return failedField(error)?.replace(/^rules\./, "");
}
