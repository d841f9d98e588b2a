import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guests } from "@/db/schema";
import type { Guest } from "../loyalty/ledger";
import { normaliseEmail } from "./adapter";

/**
 * Whether the café keeps this guest out of its online side (cabinet, online orders, order pages):
 * a blocked card, or online access the café closed (`onlineBlockedAt`; the card still works at the till).
 */
export function onlineAccessClosed(guest: Pick<Guest, "blockedAt" | "onlineBlockedAt">): boolean {
  return Boolean(guest.blockedAt || guest.onlineBlockedAt);
}

/**
 * The café's guest behind a signed-in email (under the transaction's tenant), or null when the
 * address is not enrolled there yet. A deleted account has no email left, so it is never found.
 */
export async function guestOfAccount(tx: Tx, email: string): Promise<Guest | null> {
  const [guest] = await tx
    .select()
    .from(guests)
    .where(sql`lower(${guests.email}) = ${normaliseEmail(email)} and ${guests.deletedAt} is null`);
  return guest ?? null;
}
