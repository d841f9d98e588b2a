import { randomBytes } from "node:crypto";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authVerificationTokens, users } from "@/db/schema";
import type { EmailMessage } from "../email/send";
import { renderEmail } from "../email/templates";
import { publicUrl } from "../env";
import { AppError } from "../errors";
import { limiterCache, postgresLimiter, retryAfterSeconds } from "../rate-limit";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./password";
import { recordSecurityEvent } from "./security-events";
import { revokeSessions } from "./sessions";
import { checkPassword } from "./sign-in";
import { keyedHash } from "./tokens";

export const RESET_LINK_MINUTES = 60;

const resetEmailLimiter = limiterCache((db) =>
  postgresLimiter(db, { keyPrefix: "reset_email", points: 3, duration: 3600 }),
);
const resetIpLimiter = limiterCache((db) => postgresLimiter(db, { keyPrefix: "reset_ip", points: 10, duration: 3600 }));
const identifierOf = (userId: string) => `password-reset:${userId}`;

/**
 * A reset link (single use, one hour) for an existing account, as an email to send — or null for
 * an unknown email, which the caller answers exactly like a known one.
 */
export async function requestPasswordReset(
  db: Database,
  email: string,
  ip: string | null,
): Promise<EmailMessage | null> {
  const normalised = email.trim().toLowerCase();
  // A few links per hour per address and per IP: enough for a forgetful person, useless for spam.
  try {
    await resetEmailLimiter(db).consume(normalised);
    await resetIpLimiter(db).consume(ip ?? "unknown");
  } catch (rejection) {
    retryAfterSeconds(rejection);
    return null;
  }
  const [user] = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(sql`lower(${users.email}) = ${normalised}`);
  await recordSecurityEvent(db, { action: "password.reset_requested", userId: user?.id, email: normalised, ip });
  if (!user) return null;
  const token = randomBytes(32).toString("base64url");
  await db.delete(authVerificationTokens).where(eq(authVerificationTokens.identifier, identifierOf(user.id)));
  await db.insert(authVerificationTokens).values({
    identifier: identifierOf(user.id),
    token: keyedHash(token),
    expires: new Date(Date.now() + RESET_LINK_MINUTES * 60_000),
  });
  const url = `${publicUrl()}/reset-password?token=${token}`;
  const content = renderEmail({
    title: "Сброс пароля",
    intro: `Кто-то (надеемся, вы) попросил сбросить пароль к бэк-офису Зерна.\n\nСсылка действует ${RESET_LINK_MINUTES} минут и срабатывает один раз. Если это были не вы, просто не открывайте её.`,
    action: { label: "Задать новый пароль", url },
  });
  return { to: user.email, subject: "Сброс пароля в Зерне", ...content };
}

/** Sets a new password with a reset link (used up by it); every session of the account ends. */
export async function resetPassword(db: Database, input: { token: string; password: string; ip: string | null }) {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError("invalid_request", "The password needs 10+ characters", "weak_password");
  }
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const [used] = await tx
      .delete(authVerificationTokens)
      .where(
        and(eq(authVerificationTokens.token, keyedHash(input.token)), gt(authVerificationTokens.expires, sql`now()`)),
      )
      .returning({ identifier: authVerificationTokens.identifier });
    const userId = used?.identifier.startsWith("password-reset:")
      ? used.identifier.slice("password-reset:".length)
      : null;
    if (!userId) throw new AppError("not_found", "The link is unknown, used or expired", "link_invalid");
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    await revokeSessions(tx, userId);
    await recordSecurityEvent(tx, { action: "password.changed", userId, ip: input.ip, meta: { via: "reset_link" } });
  });
}

/** Changes the password of a signed-in person (the current one first); their other sessions end. */
export async function changePassword(
  db: Database,
  input: { userId: string; sid: string; current: string; password: string; ip: string | null },
) {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError("invalid_request", "The password needs 10+ characters", "weak_password");
  }
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, input.userId));
  if (!user) throw new AppError("not_found", "No such user");
  // Through the sign-in check, so a stolen session guessing the password meets the same lockout.
  await checkPassword(db, { email: user.email, password: input.current, ip: input.ip });
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, input.userId));
    await revokeSessions(tx, input.userId, { except: input.sid });
    await recordSecurityEvent(tx, {
      action: "password.changed",
      userId: input.userId,
      ip: input.ip,
      meta: { via: "account" },
    });
  });
}
