"use server";

import { redirect } from "next/navigation";
import { guestReturnPath } from "@/server/guest-auth/sign-in";
import { actionError, failedField } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export type WelcomeState = { error?: string; needsCard?: boolean };

/** Joins the café's programme with the signed-in email; then on to where the guest was going. */
export async function enrolAction(_previous: WelcomeState, form: FormData): Promise<WelcomeState> {
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
    const { error: generic } = actionError(error);
    // A phone that is no phone has its own message (the generic one is about every field).
    const reason = generic === "invalid_request" && failedField(error) === "phone" ? "invalid_phone" : generic;
    return {
      error: reason,
      needsCard: ["card_code_required", "card_code_mismatch", "too_many_attempts"].includes(reason),
    };
  }
  redirect(guestReturnPath(tenant, String(form.get("next") ?? "")));
}
