"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { requireForm, requireText } from "@/server/action-args";
import { currentStaffSession } from "@/server/auth/session";
import { AppError } from "@/server/errors";
import { clientIp } from "@/server/http";
import { acceptInvitationByLink } from "@/server/staff/invitations";

export type AcceptState = { error?: string };

/** Accepts the invitation; a new account then signs in (and sets up 2FA where the role needs it). */
export async function acceptInvitationAction(
  tenant: string,
  token: string,
  _previous: AcceptState,
  form: FormData,
): Promise<AcceptState> {
  requireText(tenant);
  requireForm(form);
  requireText(token);
  const session = await currentStaffSession();
  const ip = clientIp(await headers());
  let accepted: { tenantSlug: string };
  try {
    accepted = await acceptInvitationByLink({
      tenantSlug: tenant,
      token,
      signedInUserId: session?.userId ?? null,
      newAccount: form.has("password")
        ? { name: String(form.get("name") ?? ""), password: String(form.get("password") ?? "") }
        : undefined,
      ip,
    });
  } catch (error) {
    if (error instanceof AppError) return { error: error.reason ?? error.code };
    throw error;
  }
  const dashboard = `/dashboard/${accepted.tenantSlug}`;
  redirect(session ? dashboard : `/sign-in?next=${encodeURIComponent(dashboard)}`);
}
