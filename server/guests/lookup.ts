import type { Tx } from "@/db/client";
import { findGuestByIdentifier } from "../loyalty/guests";
import { loadProgram, tierName } from "../loyalty/program";

export type GuestAtCounter = {
  /** For a link to the guest card (shown to those who may read guests). */
  id: string;
  name: string | null;
  tier: string;
  balance: number;
  onlineBlocked: boolean;
};

/** A guest found at the counter by card code or phone: name, tier and balance only, nothing more. */
export async function lookupGuestAtCounter(tx: Tx, identifier: string): Promise<GuestAtCounter | null> {
  const guest = await findGuestByIdentifier(tx, identifier);
  if (!guest) return null;
  const program = await loadProgram(tx);
  return {
    id: guest.id,
    name: guest.name,
    tier: tierName(program, guest.tierId),
    balance: guest.balance,
    onlineBlocked: guest.onlineBlockedAt !== null,
  };
}
