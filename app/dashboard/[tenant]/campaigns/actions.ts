"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireForm, requireText } from "@/server/action-args";
import { actionError, actionErrorNamingField } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type CampaignFormState = { error?: string; done?: boolean };
export type TestSendState = { error?: string; sentTo?: string };
export type LaunchState = {
  error?: string;
  selected?: { eligible: number; target: number; heldOut: number; skipped: number };
};

const KINDS = ["win_back", "birthday", "survey_invite", "one_off"] as const;
const SEGMENTS = ["new", "regular", "loyal", "sleeping", "lost", "birthday"] as const;
/** The guests table's filter parameters a one-off may carry (the form keeps them as hidden fields). */
const FILTER_PREFIX = "filter.";

const textOf = (form: FormData, name: string) => String(form.get(name) ?? "").trim();
/** A whole number as typed: empty → null, anything else as typed (zod says what is wrong). */
const countOf = (form: FormData, name: string) => (textOf(form, name) === "" ? null : Number(textOf(form, name)));

/** The campaign form's fields as the campaigns procedures take them. */
function campaignFields(form: FormData) {
  const kind = KINDS.find((known) => known === textOf(form, "kind")) ?? "win_back";
  const givesBonus = kind === "win_back" || kind === "birthday";
  const filter = Object.fromEntries(
    [...form.entries()]
      .filter(([name, value]) => name.startsWith(FILTER_PREFIX) && String(value).trim() !== "")
      .map(([name, value]) => [name.slice(FILTER_PREFIX.length), String(value).trim()]),
  );
  const to = textOf(form, "audience");
  const segment = SEGMENTS.find((known) => known === to);
  const audience =
    kind !== "one_off"
      ? null
      : to === "filter"
        ? { directoryFilter: filter }
        : segment
          ? { segment }
          : { segment: undefined };
  const bonusPoints = givesBonus ? (countOf(form, "bonusPoints") ?? 0) : 0;
  return {
    name: textOf(form, "name"),
    kind,
    subject: textOf(form, "subject"),
    body: textOf(form, "body"),
    bonusPoints,
    bonusExpiresDays: givesBonus && bonusPoints > 0 ? countOf(form, "bonusExpiresDays") : null,
    daysBefore: kind === "birthday" ? countOf(form, "daysBefore") : null,
    holdoutPercent: countOf(form, "holdoutPercent") ?? 10,
    windowDays: countOf(form, "windowDays") ?? 14,
    audience,
    scheduledAt: kind === "one_off" && textOf(form, "when") === "later" ? textOf(form, "scheduledAt") || null : null,
  } as const;
}

/** Creates a draft and opens it (to preview it, test it and launch it). */
export async function createCampaignAction(
  tenant: string,
  _previous: CampaignFormState,
  form: FormData,
): Promise<CampaignFormState> {
  requireText(tenant);
  requireForm(form);
  let campaignId: string;
  try {
    campaignId = (await (await serverCaller(tenant)).campaigns.create(campaignFields(form))).id;
  } catch (error) {
    return actionErrorNamingField(error);
  }
  revalidatePath(`/dashboard/${tenant}/campaigns`);
  redirect(`/dashboard/${tenant}/campaigns/${campaignId}/edit`);
}

export async function updateCampaignAction(
  tenant: string,
  campaignId: string,
  _previous: CampaignFormState,
  form: FormData,
): Promise<CampaignFormState> {
  requireText(tenant);
  requireForm(form);
  requireText(campaignId);
  try {
    await (await serverCaller(tenant)).campaigns.update({ campaignId, fields: campaignFields(form) });
  } catch (error) {
    return actionErrorNamingField(error);
  }
  revalidatePath(`/dashboard/${tenant}/campaigns`, "layout");
  return { done: true };
}

/** Sends the message to the member's own email (the dev outbox without a Resend key). */
export async function sendTestAction(
  tenant: string,
  campaignId: string,
  _previous: TestSendState,
  form: FormData,
): Promise<TestSendState> {
  requireText(tenant);
  requireForm(form);
  requireText(campaignId);
  const locale = textOf(form, "locale") === "en" ? "en" : "ru";
  try {
    const { to } = await (await serverCaller(tenant)).campaigns.sendTest({ campaignId, locale });
    return { sentTo: to };
  } catch (error) {
    return actionError(error);
  }
}

export async function launchCampaignAction(
  tenant: string,
  campaignId: string,
  _previous: LaunchState,
  _form: FormData,
): Promise<LaunchState> {
  requireText(tenant);
  requireForm(_form);
  requireText(campaignId);
  try {
    const { selected } = await (await serverCaller(tenant)).campaigns.launch({ campaignId });
    revalidatePath(`/dashboard/${tenant}/campaigns`, "layout");
    return { selected: selected ?? undefined };
  } catch (error) {
    return actionErrorNamingField(error);
  }
}

export async function setCampaignStatusAction(
  tenant: string,
  campaignId: string,
  _previous: CampaignFormState,
  form: FormData,
): Promise<CampaignFormState> {
  requireText(tenant);
  requireForm(form);
  requireText(campaignId);
  const typed = textOf(form, "action");
  const action = typed === "resume" || typed === "archive" ? typed : "pause";
  try {
    await (await serverCaller(tenant)).campaigns.setStatus({ campaignId, action });
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}/campaigns`, "layout");
  return { done: true };
}

export type SettingsState = { error?: string; done?: boolean };

export async function updateSettingsAction(
  tenant: string,
  _previous: SettingsState,
  form: FormData,
): Promise<SettingsState> {
  requireText(tenant);
  requireForm(form);
  try {
    await (await serverCaller(tenant)).campaigns.updateSettings({
      frequencyCapCount: Number(textOf(form, "frequencyCapCount")),
      frequencyCapDays: Number(textOf(form, "frequencyCapDays")),
      quietStart: textOf(form, "quietStart"),
      quietEnd: textOf(form, "quietEnd"),
      globalControlEnabled: form.get("globalControlEnabled") === "on",
    });
  } catch (error) {
    return actionErrorNamingField(error);
  }
  revalidatePath(`/dashboard/${tenant}/campaigns`, "layout");
  return { done: true };
}
