"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError, CredentialsSignin } from "next-auth";
import { requireForm } from "@/server/action-args";
import { checkSignInPassword } from "@/server/auth/account";
import { SIGN_IN_TICKET, SIGN_IN_TICKET_COOKIE, SIGN_IN_TICKET_SECONDS, signIn } from "@/server/auth/config";
import { safeNextPath } from "@/server/auth/redirects";
import { signToken } from "@/server/auth/tokens";
import { AppError } from "@/server/errors";
import { clientIp } from "@/server/http";

export type SignInState = { error?: "invalid_credentials" | "locked" | "invalid_code" | "expired"; minutes?: number };

async function requestIp() {
  return clientIp(await headers());
}

function lockedMinutes(seconds: unknown) {
  return Math.max(1, Math.ceil(Number(seconds ?? 60) / 60));
}

/** Step one: email and password. Then the second factor, 2FA enrolment, or straight in. */
export async function submitPassword(_previous: SignInState, form: FormData): Promise<SignInState> {
  requireForm(form);
  const next = safeNextPath(form.get("next"));
  let result: Awaited<ReturnType<typeof checkSignInPassword>>;
  try {
    result = await checkSignInPassword({
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      ip: await requestIp(),
      next,
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.reason === "locked") {
      return { error: "locked", minutes: lockedMinutes((error.details as { retryAfter?: number }).retryAfter) };
    }
    return { error: "invalid_credentials" };
  }
  const ticket = signToken(SIGN_IN_TICKET, { uid: result.userId, next: result.next }, SIGN_IN_TICKET_SECONDS);
  if (result.next === "second_factor") {
    (await cookies()).set(SIGN_IN_TICKET_COOKIE, ticket, {
      httpOnly: true,
      sameSite: "lax",
      path: "/sign-in",
      maxAge: SIGN_IN_TICKET_SECONDS,
    });
    redirect(`/sign-in/code?next=${encodeURIComponent(next)}`);
  }
  const redirectTo = result.next === "enrol" ? `/account/two-factor?next=${encodeURIComponent(next)}` : next;
  await signIn("staff", { ticket, next, redirectTo });
  return {};
}

/** Step two: a TOTP code or a recovery code. */
export async function submitCode(_previous: SignInState, form: FormData): Promise<SignInState> {
  requireForm(form);
  const store = await cookies();
  const ticket = store.get(SIGN_IN_TICKET_COOKIE)?.value;
  if (!ticket) return { error: "expired" };
  try {
    const next = safeNextPath(form.get("next"));
    await signIn("staff", { ticket, code: String(form.get("code") ?? ""), next, redirectTo: next });
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      const [code, seconds] = String(error.code).split(":");
      if (code === "locked") return { error: "locked", minutes: lockedMinutes(seconds) };
      return { error: code === "expired" ? "expired" : "invalid_code" };
    }
    if (error instanceof AuthError) return { error: "invalid_code" };
    throw error;
  }
  return {};
}
