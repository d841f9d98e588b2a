"use server";

import { redirect } from "next/navigation";
import { requireForm } from "@/server/action-args";
import { guestReturnPath } from "@/server/guest-auth/sign-in";
import { actionError, failedFields } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

/** `fields`: the fields to mark wrong (name, phone, consent), each with its own message. */
export type WelcomeState = { error?: string; needsCard?: boolean; fields?: string[] };

/** Joins the café's programme with the signed-in email; then on to where the guest was going. */
export async function enrolAction(_previous: WelcomeState, form: FormData): Promise<WelcomeState> {
  requireForm(form);
  const tenant = String(form.get("tenant") ?? "");
  const cardCode = String(form.get("cardCode") ?? "").trim();
  try {
    await (await serverCaller(tenant)).guest.enrol({
      name: String(form.get("name") ?? ""),
      phone: String(form.get("phone") ?? ""),
      consent: form.get("consent") === "on",
      marketingOptIn: form.get("marketing") === "on",
      ...(cardCode ? { cardCode } : {}),
    });
  } catch (error) {
    const { error: reason } = actionError(error);
    // Wrong fields are said at each field; the form's own message is for what no field explains.
    const fields = reason === "invalid_request" ? failedFields(error) : [];
    if (fields.length > 0) return { fields };
    return {
      error: reason,
      needsCard: ["card_code_required", "card_code_mismatch", "too_many_attempts"].includes(reason),
    };
  }
  redirect(guestReturnPath(tenant, String(form.get("next") ?? "")));
}
