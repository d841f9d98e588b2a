"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { after } from "next/server";
import { getLocale } from "next-intl/server";
import { requireForm, requireRecord } from "@/server/action-args";
import { SIGN_IN_TICKET, SIGN_IN_TICKET_SECONDS, signIn } from "@/server/auth/config";
import { currentStaffSession } from "@/server/auth/session";
import { signToken } from "@/server/auth/tokens";
import { AppError } from "@/server/errors";
import { clientIp } from "@/server/http";
import { DEFAULT_LOCALE, isLocale, type Locale } from "@/server/i18n/locales";
import { type CafeInput, WEEKDAYS } from "@/server/signup/cafe";
import type { SlugCheck } from "@/server/signup/slug";
import {
  confirmationAgain,
  createCafeOf,
  mailConfirmation,
  signUpOwnerAccount,
  slugAdvice,
} from "@/server/signup/steps";

/** A refused step: the reason, the field it is about, minutes to wait, a free café address. */
export type SignUpState = { error?: string; field?: string; minutes?: number; suggestion?: string };

const CAFE_STEP = "/sign-up/cafe";
const ENROLMENT = `/account/two-factor?next=${encodeURIComponent(CAFE_STEP)}`;

async function requestIp() {
  return clientIp(await headers());
}

async function uiLocale(): Promise<Locale> {
  const locale = await getLocale();
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

function refusal(error: unknown): SignUpState {
  if (!(error instanceof AppError)) throw error;
  const details = error.details as { retryAfter?: number } | { path?: string; suggestion?: string }[] | undefined;
  const first = Array.isArray(details) ? details[0] : undefined;
  const retryAfter = !Array.isArray(details) ? details?.retryAfter : undefined;
  return {
    error: error.reason ?? error.code,
    ...(first?.path ? { field: first.path } : {}),
    ...(first?.suggestion ? { suggestion: first.suggestion } : {}),
    ...(retryAfter ? { minutes: Math.max(1, Math.ceil(retryAfter / 60)) } : {}),
  };
}

/** Step one: the owner's email and password; then signed in, straight to 2FA enrolment. */
export async function signUpAction(_previous: SignUpState, form: FormData): Promise<SignUpState> {
  requireForm(form);
  let created: Awaited<ReturnType<typeof signUpOwnerAccount>>;
  try {
    created = await signUpOwnerAccount({
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      ip: await requestIp(),
      locale: await uiLocale(),
    });
  } catch (error) {
    return refusal(error);
  }
  after(() => mailConfirmation(created.confirmation));
  // Owners never work without 2FA: the session starts in enrolment, which leads to the café step.
  const ticket = signToken(SIGN_IN_TICKET, { uid: created.userId, next: "enrol" }, SIGN_IN_TICKET_SECONDS);
  await signIn("staff", { ticket, redirectTo: ENROLMENT });
  return {};
}

/** As the owner types: whether the address is free, and a free one (from the café's name) if not. */
export async function slugAdviceAction(input: { slug: string; name: string }): Promise<SlugCheck | null> {
  requireRecord(input);
  if (!(await currentStaffSession())) return null;
  const slug = String(input.slug ?? "").slice(0, 100);
  const name = String(input.name ?? "").slice(0, 100);
  return slugAdvice(slug, name);
}

function cafeFromForm(form: FormData): CafeInput {
  const field = (name: string) => String(form.get(name) ?? "");
  const openingHours = Object.fromEntries(
    WEEKDAYS.map((day) => [
      day,
      form.get(`hours.${day}.closed`) ? [] : [[field(`hours.${day}.open`), field(`hours.${day}.close`)]],
    ]),
  );
  return {
    name: field("name"),
    slug: field("slug"),
    currency: field("currency"),
    timezone: field("timezone"),
    locale: field("locale"),
    location: { name: field("location.name"), address: field("location.address"), openingHours },
  } as CafeInput;
}

/** Step three: the café and its first location; then its back-office, with the first-steps checklist. */
export async function createCafeAction(_previous: SignUpState, form: FormData): Promise<SignUpState> {
  requireForm(form);
  const session = await currentStaffSession();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(CAFE_STEP)}`);
  let slug: string;
  try {
    ({ slug } = await createCafeOf({ session, cafe: cafeFromForm(form), ip: await requestIp() }));
  } catch (error) {
    if (error instanceof AppError && error.reason === "two_factor_required") redirect(ENROLMENT);
    return refusal(error);
  }
  redirect(`/dashboard/${slug}`);
}

export type ResendState = { sent?: boolean; alreadyConfirmed?: boolean; error?: string; minutes?: number };

/** "Send again": the confirmation mail once more (three an hour). */
export async function resendConfirmationAction(_previous: ResendState, _form: FormData): Promise<ResendState> {
  requireForm(_form);
  const session = await currentStaffSession();
  if (!session) redirect("/sign-in");
  try {
    const mail = await confirmationAgain({ userId: session.userId, locale: await uiLocale() });
    if (!mail) return { alreadyConfirmed: true };
    after(() => mailConfirmation(mail));
    return { sent: true };
  } catch (error) {
    const refused = refusal(error);
    return { error: refused.error, minutes: refused.minutes };
  }
}
