import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { users } from "@/db/schema";
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../auth/password";
import { recordSecurityEvent } from "../auth/security-events";
import { signToken, verifyToken } from "../auth/tokens";
import type { EmailMessage } from "../email/send";
import { renderEmail } from "../email/templates";
import { publicUrl } from "../env";
import { AppError } from "../errors";
import type { Locale } from "../i18n/locales";
import { limiterCache, postgresLimiter, retryAfterSeconds } from "../rate-limit";

/** Sign-ups per hour from one address and for one email (DESIGN: sign-ups are rate-limited). */
export const SIGN_UPS_PER_IP_PER_HOUR = 5;
export const SIGN_UPS_PER_EMAIL_PER_HOUR = 3;
/** Confirmation mails a person may ask for again per hour. */
export const CONFIRMATIONS_PER_HOUR = 3;
export const CONFIRMATION_LINK_DAYS = 3;

const EMAIL_CONFIRMATION = "email-confirmation";
const HOUR = 3600;

const ipLimiter = limiterCache((db) =>
  postgresLimiter(db, { keyPrefix: "signup_ip", points: SIGN_UPS_PER_IP_PER_HOUR, duration: HOUR }),
);
const emailLimiter = limiterCache((db) =>
  postgresLimiter(db, { keyPrefix: "signup_email", points: SIGN_UPS_PER_EMAIL_PER_HOUR, duration: HOUR }),
);
const confirmationLimiter = limiterCache((db) =>
  postgresLimiter(db, { keyPrefix: "signup_confirm", points: CONFIRMATIONS_PER_HOUR, duration: HOUR }),
);

/** A refusal naming the form field it is about (`details[0].path`, as zod issues do). */
export function fieldError(code: "invalid_request" | "conflict", reason: string, field: string, message = reason) {
  return new AppError(code, message, reason, [{ path: field }]);
}

/** Over a limit: the reason `rate_limited` and the seconds to wait (forms say the minutes). */
export function rateLimited(seconds: number) {
  return new AppError("rate_limited", `Too many attempts; retry in ${Math.ceil(seconds / 60)} min`, "rate_limited", {
    retryAfter: seconds,
  });
}

async function consume(limiter: ReturnType<typeof ipLimiter>, key: string) {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    throw rateLimited(retryAfterSeconds(rejection));
  }
}

const signUpInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH),
});

/**
 * Step one of a café's sign-up: the owner's account (email and password). Five sign-ups per
 * hour per IP and three per email, counted in PostgreSQL. The account has no 2FA yet — the
 * caller signs the person in for enrolment at once — and an unconfirmed email; the returned
 * mail (to send after the commit) holds the confirmation link.
 */
export async function signUpOwner(
  db: Database,
  input: { email: string; password: string; ip: string | null; locale: Locale },
): Promise<{ userId: string; email: string; confirmation: EmailMessage }> {
  const parsed = signUpInput.safeParse({ email: input.email, password: input.password });
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "email");
    const passwordReason = input.password.length > MAX_PASSWORD_LENGTH ? "password_too_long" : "weak_password";
    throw fieldError("invalid_request", field === "password" ? passwordReason : "invalid_email", field);
  }
  const { email, password } = parsed.data;
  // Counted before the account exists: asking about taken emails costs attempts too.
  await consume(ipLimiter(db), input.ip ?? "unknown");
  await consume(emailLimiter(db), email);
  const passwordHash = await hashPassword(password);
  const userId = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({ email, passwordHash })
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (!created) throw fieldError("conflict", "email_taken", "email", "An account with this email exists");
    await recordSecurityEvent(tx, { action: "account.created", userId: created.id, email, ip: input.ip });
    return created.id;
  });
  return { userId, email, confirmation: confirmationEmail({ userId, email }, input.locale) };
}

const MAIL: Record<Locale, { subject: string; intro: (days: number) => string; action: string }> = {
  ru: {
    subject: "Подтвердите почту в Зерне",
    intro: (days) =>
      `Вы зарегистрировали кафе в Зерне. Подтвердите, что это ваш адрес: без этого витрину не открыть гостям.\n\nСсылка действует ${days} дня. Если вы не регистрировались, просто не открывайте её.`,
    action: "Подтвердить почту",
  },
  en: {
    subject: "Confirm your email for Zerno",
    intro: (days) =>
      `You signed a café up for Zerno. Confirm that this address is yours: the storefront opens to guests only after that.\n\nThe link works for ${days} days. If you did not sign up, just ignore it.`,
    action: "Confirm email",
  },
};

/** The confirmation mail: a signed link (the user and this email) valid for three days. */
export function confirmationEmail(user: { userId: string; email: string }, locale: Locale): EmailMessage {
  const token = signToken(
    EMAIL_CONFIRMATION,
    { uid: user.userId, email: user.email.toLowerCase() },
    CONFIRMATION_LINK_DAYS * 24 * HOUR,
  );
  const url = `${publicUrl()}/sign-up/verify?token=${encodeURIComponent(token)}`;
  const strings = MAIL[locale];
  const content = renderEmail({
    title: strings.subject,
    intro: strings.intro(CONFIRMATION_LINK_DAYS),
    action: { label: strings.action, url },
    locale,
  });
  return { to: user.email, subject: strings.subject, ...content };
}

/**
 * Confirms an email with the link's token: the account's `emailVerified` is set (once; a second
 * click answers "already"). A tampered or expired link, or one for an email the account no longer
 * has, is `link_invalid`.
 */
export async function verifyEmail(
  db: Database,
  input: { token: string; ip: string | null },
): Promise<{ userId: string; status: "verified" | "already_verified" }> {
  const claim = verifyToken<{ uid: string; email: string }>(EMAIL_CONFIRMATION, input.token);
  if (!claim || typeof claim.uid !== "string" || typeof claim.email !== "string") {
    throw new AppError("not_found", "The link is unknown or expired", "link_invalid");
  }
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, email: users.email, emailVerified: users.emailVerified })
      .from(users)
      .where(and(eq(users.id, claim.uid), sql`lower(${users.email}) = ${claim.email}`));
    if (!user) throw new AppError("not_found", "The link is unknown or expired", "link_invalid");
    if (user.emailVerified) return { userId: user.id, status: "already_verified" as const };
    await tx
      .update(users)
      .set({ emailVerified: sql`now()` })
      .where(and(eq(users.id, user.id), isNull(users.emailVerified)));
    await recordSecurityEvent(tx, {
      action: "account.email_verified",
      userId: user.id,
      email: user.email,
      ip: input.ip,
    });
    return { userId: user.id, status: "verified" as const };
  });
}

/** The confirmation mail again for a signed-in person (three an hour); null once the email is confirmed. */
export async function resendConfirmation(
  db: Database,
  input: { userId: string; locale: Locale },
): Promise<EmailMessage | null> {
  const [user] = await db
    .select({ id: users.id, email: users.email, emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!user) throw new AppError("not_found", "No such user");
  if (user.emailVerified) return null;
  await consume(confirmationLimiter(db), user.id);
  return confirmationEmail({ userId: user.id, email: user.email }, input.locale);
}

/** Whether the person's email is confirmed (opening the storefront needs it). */
export async function emailConfirmed(db: Database, userId: string): Promise<boolean> {
  const [user] = await db.select({ at: users.emailVerified }).from(users).where(eq(users.id, userId));
  return Boolean(user?.at);
}
