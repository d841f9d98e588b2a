import { and, asc, isNull, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guests } from "@/db/schema";
import { findGuestByIdentifier } from "../loyalty/guests";
import type { Guest } from "../loyalty/ledger";
import { loadProgram, type Program, tierName } from "../loyalty/program";

export type GuestAtCounter = {
  /** For a link to the guest card (shown to those who may read guests). */
  id: string;
  name: string | null;
  tier: string;
  balance: number;
  onlineBlocked: boolean;
  /** How the look-up found them: their own card, phone or QR, or a name or email like theirs. */
  foundBy: "identifier" | "contact";
};

/** At most this many guests answer a name or an email (the barista's question is "which one?"). */
export const COUNTER_MATCHES_LIMIT = 10;

type CounterRow = Pick<Guest, "id" | "name" | "tierId" | "balance" | "onlineBlockedAt">;

const atCounter = (
  program: Program,
  guest: CounterRow,
  foundBy: GuestAtCounter["foundBy"],
  locale?: string,
): GuestAtCounter => ({
  id: guest.id,
  name: guest.name,
  tier: tierName(program, guest.tierId, locale),
  balance: guest.balance,
  onlineBlocked: guest.onlineBlockedAt !== null,
  foundBy,
});

/**
 * A card code as printed or shown in the cabinet ("540 987 000", "540-987-000") without its
 * separators; null when the text is not digits with spaces or dashes.
 */
export function compactCardCode(text: string): string | null {
  const trimmed = text.trim();
  if (!/^\d[\d\s-]*\d$/.test(trimmed)) return null;
  return trimmed.replace(/[\s-]/g, "");
}

/**
 * A guest found at the counter by card code (with or without the spaces it is printed with), a
 * phone in any common form or a cabinet QR: name, tier and balance only, nothing more.
 */
export async function lookupGuestAtCounter(
  tx: Tx,
  identifier: string,
  locale?: string,
): Promise<GuestAtCounter | null> {
  const guest = await findGuestAsTyped(tx, identifier);
  return guest ? atCounter(await loadProgram(tx), guest, "identifier", locale) : null;
}

/** The guest behind what the barista typed: a card code with or without its spaces, a phone, a QR. */
export async function findGuestAsTyped(tx: Tx, identifier: string): Promise<Guest | null> {
  const card = compactCardCode(identifier);
  return (
    (await findGuestByIdentifier(tx, identifier)) ??
    (card && card !== identifier.trim() ? await findGuestByIdentifier(tx, card) : null)
  );
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The counter look-up: a card, phone or QR finds its one guest; for those who may read guests
 * (`byContact`: owners, managers) a name (any part of it) or an email (its beginning) finds up to
 * COUNTER_MATCHES_LIMIT, by name. Blocked and deleted guests are never found.
 */
export async function findGuestsAtCounter(
  tx: Tx,
  query: string,
  options: { byContact: boolean /** The reader's language, for the tier's name. */; locale?: string },
): Promise<GuestAtCounter[]> {
  const exact = await lookupGuestAtCounter(tx, query, options.locale);
  if (exact) return [exact];
  const text = query.trim();
  if (!options.byContact || text.length < 2) return [];
  const conditions = [];
  if (text.includes("@")) conditions.push(sql`lower(${guests.email}) like ${`${escapeLike(text.toLowerCase())}%`}`);
  if (/\p{L}/u.test(text)) conditions.push(sql`${guests.name} ilike ${`%${escapeLike(text)}%`}`);
  if (conditions.length === 0) return [];
  const rows = await tx
    .select({
      id: guests.id,
      name: guests.name,
      tierId: guests.tierId,
      balance: guests.balance,
      onlineBlockedAt: guests.onlineBlockedAt,
    })
    .from(guests)
    .where(and(isNull(guests.deletedAt), isNull(guests.blockedAt), or(...conditions)))
    .orderBy(asc(guests.name), asc(guests.id))
    .limit(COUNTER_MATCHES_LIMIT);
  if (rows.length === 0) return [];
  const program = await loadProgram(tx);
  return rows.map((row) => atCounter(program, row, "contact", options.locale));
}
