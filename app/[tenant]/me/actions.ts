"use server";

import { TRPCError } from "@trpc/server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireForm, requireText } from "@/server/action-args";
import { qrSvg } from "@/server/cabinet/qr-image";
import { AppError } from "@/server/errors";
import { guestSignOut } from "@/server/guest-auth/config";
import { findTenantBySlug } from "@/server/tenants/queries";
import { actionError, failedField } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

// The café slug arrives bound from the page, i.e. from the client: every action goes through the
// cabinet procedures (session + enrolment at that café), and redirects only to a real café's path.

export type QrState = { svg: string; expiresInSeconds: number } | { error: string };

/** The guest's current rotating QR code as SVG, and the seconds until it changes. */
export async function refreshQrAction(tenant: string): Promise<QrState> {
  requireText(tenant);
  try {
    const qr = await (await serverCaller(tenant)).cabinet.qr();
    return { svg: await qrSvg(qr.payload), expiresInSeconds: qr.expiresInSeconds };
  } catch (error) {
    return actionError(error);
  }
}

export type ClaimState = { error?: string; claimed?: { pointsEarned: number; balance: number } };

export async function claimAction(tenant: string, _previous: ClaimState, form: FormData): Promise<ClaimState> {
  requireText(tenant);
  requireForm(form);
  let claimed: ClaimState["claimed"];
  try {
    const result = await (await serverCaller(tenant)).cabinet.claim({ qr: String(form.get("qr") ?? "") });
    claimed = { pointsEarned: result.pointsEarned, balance: result.balance };
  } catch (error) {
    return actionError(error);
  }
  revalidatePath(`/${tenant}/me`, "layout");
  return { claimed };
}

export type ProfileState = { error?: string; field?: "name" | "phone" | "birthday"; saved?: boolean };

/** A failed profile change: the reason, and the field it is about when the domain names one. */
function profileError(error: unknown): ProfileState {
  const cause = error instanceof TRPCError && error.cause instanceof AppError ? error.cause : undefined;
  const path = failedField(error);
  if (cause?.code === "invalid_request" && (path === "name" || path === "phone" || path === "birthday")) {
    return { error: path, field: path };
  }
  // The phone is the only field a conflict can be about.
  if (cause?.reason === "phone_taken") return { error: "phone_taken", field: "phone" };
  return actionError(error);
}

export async function updateProfileAction(
  tenant: string,
  _previous: ProfileState,
  form: FormData,
): Promise<ProfileState> {
  requireText(tenant);
  requireForm(form);
  const birthday = String(form.get("birthday") ?? "").trim();
  try {
    await (await serverCaller(tenant)).cabinet.updateProfile({
      name: String(form.get("name") ?? "").trim() || null,
      phone: String(form.get("phone") ?? ""),
      birthday: birthday || null,
      marketingOptIn: form.get("marketingOptIn") === "on",
    });
  } catch (error) {
    return profileError(error);
  }
  revalidatePath(`/${tenant}/me`, "layout");
  return { saved: true };
}

export type DeleteState = { error?: string };

/** Deletes the account, then signs the guest out of this device and returns to the café's menu. */
export async function deleteAccountAction(
  tenant: string,
  _previous: DeleteState,
  form: FormData,
): Promise<DeleteState> {
  requireText(tenant);
  requireForm(form);
  if (form.get("confirm") !== "yes") return { error: "invalid_request" };
  const cafe = await findTenantBySlug(tenant);
  if (!cafe) return { error: "not_found" };
  try {
    await (await serverCaller(cafe.slug)).cabinet.deleteAccount({ confirm: true });
  } catch (error) {
    return actionError(error);
  }
  // Outside the try: both end in a redirect, which Next throws.
  await guestSignOut({ redirect: false });
  redirect(`/${cafe.slug}`);
}

export type SurveyState = { error?: string; granted?: number };

/**
 * Answers the survey. Fields are named `<kind>:<question id>`; ratings go as numbers, so the
 * domain can check them as ratings (1–5) rather than as text.
 */
export async function answerSurveyAction(
  tenant: string,
  surveyId: string,
  _previous: SurveyState,
  form: FormData,
): Promise<SurveyState> {
  requireText(tenant);
  requireForm(form);
  requireText(surveyId);
  const answers: Record<string, string | number> = {};
  for (const [name, value] of form.entries()) {
    const [kind, questionId] = name.split(":");
    if (!questionId || typeof value !== "string") continue;
    if (kind === "rating") answers[questionId] = Number(value);
    else if (kind === "choice" || kind === "text") answers[questionId] = value;
  }
  let granted: number;
  try {
    granted = (await (await serverCaller(tenant)).cabinet.answerSurvey({ surveyId, answers })).pointsGranted;
  } catch (error) {
    return actionError(error);
  }
  // No revalidation: it would re-render this page without the survey (answered) and so without
  // the thanks. The cabinet's pages are dynamic; the next visit reads the new balance.
  return { granted };
}

/** Ends the guest's session on this device and returns to the café's menu. */
export async function signOutAction(tenant: string): Promise<void> {
  requireText(tenant);
  const cafe = await findTenantBySlug(tenant);
  await guestSignOut({ redirect: false });
  redirect(cafe ? `/${cafe.slug}` : "/");
}

/** Ends every session of the guest's account (every device, this one too) and returns to the menu. */
export async function signOutEverywhereAction(tenant: string): Promise<void> {
  requireText(tenant);
  const cafe = await findTenantBySlug(tenant);
  try {
    if (cafe) await (await serverCaller(cafe.slug)).guest.signOutEverywhere();
  } catch (error) {
    // Already signed out (the session ended elsewhere): there is nothing left to end.
    if (actionError(error).error !== "unauthorized") throw error;
  }
  await guestSignOut({ redirect: false });
  redirect(cafe ? `/${cafe.slug}` : "/");
}
