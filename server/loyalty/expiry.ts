import { and, gt, isNull, lt, sql } from "drizzle-orm";
import { type Database, withTenant } from "@/db/client";
import { guests, loyaltyPrograms, redemptions, tenants } from "@/db/schema";
import { lockGuest, postPoints } from "./ledger";

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
    expired[tenant.slug] = await withTenant(
      tenant.id,
      async (tx) => {
        const [program] = await tx.select().from(loyaltyPrograms);
        const days = program?.expireAfterInactiveDays;
        if (!days) return 0;
        const sleeping = await tx
          .select({ id: guests.id })
          .from(guests)
          .where(
            and(
              gt(guests.balance, 0),
              isNull(guests.deletedAt),
              lt(
                sql`coalesce(${guests.lastVisitAt}, ${guests.createdAt})`,
                sql`now() - make_interval(days => ${days})`,
              ),
              sql`not exists (select 1 from ${redemptions} r where r.guest_id = ${guests.id} and r.status = 'held')`,
            ),
          );
        let count = 0;
        for (const { id } of sleeping) {
          const guest = await lockGuest(tx, id);
          if (!guest || guest.balance <= 0) continue;
          await postPoints(tx, guest, [{ kind: "expiry", delta: -guest.balance, note: `no visit for ${days} days` }]);
          count += 1;
        }
        return count;
      },
      db,
    );
  }
  return expired;
}
