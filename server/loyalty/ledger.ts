import { and, eq, getTableColumns, lte, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guests, ledgerEntries, redemptions } from "@/db/schema";

export type Guest = typeof guests.$inferSelect & {
  /** Read with the row: whether a hold of the guest has run out and waits for its release. */
  hasDueHolds?: boolean;
};
export type LedgerKind = (typeof ledgerEntries.$inferInsert)["kind"];
export type LedgerEntryInput = Omit<typeof ledgerEntries.$inferInsert, "tenantId" | "guestId" | "id">;

/**
 * Locks the guest row for the rest of the transaction. Every change of a balance happens under
 * this lock, so concurrent holds, receipts and refunds of one guest are serialised and the
 * balance check and the ledger write cannot interleave.
 */
export async function lockGuest(tx: Tx, guestId: string): Promise<Guest | null> {
  const [guest] = await tx
    .select({ ...getTableColumns(guests), hasDueHolds: dueHolds })
    .from(guests)
    .where(eq(guests.id, guestId))
    .for("update", { of: guests });
  return guest ?? null;
}

/** Whether the guest has a hold past its time (so a release is due before any answer). */
// Spelled out: drizzle leaves a column unqualified in a select list, where "id" would be r.id.
export const dueHolds = sql<boolean>`exists (
  select 1 from ${redemptions} r where r.guest_id = "guests"."id" and r.status = 'held' and r.expires_at <= now())`;

/**
 * Appends ledger entries for a locked guest and moves the balance by their sum in the same
 * transaction (balance = sum of the ledger, always). Zero entries are skipped. Returns the balance.
 */
export async function postPoints(
  tx: Tx,
  guest: Guest,
  entries: LedgerEntryInput[],
  /** Other guest columns changed by the same event (tier, lifetime paid money, last visit). */
  alsoSet: Partial<Pick<Guest, "tierId" | "lifetimePaid" | "lastVisitAt">> = {},
): Promise<number> {
  const moving = entries.filter((entry) => entry.delta !== 0);
  if (moving.length === 0 && Object.keys(alsoSet).length === 0) return guest.balance;
  if (moving.length > 0) {
    await tx
      .insert(ledgerEntries)
      .values(moving.map((entry) => ({ ...entry, tenantId: guest.tenantId, guestId: guest.id })));
  }
  const delta = moving.reduce((sum, entry) => sum + entry.delta, 0);
  Object.assign(guest, alsoSet);
  guest.balance += delta;
  await tx
    .update(guests)
    .set({ ...alsoSet, balance: sql`${guests.balance} + ${delta}`, updatedAt: sql`now()` })
    .where(eq(guests.id, guest.id));
  return guest.balance;
}

/**
 * Releases the locked guest's holds whose time ran out (status expired, +points back). Called
 * before any answer that shows a balance, so an expired hold never lingers in it.
 */
export async function releaseDueHolds(tx: Tx, guest: Guest): Promise<number> {
  // Known from the locking read: most guests have nothing due, and skip the UPDATE.
  if (guest.hasDueHolds === false) return guest.balance;
  return (await releaseHolds(tx, guest, { onlyDue: true })).balance;
}

/**
 * Ends the locked guest's holds with a +points release each: those past their time ("expired"),
 * or every one still held ("voided", e.g. when the account is deleted). Returns the balance and
 * how many holds ended.
 */
export async function releaseHolds(
  tx: Tx,
  guest: Guest,
  options: { onlyDue: boolean; note?: string },
): Promise<{ balance: number; count: number }> {
  const released = await tx
    .update(redemptions)
    .set({ status: options.onlyDue ? "expired" : "voided", settledAt: sql`now()` })
    .where(
      and(
        eq(redemptions.guestId, guest.id),
        eq(redemptions.status, "held"),
        options.onlyDue ? lte(redemptions.expiresAt, sql`now()`) : undefined,
      ),
    )
    .returning({ id: redemptions.id, points: redemptions.points });
  const balance = await postPoints(
    tx,
    guest,
    released.map((hold) => ({
      kind: "redemption_release" as const,
      delta: hold.points,
      redemptionId: hold.id,
      note: options.note ?? (options.onlyDue ? "expired" : "voided"),
    })),
  );
  return { balance, count: released.length };
}
