import { sql } from "drizzle-orm";
import { type Database, withTenant } from "@/db/client";
import { lockGuest, releaseDueHolds } from "./ledger";

/**
 * Releases holds whose time ran out, in every tenant (each release bound to its tenant).
 * Balances are also corrected lazily whenever a guest is touched; this keeps idle guests right.
 * Returns how many guests were fixed.
 */
export async function releaseExpiredHolds(db: Database, batch = 500): Promise<number> {
  const due = await db.execute<{ tenant_id: string; guest_id: string }>(sql`select * from due_holds(${batch})`);
  for (const { tenant_id, guest_id } of due) {
    await withTenant(
      tenant_id,
      async (tx) => {
        const guest = await lockGuest(tx, guest_id);
        if (guest) await releaseDueHolds(tx, guest);
      },
      db,
    );
  }
  return due.length;
}
