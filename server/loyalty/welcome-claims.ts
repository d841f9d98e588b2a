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
 * before (both claims are new: the bonus is due), false when one of them had — at an account since
 * deleted, or given up in a profile change. The caller holds the enrolment locks of the phone and email.
 */
export async function claimWelcomeBonus(tx: Tx, tenantId: string, identity: Identity): Promise<boolean> {
  const hashes = welcomeIdentityHashes(tenantId, identity);
  return (await insertClaims(tx, tenantId, hashes)) === hashes.length;
}

/** The welcome bonus the welcome page may promise this email: none when it had one before. */
export async function welcomeBonusOffered(tx: Tx, tenantId: string, email: string): Promise<number> {
  const [claimed] = await tx
    .select({ identityHash: welcomeBonusClaims.identityHash })
    .from(welcomeBonusClaims)
    .where(inArray(welcomeBonusClaims.identityHash, welcomeIdentityHashes(tenantId, { email })));
  return claimed ? 0 : (await loadProgram(tx)).welcomeBonus;
}

/** Keeps the claims of a guest's phone and email (before a deletion or a profile change drops them). */
export async function rememberWelcomeBonus(tx: Tx, tenantId: string, identity: Identity): Promise<void> {
  await insertClaims(tx, tenantId, welcomeIdentityHashes(tenantId, identity));
}

/** Inserts the claims not there yet; how many were new. */
async function insertClaims(tx: Tx, tenantId: string, hashes: string[]): Promise<number> {
  if (hashes.length === 0) return 0;
  const inserted = await tx
    .insert(welcomeBonusClaims)
    .values(hashes.map((identityHash) => ({ tenantId, identityHash })))
    .onConflictDoNothing()
    .returning({ identityHash: welcomeBonusClaims.identityHash });
  return inserted.length;
}
