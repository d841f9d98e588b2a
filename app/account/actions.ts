"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { requireForm } from "@/server/action-args";
import {
  changeOwnPassword,
  confirmTwoFactor,
  endOwnSession,
  renewRecoveryCodes,
  signOutEverywhere,
  verifySessionCode,
} from "@/server/auth/account";
import { signOut } from "@/server/auth/config";
import { safeNextPath } from "@/server/auth/redirects";
import { currentStaffSession } from "@/server/auth/session";
import { AppError } from "@/server/errors";
import { clientIp } from "@/server/http";

export type CodesState = { error?: "invalid_code" | "locked"; codes?: string[] };

async function signedIn() {
  const session = await currentStaffSession();
  if (!session) redirect("/sign-in");
  const ip = clientIp(await headers());
  return { session, ip };
}

function codeError(error: unknown): CodesState {
  if (!(error instanceof AppError)) throw error;
  return { error: error.reason === "locked" ? "locked" : "invalid_code" };
}

/** Confirms 2FA enrolment; the recovery codes come back once, to be shown and never again. */
export async function confirmEnrolmentAction(_previous: CodesState, form: FormData): Promise<CodesState> {
  requireForm(form);
  const { session, ip } = await signedIn();
  try {
    const codes = await confirmTwoFactor({
      userId: session.userId,
      sid: session.sid,
      code: String(form.get("code") ?? ""),
      ip,
    });
    return { codes };
  } catch (error) {
    return codeError(error);
  }
}

/** Verifies this session with a second factor (for accounts that signed in without one). */
export async function verifySessionAction(_previous: CodesState, form: FormData): Promise<CodesState> {
  requireForm(form);
  const { session, ip } = await signedIn();
  try {
    await verifySessionCode({
      userId: session.userId,
      sid: session.sid,
      code: String(form.get("code") ?? ""),
      ip,
    });
  } catch (error) {
    return codeError(error);
  }
  redirect(safeNextPath(form.get("next")));
}

export async function regenerateCodesAction(_previous: CodesState, form: FormData): Promise<CodesState> {
  requireForm(form);
  const { session, ip } = await signedIn();
  try {
    return {
      codes: await renewRecoveryCodes({
        userId: session.userId,
        code: String(form.get("code") ?? ""),
        ip,
      }),
    };
  } catch (error) {
    return codeError(error);
  }
}

/** Ends every session of this person, this one included. */
export async function signOutEverywhereAction() {
  const { session, ip } = await signedIn();
  await signOutEverywhere(session.userId, ip);
  await signOut({ redirectTo: "/sign-in" });
}

export async function signOutAction() {
  const session = await currentStaffSession();
  if (session) await endOwnSession(session.sid);
  await signOut({ redirectTo: "/sign-in" });
}

export type PasswordState = { error?: string; done?: boolean };

/** Changes the password; other sessions of the account end. */
export async function changePasswordAction(_previous: PasswordState, form: FormData): Promise<PasswordState> {
  requireForm(form);
  const { session, ip } = await signedIn();
  try {
    await changeOwnPassword({
      userId: session.userId,
      sid: session.sid,
      current: String(form.get("current") ?? ""),
      password: String(form.get("password") ?? ""),
      ip,
    });
    return { done: true };
  } catch (error) {
    if (error instanceof AppError) return { error: error.reason ?? error.code };
    throw error;
  }
}
