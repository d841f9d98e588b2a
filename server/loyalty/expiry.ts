import { and, asc, gt, isNull, lt, sql } from "drizzle-orm";
import { type Database, type Tx, withTenant } from "@/db/client";
import { guests, redemptions, tenants } from "@/db/schema";
import { type Guest, lockGuest, postPoints } from "./ledger";
import { expiryRule, loadProgram } from "./program";

/**
 * Points expiry by inactivity (chosen over FIFO lots): when a guest has not visited for the
 * program's `expireAfterInactiveDays`, their whole balance expires with one ledger entry. It is
 * simple to explain at the counter ("points live as long as you keep coming"), needs no lot
 * bookkeeping, and a single visit renews everything. Guests holding points at a till right now
 * are left alone. The expiry is the one of the rules in force now; a version that changed it
 * without being retroactive counts inactivity from its start at the earliest (`expiryRule`).
 * Returns the number of guests whose points expired, per tenant slug.
 */
export async function expireInactivePoints(db: Database): Promise<Record<string, number>> {
  const all = await db.select({ id: tenants.id, slug: tenants.slug }).from(tenants);
  const expired: Record<string, number> = {};
  for (const tenant of all) {
    const { rule, candidates } = await withTenant(
      tenant.id,
      async (tx) => {
        const rule = expiryRule(await loadProgram(tx));
        return { rule, candidates: rule.days ? await sleepingGuests(tx, rule) : [] };
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
          if (!guest || !rule.days || !(await stillSleeping(tx, guest, rule))) return false;
          await postPoints(tx, guest, [
            { kind: "expiry", delta: -guest.balance, note: `no visit for ${rule.days} days` },
          ]);
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

type ExpiryRule = { days: number | null; countsFrom: Date | null };

// greatest() skips a null: without a start of counting, inactivity counts from the last visit.
const inactiveFor = ({ days, countsFrom }: ExpiryRule) =>
  lt(
    sql`greatest(coalesce(${guests.lastVisitAt}, ${guests.createdAt}), ${countsFrom?.toISOString() ?? null}::timestamptz)`,
    sql`now() - make_interval(days => ${days ?? 0})`,
  );
const noHeldPoints = sql`not exists (select 1 from ${redemptions} r where r.guest_id = "guests"."id" and r.status = 'held')`;

async function sleepingGuests(tx: Tx, rule: ExpiryRule): Promise<string[]> {
  const rows = await tx
    .select({ id: guests.id })
    .from(guests)
    .where(and(gt(guests.balance, 0), isNull(guests.deletedAt), inactiveFor(rule), noHeldPoints))
    .orderBy(asc(guests.id));
  return rows.map((row) => row.id);
}

async function stillSleeping(tx: Tx, guest: Guest, rule: ExpiryRule): Promise<boolean> {
  if (guest.balance <= 0 || guest.deletedAt) return false;
  const [row] = await tx
    .select({ id: guests.id })
    .from(guests)
    .where(and(sql`${guests.id} = ${guest.id}`, inactiveFor(rule), noHeldPoints));
  return Boolean(row);
}
