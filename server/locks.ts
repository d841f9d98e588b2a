import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

/**
 * A transaction-scoped lock on a name (pg_advisory_xact_lock): requests for the same idempotency
 * key, or the same phone, queue here and each then sees what the one before it committed. It is
 * always the first lock a transaction takes, so it cannot join a deadlock cycle.
 */
export async function lockName(tx: Tx, name: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`);
}
