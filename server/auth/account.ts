import { appDb } from "@/db/client";
import { sendEmail } from "../email/send";
import { membershipsOf, type TenantMembership } from "./memberships";
import { changePassword, requestPasswordReset, resetPassword } from "./password-reset";
import { recordSecurityEvent } from "./security-events";
import { endSession, listSessions, revokeSessions } from "./sessions";
import { checkPassword } from "./sign-in";
import { staffUser } from "./staff";
import { beginEnrolment, confirmEnrolment, regenerateRecoveryCodes, verifySession } from "./two-factor";

// A person's own account, as the staff sign-in, password reset, /account and /dashboard pages and
// actions use it. Each runs on the app's pool, so those pages never hold a database handle; the
// functions over a `db` they call stay what tests and other services compose.

/** Every café the person works at (the dashboard's index, the tenant switcher). */
export function cafesOf(userId: string): Promise<TenantMembership[]> {
  return membershipsOf(appDb(), userId);
}

/** /account: who the person is and where they are signed in. */
export async function accountOverview(userId: string) {
  const db = appDb();
  const [user, sessions] = await Promise.all([staffUser(db, userId), listSessions(db, userId)]);
  return { user, sessions };
}

/** Whether the person has two-factor sign-in on. */
export async function twoFactorEnabled(userId: string): Promise<boolean> {
  return Boolean((await staffUser(appDb(), userId))?.totpEnabledAt);
}

/** /account/two-factor: 2FA already on, or a new secret to enrol with (beginEnrolment). */
export async function twoFactorSetup(
  userId: string,
): Promise<{ enabled: true } | { enabled: false; enrolment: Awaited<ReturnType<typeof beginEnrolment>> }> {
  if (await twoFactorEnabled(userId)) return { enabled: true };
  return { enabled: false, enrolment: await beginEnrolment(appDb(), userId) };
}

/** confirmEnrolment: 2FA on, this session verified; the recovery codes, once. */
export function confirmTwoFactor(input: Parameters<typeof confirmEnrolment>[1]): Promise<string[]> {
  return confirmEnrolment(appDb(), input);
}

/** verifySession: this session passes its second factor. */
export function verifySessionCode(input: Parameters<typeof verifySession>[1]): Promise<void> {
  return verifySession(appDb(), input);
}

/** regenerateRecoveryCodes: new recovery codes after a fresh TOTP code. */
export function renewRecoveryCodes(input: Parameters<typeof regenerateRecoveryCodes>[1]): Promise<string[]> {
  return regenerateRecoveryCodes(appDb(), input);
}

/** Ends every session of the person (the calling one too), recorded as a security event. */
export async function signOutEverywhere(userId: string, ip: string | null): Promise<void> {
  const db = appDb();
  const count = await revokeSessions(db, userId);
  await recordSecurityEvent(db, { action: "sessions.revoked", userId, ip, meta: { count } });
}

/** Ends one session (signing out on this device). */
export function endOwnSession(sid: string): Promise<void> {
  return endSession(appDb(), sid);
}

/** changePassword: the current password first; the person's other sessions end. */
export function changeOwnPassword(input: Parameters<typeof changePassword>[1]): Promise<void> {
  return changePassword(appDb(), input);
}

/** checkPassword: the first step of a staff sign-in. */
export function checkSignInPassword(input: Parameters<typeof checkPassword>[1]) {
  return checkPassword(appDb(), input);
}

/** A reset link mailed to the address if it has an account; nothing (and no sign of it) otherwise. */
export async function mailPasswordReset(address: string, ip: string | null): Promise<void> {
  const db = appDb();
  const email = await requestPasswordReset(db, address, ip);
  if (email) await sendEmail(db, email);
}

/** resetPassword: a new password by a reset link; every session of the account ends. */
export function resetPasswordByLink(input: Parameters<typeof resetPassword>[1]): Promise<void> {
  return resetPassword(appDb(), input);
}
