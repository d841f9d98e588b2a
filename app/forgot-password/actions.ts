"use server";

import { headers } from "next/headers";
import { appDb } from "@/db/client";
import { requestPasswordReset, resetPassword } from "@/server/auth/password-reset";
import { sendEmail } from "@/server/email/send";
import { AppError } from "@/server/errors";
import { clientIp } from "@/server/http";

export type ResetState = { sent?: boolean; done?: boolean; error?: string };

async function requestIp() {
  return clientIp(await headers());
}

/** Always the same answer, so the form does not tell whether an email has an account. */
export async function requestResetAction(_previous: ResetState, form: FormData): Promise<ResetState> {
  const db = appDb();
  const email = await requestPasswordReset(db, String(form.get("email") ?? ""), await requestIp());
  if (email) await sendEmail(db, email);
  return { sent: true };
}

export async function resetPasswordAction(_previous: ResetState, form: FormData): Promise<ResetState> {
  try {
    await resetPassword(appDb(), {
      token: String(form.get("token") ?? ""),
      password: String(form.get("password") ?? ""),
      ip: await requestIp(),
    });
    return { done: true };
  } catch (error) {
    if (error instanceof AppError) return { error: error.reason ?? error.code };
    throw error;
  }
}
