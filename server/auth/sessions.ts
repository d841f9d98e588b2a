import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, ne, sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";
import { authSessions } from "@/db/schema";
import { sha256Hex } from "./secrets";

/** A back-office session ends after this long without a request. */
export const IDLE_TIMEOUT_MINUTES = 60;
/** Sliding the expiry on every request would write on every page view; once a minute is enough. */
const TOUCH_EVERY_MS = 60_000;

export type MfaState = "verified" | "enrolment" | "none";
export type StaffSession = { sid: string; userId: string; mfa: MfaState };

const idleDeadline = sql`now() + make_interval(mins => ${IDLE_TIMEOUT_MINUTES})`;

/** Rows keep a hash of the session id: a database dump cannot be replayed as a live session. */
const stored = (sid: string) => sha256Hex(sid);

export async function createStaffSession(
  db: Database | Tx,
  input: { userId: string; mfa: MfaState; ip?: string | null; userAgent?: string | null },
): Promise<string> {
  const sid = randomBytes(32).toString("base64url");
  await db.insert(authSessions).values({
    sessionToken: stored(sid),
    userId: input.userId,
    mfa: input.mfa,
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
    expires: idleDeadline,
  });
  return sid;
}

/** The live session behind a cookie's sid, its idle deadline moved on; null once revoked or idle. */
export async function touchStaffSession(db: Database, sid: string): Promise<StaffSession | null> {
  const [row] = await db
    .select()
    .from(authSessions)
    .where(and(eq(authSessions.sessionToken, stored(sid)), gt(authSessions.expires, sql`now()`)));
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db
      .update(authSessions)
      .set({ lastSeenAt: sql`now()`, expires: idleDeadline })
      .where(eq(authSessions.sessionToken, stored(sid)));
  }
  return { sid, userId: row.userId, mfa: row.mfa as MfaState };
}

export async function markSessionVerified(db: Database | Tx, sid: string): Promise<void> {
  await db
    .update(authSessions)
    .set({ mfa: "verified" })
    .where(eq(authSessions.sessionToken, stored(sid)));
}

/** Ends the user's sessions at once (all, or all but the one making the change). */
export async function revokeSessions(db: Database | Tx, userId: string, options: { except?: string } = {}) {
  const condition = options.except
    ? and(eq(authSessions.userId, userId), ne(authSessions.sessionToken, stored(options.except)))
    : eq(authSessions.userId, userId);
  const removed = await db.delete(authSessions).where(condition).returning({ sid: authSessions.sessionToken });
  return removed.length;
}

export function listSessions(db: Database, userId: string) {
  return db
    .select({
      createdAt: authSessions.createdAt,
      lastSeenAt: authSessions.lastSeenAt,
      ip: authSessions.ip,
      userAgent: authSessions.userAgent,
    })
    .from(authSessions)
    .where(and(eq(authSessions.userId, userId), gt(authSessions.expires, sql`now()`)))
    .orderBy(desc(authSessions.lastSeenAt));
}

/** Ends one session (signing out on this device). */
export async function endSession(db: Database | Tx, sid: string): Promise<void> {
  await db.delete(authSessions).where(eq(authSessions.sessionToken, stored(sid)));
}
