import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

export type LedgerMismatch = { slug: string; guest_id: string; balance: number; ledger_sum: number };

/**
 * Every guest whose balance is not the sum of their ledger, across all cafés (so it runs as the
 * migrating role rather than under one café's RLS), and how many guests were checked.
 */
export async function ledgerMismatches(admin: Database): Promise<{ guests: number; mismatches: LedgerMismatch[] }> {
  const mismatches = await admin.execute<LedgerMismatch>(sql`
    select t.slug, g.id as guest_id, g.balance, coalesce(l.sum, 0)::int as ledger_sum
    from guests g
    join tenants t on t.id = g.tenant_id
    left join (select tenant_id, guest_id, sum(delta) as sum from ledger_entries group by 1, 2) l
      on l.tenant_id = g.tenant_id and l.guest_id = g.id
    where g.balance <> coalesce(l.sum, 0)`);
  const [{ guests = 0 } = {}] = await admin.execute<{ guests: number }>(
    sql`select count(*)::int as guests from guests`,
  );
  return { guests, mismatches: [...mismatches] };
}
