"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireForm, requireText } from "@/server/action-args";
import { actionError, actionErrorNamingField } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type OfferFormState = { error?: string; done?: boolean };
export type GiveFormState = { error?: string; given?: { guests: number; granted: number; alreadyHad: number } };

const KINDS = ["percent_off", "amount_off", "free_item", "points_multiplier", "bonus_points"] as const;
type Kind = (typeof KINDS)[number];

const textOf = (form: FormData, name: string) => String(form.get(name) ?? "").trim();
/** An optional whole number: empty → null, anything else as typed (zod says what is wrong). */
const countOf = (form: FormData, name: string) => (textOf(form, name) === "" ? null : Number(textOf(form, name)));
/** Major units as typed ("250", "250,50") → minor units. */
const minorOf = (form: FormData, name: string) => {
  const typed = textOf(form, name).replace(/\s/g, "").replace(",", ".");
  return typed === "" ? 0 : Math.round(Number(typed) * 100);
};

/** The offer form's fields as the offers procedures take them. */
function offerFields(form: FormData) {
  const kind = (KINDS as readonly string[]).includes(textOf(form, "kind"))
    ? (textOf(form, "kind") as Kind)
    : "percent_off";
  const value =
    kind === "free_item" ? 1 : kind === "amount_off" ? minorOf(form, "value") : Number(textOf(form, "value"));
  const typedSource = textOf(form, "source");
  const source = (["code", "birthday", "usual_plus_one"] as const).find((known) => known === typedSource) ?? "personal";
  return {
    kind,
    value,
    skus: form.getAll("skus").map(String),
    requiredSkus: form.getAll("requiredSkus").map(String),
    categories: kind === "free_item" ? [] : form.getAll("categories").map(String),
    title: { ru: textOf(form, "titleRu"), en: textOf(form, "titleEn") },
    description: { ru: textOf(form, "descriptionRu"), en: textOf(form, "descriptionEn") },
    validFrom: textOf(form, "validFrom") || null,
    validUntil: textOf(form, "validUntil") || null,
    minCheck: minorOf(form, "minCheck"),
    perGuestLimit: countOf(form, "perGuestLimit"),
    totalLimit: countOf(form, "totalLimit"),
    locationIds: form.getAll("locationIds").map(String),
    source,
    code: source === "code" ? textOf(form, "code") : null,
    grantDays: source === "code" ? null : countOf(form, "grantDays"),
  } as const;
}

/** Creates an offer and opens its page (to give it, or to watch its uses). */
export async function createOfferAction(
  tenant: string,
  _previous: OfferFormState,
  form: FormData,
): Promise<OfferFormState> {
  requireText(tenant);
  requireForm(form);
  let offerId: string;
  try {
    offerId = (await (await serverCaller(tenant)).offers.create(offerFields(form))).id;
  } catch (error) {
    return actionErrorNamingField(error);
  }
  revalidatePath(`/dashboard/${tenant}/offers`);
  redirect(`/dashboard/${tenant}/offers/${offerId}`);
}

export async function updateOfferAction(
  tenant: string,
  offerId: string,
  _previous: OfferFormState,
  form: FormData,
): Promise<OfferFormState> {
  requireText(tenant);
  requireForm(form);
  requireText(offerId);
  try {
    await (await serverCaller(tenant)).offers.update({ offerId, fields: offerFields(form) });
  } catch (error) {
    return actionErrorNamingField(error);
  }
  revalidatePath(`/dashboard/${tenant}/offers`, "layout");
  return { done: true };
}

export async function setOfferStatusAction(
  tenant: string,
  offerId: string,
  _previous: OfferFormState,
  form: FormData,
): Promise<OfferFormState> {
  requireText(tenant);
  requireForm(form);
  requireText(offerId);
  const status = textOf(form, "status");
  try {
    await (await serverCaller(tenant)).offers.setStatus({
      offerId,
      status: status === "paused" || status === "archived" ? status : "active",
    });
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/dashboard/${tenant}/offers`, "layout");
  return { done: true };
}

/** Gives the offer to one guest (card code or phone) or to a segment. */
export async function giveOfferAction(
  tenant: string,
  offerId: string,
  _previous: GiveFormState,
  form: FormData,
): Promise<GiveFormState> {
  requireText(tenant);
  requireForm(form);
  requireText(offerId);
  const target =
    textOf(form, "to") === "segment"
      ? { kind: "segment" as const, segment: textOf(form, "segment") as "sleeping" }
      : { kind: "guest" as const, identifier: textOf(form, "identifier") };
  try {
    const given = await (await serverCaller(tenant)).offers.give({ offerId, target });
    revalidatePath(`/dashboard/${tenant}/offers/${offerId}`);
    return { given };
  } catch (error) {
    return actionErrorNamingField(error);
  }
}
