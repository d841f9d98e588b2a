import { randomBytes } from "node:crypto";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";
import { guestAccounts, guestSessions } from "@/db/schema";
import { sha256Hex } from "../auth/secrets";
import { normaliseEmail } from "./adapter";

/** A guest stays signed in this long after using a magic link (then signs in again). */
export const GUEST_SESSION_DAYS = 90;

/** Rows keep a hash of the session id: a database dump cannot be replayed as a live session. */
const stored = (sid: string) => sha256Hex(sid);

/** A server-side session for a guest account that just used a magic link; returns its id for the cookie. */
export async function createGuestSession(
  db: Database | Tx,
  input: { accountId: string; userAgent?: string | null },
): Promise<string> {
  const sid = randomBytes(32).toString("base64url");
  await db.insert(guestSessions).values({
    sessionToken: stored(sid),
    accountId: input.accountId,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
    expires: sql`now() + make_interval(days => ${GUEST_SESSION_DAYS})`,
  });
  return sid;
}

/**
 * The account of a live session, or null once it was ended or ran out. One primary-key lookup,
 * no write: this runs on every request that reads the guest's session.
 */
export async function liveGuestSession(db: Database, sid: string): Promise<{ accountId: string } | null> {
  const [row] = await db
    .select({ accountId: guestSessions.accountId })
    .from(guestSessions)
    .where(and(eq(guestSessions.sessionToken, stored(sid)), gt(guestSessions.expires, sql`now()`)));
  return row ?? null;
}

/** Ends one session (signing out on this device). */
export async function endGuestSession(db: Database | Tx, sid: string): Promise<void> {
  await db.delete(guestSessions).where(eq(guestSessions.sessionToken, stored(sid)));
}

/** Ends every session of the account ("sign out on all devices"); returns how many there were. */
export async function endAllGuestSessions(db: Database | Tx, accountId: string): Promise<number> {
  const ended = await db
    .delete(guestSessions)
    .where(eq(guestSessions.accountId, accountId))
    .returning({ sid: guestSessions.sessionToken });
  return ended.length;
}

/** Ends every session of the guest account with this email (its owner deleted their data). */
export async function endGuestSessionsOfEmail(db: Database | Tx, email: string): Promise<number> {
  const ended = await db
    .delete(guestSessions)
    .where(
      sql`${guestSessions.accountId} in (select ${guestAccounts.id} from ${guestAccounts} where lower(${guestAccounts.email}) = ${normaliseEmail(email)})`,
    )
    .returning({ sid: guestSessions.sessionToken });
  return ended.length;
}

/** What a guest's session token carries (the JWT's claims this app sets). */
export type GuestToken = { gid?: unknown; email?: unknown; sid?: unknown };

/**
 * The token of a request, checked against the server: kept while its session lives, null (signed
 * out, the cookie cleared) once it was ended — also for tokens made before sessions were recorded.
 */
export async function checkedGuestToken<T extends GuestToken>(db: Database, token: T): Promise<T | null> {
  if (typeof token.sid !== "string" || typeof token.gid !== "string") return null;
  const session = await liveGuestSession(db, token.sid);
  return session && session.accountId === token.gid ? token : null;
}
