import { inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { welcomeBonusClaims } from "@/db/schema";
import { keyedHash } from "../auth/tokens";
import { normaliseEmail } from "../guest-auth/adapter";
import { normalizePhone } from "./phone";
import { loadProgram } from "./program";

type Identity = { phone?: string | null; email?: string | null };

/**
 * Keyed hashes (HMAC-SHA256 with AUTH_SECRET) of the phone and email a café paid a welcome bonus
 * for. The café's id is hashed with them, so one person's hashes differ from café to café and
 * cannot be matched across them; without the key a database dump cannot be searched for a phone.
 * With the key they are still the café's record of "this phone had the bonus", so they are kept
 * in the café's tenant table and named in the cabinet's deletion text.
 */
export function welcomeIdentityHashes(tenantId: string, identity: Identity): string[] {
  const phone = identity.phone ? (normalizePhone(identity.phone) ?? identity.phone.trim()) : null;
  const email = identity.email ? normaliseEmail(identity.email) : null;
  return [
    ...(phone ? [keyedHash(`welcome-bonus:${tenantId}:phone:${phone}`)] : []),
    ...(email ? [keyedHash(`welcome-bonus:${tenantId}:email:${email}`)] : []),
  ];
}

/**
 * Records that this phone and email have had the café's welcome bonus. True when neither had it
 * before (the bonus is due), false when one of them had — at an account since deleted, or given
 * up in a profile change. The caller holds the enrolment locks of the phone and email.
 */
export async function claimWelcomeBonus(tx: Tx, tenantId: string, identity: Identity): Promise<boolean> {
  const due = !(await welcomeBonusClaimed(tx, tenantId, identity));
  await rememberWelcomeBonus(tx, tenantId, identity);
  return due;
}

/** Whether this phone or email has had the café's welcome bonus. */
export async function welcomeBonusClaimed(tx: Tx, tenantId: string, identity: Identity): Promise<boolean> {
  const hashes = welcomeIdentityHashes(tenantId, identity);
  if (hashes.length === 0) return false;
  const [claimed] = await tx
    .select({ identityHash: welcomeBonusClaims.identityHash })
    .from(welcomeBonusClaims)
    .where(inArray(welcomeBonusClaims.identityHash, hashes))
    .limit(1);
  return claimed !== undefined;
}

/** The welcome bonus the welcome page may promise this email: none when it had one before. */
export async function welcomeBonusOffered(tx: Tx, tenantId: string, email: string): Promise<number> {
  if (await welcomeBonusClaimed(tx, tenantId, { email })) return 0;
  return (await loadProgram(tx)).welcomeBonus;
}

/** Keeps the claims of a guest's phone and email (before a deletion or a profile change drops them). */
export async function rememberWelcomeBonus(tx: Tx, tenantId: string, identity: Identity): Promise<void> {
  const hashes = welcomeIdentityHashes(tenantId, identity);
  if (hashes.length === 0) return;
  await tx
    .insert(welcomeBonusClaims)
    .values(hashes.map((identityHash) => ({ tenantId, identityHash })))
    .onConflictDoNothing();
}
