import { and, asc, gt, isNull, lt, sql } from "drizzle-orm";
import { type Database, type Tx, withTenant } from "@/db/client";
import { guests, loyaltyPrograms, redemptions, tenants } from "@/db/schema";
import { type Guest, lockGuest, postPoints } from "./ledger";

/**
 * Points expiry by inactivity (chosen over FIFO lots): when a guest has not visited for the
 * program's `expireAfterInactiveDays`, their whole balance expires with one ledger entry. It is
 * simple to explain at the counter ("points live as long as you keep coming"), needs no lot
 * bookkeeping, and a single visit renews everything. Guests holding points at a till right now
 * are left alone. Returns the number of guests whose points expired, per tenant slug.
 */
export async function expireInactivePoints(db: Database): Promise<Record<string, number>> {
  const all = await db.select({ id: tenants.id, slug: tenants.slug }).from(tenants);
  const expired: Record<string, number> = {};
  for (const tenant of all) {
    const { days, candidates } = await withTenant(
      tenant.id,
      async (tx) => {
        const [program] = await tx.select().from(loyaltyPrograms);
        const days = program?.expireAfterInactiveDays ?? null;
        return { days, candidates: days ? await sleepingGuests(tx, days) : [] };
      },
      db,
    );
    let count = 0;
    // One short transaction per guest, in id order: the POS never waits long on a guest's lock,
    // and two servers running the job lock in the same order.
    for (const guestId of candidates) {
      const done = await withTenant(
        tenant.id,
        async (tx) => {
          const guest = await lockGuest(tx, guestId);
          // Re-checked under the lock: the guest may have come back since the list was read.
          if (!guest || !days || !(await stillSleeping(tx, guest, days))) return false;
          await postPoints(tx, guest, [{ kind: "expiry", delta: -guest.balance, note: `no visit for ${days} days` }]);
          return true;
        },
        db,
      );
      if (done) count += 1;
    }
    expired[tenant.slug] = count;
  }
  return expired;
}

const inactiveFor = (days: number) =>
  lt(sql`coalesce(${guests.lastVisitAt}, ${guests.createdAt})`, sql`now() - make_interval(days => ${days})`);
const noHeldPoints = sql`not exists (select 1 from ${redemptions} r where r.guest_id = "guests"."id" and r.status = 'held')`;

async function sleepingGuests(tx: Tx, days: number): Promise<string[]> {
  const rows = await tx
    .select({ id: guests.id })
    .from(guests)
    .where(and(gt(guests.balance, 0), isNull(guests.deletedAt), inactiveFor(days), noHeldPoints))
    .orderBy(asc(guests.id));
  return rows.map((row) => row.id);
}

async function stillSleeping(tx: Tx, guest: Guest, days: number): Promise<boolean> {
  if (guest.balance <= 0 || guest.deletedAt) return false;
  const [row] = await tx
    .select({ id: guests.id })
    .from(guests)
    .where(and(sql`${guests.id} = ${guest.id}`, inactiveFor(days), noHeldPoints));
  return Boolean(row);
}
