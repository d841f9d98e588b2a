"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { requireForm } from "@/server/action-args";
import { AppError } from "@/server/errors";
import { guestSignIn, guestSignOut } from "@/server/guest-auth/config";
import { countMagicLinkRequest, guestReturnPath, magicLinkAddress } from "@/server/guest-auth/sign-in";
import { clientIp } from "@/server/http";
import { findTenantBySlug } from "@/server/tenants/queries";

export type MagicLinkState = { sent?: string; error?: string; retryAfter?: number };

/** Mails a sign-in link to the address; the link brings the guest back to `next` of this café. */
export async function requestMagicLinkAction(_previous: MagicLinkState, form: FormData): Promise<MagicLinkState> {
  requireForm(form);
  const tenant = await findTenantBySlug(String(form.get("tenant") ?? ""));
  if (!tenant) return { error: "invalid_request" };
  try {
    const email = magicLinkAddress(String(form.get("email") ?? ""));
    await countMagicLinkRequest({ email, ip: clientIp(await headers()) });
    await guestSignIn("resend", {
      email,
      redirectTo: guestReturnPath(tenant.slug, String(form.get("next") ?? "")),
      redirect: false,
    });
    return { sent: email };
  } catch (error) {
    if (error instanceof AppError) {
      const retryAfter = (error.details as { retryAfter?: number } | undefined)?.retryAfter;
      return { error: error.reason ?? error.code, retryAfter };
    }
    throw error;
  }
}

/** Ends the guest's session on this device and returns to the café's menu. */
export async function guestSignOutAction(form: FormData): Promise<void> {
  requireForm(form);
  const tenant = await findTenantBySlug(String(form.get("tenant") ?? ""));
  await guestSignOut({ redirect: false });
  redirect(tenant ? `/${tenant.slug}` : "/");
}
