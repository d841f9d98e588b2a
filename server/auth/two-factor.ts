import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "../errors";
import { replaceRecoveryCodes } from "./recovery-codes";
import { decryptSecret, encryptSecret } from "./secrets";
import { recordSecurityEvent } from "./security-events";
import { markSessionVerified } from "./sessions";
import { checkSecondFactor } from "./sign-in";
import { consumeTotpStep, newTotpSecret, totpEnrolment, totpStep } from "./totp";

/**
 * Starts 2FA enrolment with a new secret, kept encrypted and not yet enabled until a code from it
 * is confirmed. A new one every time: a secret shown to someone earlier (who perhaps knew the
 * password) is never the one that gets enabled. Returns the QR code and the secret to show.
 */
export async function beginEnrolment(db: Database, userId: string) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("not_found", "No such user");
  if (user.totpEnabledAt) throw new AppError("conflict", "Two-factor sign-in is already on", "already_enrolled");
  let secret = user.totpSecretEncrypted ? decryptSecret(user.totpSecretEncrypted) : null;
  if (!secret) {
    secret = newTotpSecret();
    await db
      .update(users)
      .set({ totpSecretEncrypted: encryptSecret(secret) })
      .where(eq(users.id, userId));
  }
  return { secret, ...(await totpEnrolment(user.email, secret)) };
}

/**
 * Confirms enrolment with a code from the new secret: 2FA is on, this session counts as verified,
 * and 10 recovery codes are returned — the only time anyone sees them.
 */
export async function confirmEnrolment(
  db: Database,
  input: { userId: string; sid: string; code: string; ip: string | null },
): Promise<string[]> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, input.userId)).for("update");
    if (!user?.totpSecretEncrypted || user.totpEnabledAt) {
      throw new AppError("conflict", "Start the enrolment again", "enrolment_not_started");
    }
    const step = totpStep(input.code.trim(), decryptSecret(user.totpSecretEncrypted));
    if (step === null || !(await consumeTotpStep(tx, user.id, step))) {
      throw new AppError("unauthorized", "Wrong code", "invalid_code");
    }
    await tx
      .update(users)
      .set({ totpEnabledAt: sql`now()` })
      .where(and(eq(users.id, user.id), isNull(users.totpEnabledAt)));
    const codes = await replaceRecoveryCodes(tx, user.id);
    await markSessionVerified(tx, input.sid);
    await recordSecurityEvent(tx, { action: "two_factor.enabled", userId: user.id, ip: input.ip });
    return codes;
  });
}

/** A session signed in without its second factor (e.g. before the café required it) verifies now. */
export async function verifySession(
  db: Database,
  input: { userId: string; sid: string; code: string; ip: string | null },
) {
  await checkSecondFactor(db, input);
  await markSessionVerified(db, input.sid);
}

/** New recovery codes (the old ones stop working), after a fresh TOTP code. */
export async function regenerateRecoveryCodes(
  db: Database,
  input: { userId: string; code: string; ip: string | null },
): Promise<string[]> {
  await checkSecondFactor(db, input);
  return db.transaction(async (tx) => {
    const codes = await replaceRecoveryCodes(tx, input.userId);
    await recordSecurityEvent(tx, {
      action: "two_factor.recovery_codes_regenerated",
      userId: input.userId,
      ip: input.ip,
    });
    return codes;
  });
}
