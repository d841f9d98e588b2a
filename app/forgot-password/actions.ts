"use server";

import { headers } from "next/headers";
import { after } from "next/server";
import { requireForm } from "@/server/action-args";
import { mailPasswordReset, resetPasswordByLink } from "@/server/auth/account";
import { AppError } from "@/server/errors";
import { clientIp } from "@/server/http";

export type ResetState = { sent?: boolean; done?: boolean; error?: string };

async function requestIp() {
  return clientIp(await headers());
}

/**
 * Always the same answer, as fast for an unknown email as for a known one: the link is made and
 * mailed after the response.
 */
export async function requestResetAction(_previous: ResetState, form: FormData): Promise<ResetState> {
  requireForm(form);
  const address = String(form.get("email") ?? "");
  const ip = await requestIp();
  after(() => mailPasswordReset(address, ip));
  return { sent: true };
}

export async function resetPasswordAction(_previous: ResetState, form: FormData): Promise<ResetState> {
  requireForm(form);
  try {
    await resetPasswordByLink({
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
