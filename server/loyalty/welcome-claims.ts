import { createHmac } from "node:crypto";
import { inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { welcomeBonusClaims } from "@/db/schema";
import { authSecret } from "../env";
import { loadProgram } from "./program";

/**
 * Keyed hashes of the phone and email a welcome bonus is paid for: HMAC-SHA256 with a key derived
 * from AUTH_SECRET, so a database dump alone cannot be searched for a phone number (a plain hash
 * of a phone is found by trying them all).
 */
export function welcomeIdentityHashes(identity: { phone?: string | null; email?: string | null }): string[] {
  const key = createHmac("sha256", authSecret()).update("zerno:welcome-bonus-claims").digest();
  const hash = (value: string) => createHmac("sha256", key).update(value).digest("base64url");
  return [
    ...(identity.phone ? [hash(`phone:${identity.phone}`)] : []),
    ...(identity.email ? [hash(`email:${identity.email.trim().toLowerCase()}`)] : []),
  ];
}

/**
 * Records that this phone and email have had the café's welcome bonus. True when neither had it
 * before (the bonus is due), false when one of them had — a guest who deleted their account and
 * joins again. The caller holds the enrolment locks of the phone and email.
 */
export async function claimWelcomeBonus(
  tx: Tx,
  tenantId: string,
  identity: { phone?: string | null; email?: string | null },
): Promise<boolean> {
  const due = !(await welcomeBonusClaimed(tx, identity));
  await rememberWelcomeBonus(tx, tenantId, identity);
  return due;
}

/** Whether this phone or email has had the café's welcome bonus (the bound tenant's). */
export async function welcomeBonusClaimed(
  tx: Tx,
  identity: { phone?: string | null; email?: string | null },
): Promise<boolean> {
  const hashes = welcomeIdentityHashes(identity);
  if (hashes.length === 0) return false;
  const [claimed] = await tx
    .select({ identityHash: welcomeBonusClaims.identityHash })
    .from(welcomeBonusClaims)
    .where(inArray(welcomeBonusClaims.identityHash, hashes))
    .limit(1);
  return claimed !== undefined;
}

/** The welcome bonus the welcome page may promise this email: none when it had one before. */
export async function welcomeBonusOffered(tx: Tx, email: string): Promise<number> {
  if (await welcomeBonusClaimed(tx, { email })) return 0;
  return (await loadProgram(tx)).welcomeBonus;
}

/** Keeps the claims of a guest's current phone and email (before "delete my account" erases them). */
export async function rememberWelcomeBonus(
  tx: Tx,
  tenantId: string,
  identity: { phone?: string | null; email?: string | null },
): Promise<void> {
  const hashes = welcomeIdentityHashes(identity);
  if (hashes.length === 0) return;
  await tx
    .insert(welcomeBonusClaims)
    .values(hashes.map((identityHash) => ({ tenantId, identityHash })))
    .onConflictDoNothing();
}
