import { eq, sql } from "drizzle-orm";
import type { RateLimiterPostgres } from "rate-limiter-flexible";
import type { Database } from "@/db/client";
import { tenants, users } from "@/db/schema";
import { AppError } from "../errors";
import { limiterCache, postgresLimiter, retryAfterSeconds } from "../rate-limit";
import { hashPassword, verifyPassword } from "./password";
import { type Role, requiresTwoFactor } from "./permissions";
import { looksLikeRecoveryCode, redeemRecoveryCode } from "./recovery-codes";
import { decryptSecret } from "./secrets";
import { recordSecurityEvent, signInTenant } from "./security-events";
import { consumeTotpStep, totpStep } from "./totp";

/** Wrong passwords that lock an account, and for how long (also the counting window). */
export const FAILED_PASSWORDS_BEFORE_LOCK = 10;
const LOCK_SECONDS = 15 * 60;

const accountLimiter = limiterCache((db) =>
  postgresLimiter(db, {
    keyPrefix: "signin_account",
    points: FAILED_PASSWORDS_BEFORE_LOCK,
    duration: LOCK_SECONDS,
    blockDuration: LOCK_SECONDS,
  }),
);
const ipLimiter = limiterCache((db) =>
  postgresLimiter(db, { keyPrefix: "signin_ip", points: 50, duration: LOCK_SECONDS, blockDuration: LOCK_SECONDS }),
);
const secondFactorLimiter = limiterCache((db) =>
  postgresLimiter(db, { keyPrefix: "signin_2fa", points: 5, duration: 5 * 60, blockDuration: LOCK_SECONDS }),
);

// Verifying against a real hash for unknown emails keeps the timing the same as a wrong password.
let decoyHash: Promise<string> | undefined;

export type PasswordCheck = { userId: string; email: string; next: "second_factor" | "enrol" | "done" };

/** A character (code point) no email address holds: a control character, or half a surrogate pair. */
function isControlOrLoneSurrogate(character: string): boolean {
  const code = character.charCodeAt(0);
  return code < 0x20 || code === 0x7f || (character.length === 1 && code >= 0xd800 && code <= 0xdfff);
}

const invalidCredentials = () => new AppError("unauthorized", "Wrong email or password", "invalid_credentials");

function lockedError(seconds: number) {
  return new AppError("rate_limited", `Too many attempts; retry in ${Math.ceil(seconds / 60)} min`, "locked", {
    retryAfter: seconds,
  });
}

/** Refuses at once while a limiter has the key blocked (the lockout outlives correct passwords). */
async function assertNotLocked(limiter: RateLimiterPostgres, key: string) {
  const state = await limiter.get(key);
  if (state && state.consumedPoints >= limiter.points) throw lockedError(Math.ceil(state.msBeforeNext / 1000));
}

/** Counts a failure; the one that uses up the limit starts the full block at once. */
async function countFailure(limiter: RateLimiterPostgres, key: string) {
  let state: Awaited<ReturnType<RateLimiterPostgres["consume"]>>;
  try {
    state = await limiter.consume(key);
  } catch (rejection) {
    throw lockedError(retryAfterSeconds(rejection));
  }
  if (state.remainingPoints === 0) {
    // Without this the lock would end when the counting window does, which may be a minute away.
    await limiter.block(key, limiter.blockDuration);
    throw lockedError(limiter.blockDuration);
  }
}

/**
 * The first step of a staff sign-in. The same answer for an unknown email and a wrong password;
 * 10 wrong passwords lock the account for 15 minutes (per IP too), in PostgreSQL so the lock
 * holds across app servers. Says what comes next: the second factor, 2FA enrolment, or nothing.
 */
export async function checkPassword(
  db: Database,
  input: { email: string; password: string; ip: string | null; next?: string | null },
): Promise<PasswordCheck> {
  const email = input.email.trim().toLowerCase();
  // An address no account can have (longer than addresses are, a control character or a lone
  // surrogate in it) is a wrong one: refused before it becomes a limiter's key or a query's value.
  if (email.length > 254 || [...email].some(isControlOrLoneSurrogate)) throw invalidCredentials();
  const ipKey = input.ip ?? "unknown";
  await assertNotLocked(accountLimiter(db), email);
  await assertNotLocked(ipLimiter(db), ipKey);
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${email}`);
  decoyHash ??= hashPassword("decoy password that never matches");
  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, input.password)
    : (await verifyPassword(await decoyHash, input.password)) && false;
  if (!user || !valid) {
    const inTenantId = user ? await signInTenant(db, user.id, input.next) : null;
    await recordSecurityEvent(db, { action: "sign_in.failed", userId: user?.id, email, ip: input.ip, inTenantId });
    try {
      await countFailure(ipLimiter(db), ipKey);
      await countFailure(accountLimiter(db), email);
    } catch (error) {
      await recordSecurityEvent(db, { action: "sign_in.locked", userId: user?.id, email, ip: input.ip, inTenantId });
      throw error;
    }
    throw invalidCredentials();
  }
  await accountLimiter(db).delete(email);
  if (user.totpEnabledAt) return { userId: user.id, email, next: "second_factor" };
  return { userId: user.id, email, next: (await twoFactorRequired(db, user.id)) ? "enrol" : "done" };
}

/** Whether any of the person's memberships needs 2FA (owner or manager, or a café requiring it of baristas). */
export async function twoFactorRequired(db: Database, userId: string): Promise<boolean> {
  const memberships = await db.execute<{ role: Role; require_barista_2fa: boolean }>(sql`
    select m.role, t.require_barista_2fa
    from staff_memberships_of(${userId}) m join ${tenants} t on t.id = m.tenant_id`);
  return memberships.some((membership) => requiresTwoFactor(membership.role, membership.require_barista_2fa));
}

/**
 * The second step: a TOTP code (accepted once) or a recovery code (usable once). Five wrong codes
 * in five minutes block the account's second step for 15 minutes.
 */
export async function checkSecondFactor(
  db: Database,
  input: { userId: string; code: string; ip: string | null; inTenantId?: string | null },
): Promise<"totp" | "recovery_code"> {
  await assertNotLocked(secondFactorLimiter(db), input.userId);
  const code = input.code.trim().replace(/\s/g, "");
  const [user] = await db.select().from(users).where(eq(users.id, input.userId));
  if (!user?.totpSecretEncrypted || !user.totpEnabledAt) throw invalidCode();
  const method = looksLikeRecoveryCode(code) ? "recovery_code" : "totp";
  const accepted = await db.transaction(async (tx) => {
    if (method === "recovery_code") return redeemRecoveryCode(tx, user.id, code);
    const step = totpStep(code, decryptSecret(user.totpSecretEncrypted ?? ""));
    return step !== null && (await consumeTotpStep(tx, user.id, step));
  });
  if (!accepted) {
    await recordSecurityEvent(db, {
      action: "sign_in.second_factor_failed",
      userId: user.id,
      ip: input.ip,
      inTenantId: input.inTenantId,
    });
    await countFailure(secondFactorLimiter(db), user.id);
    throw invalidCode();
  }
  await secondFactorLimiter(db).delete(user.id);
  if (method === "recovery_code") {
    await recordSecurityEvent(db, {
      action: "sign_in.recovery_code_used",
      userId: user.id,
      ip: input.ip,
      inTenantId: input.inTenantId,
    });
  }
  return method;
}

function invalidCode() {
  return new AppError("unauthorized", "Wrong or already used code", "invalid_code");
}
