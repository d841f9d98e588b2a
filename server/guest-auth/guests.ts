import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guests } from "@/db/schema";
import type { Guest } from "../loyalty/ledger";
import { normaliseEmail } from "./adapter";

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
