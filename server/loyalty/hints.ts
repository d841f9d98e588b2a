import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { hintRules, products } from "@/db/schema";

export type Hint = { kind: "upsell" | "habit"; text: string; sku: string };

/** How many recent visits make a habit, and which share of them must include the drink. */
const RECENT_VISITS = 10;
const MIN_VISITS = 3;

/**
 * Hints for the barista from the guest's habits: the favourite SKU is the one in more than half of
 * their last visits. An owner's rule for that SKU suggests something new; without one, the hint
 * names the usual order so the barista can offer it.
 */
export async function hintsFor(tx: Tx, guestId: string, locale: string): Promise<Hint[]> {
  const rows = await tx.execute<{ sku: string; name: string; visits: number; total_visits: number }>(sql`
    with recent as (
      select id from receipts where guest_id = ${guestId} order by occurred_at desc limit ${RECENT_VISITS}
    )
    select l.sku, min(l.name) as name, count(distinct l.receipt_id)::int as visits,
           (select count(*) from recent)::int as total_visits
    from receipt_lines l join recent r on r.id = l.receipt_id
    group by l.sku order by visits desc, l.sku limit 1`);
  const favourite = rows[0];
  if (!favourite || favourite.total_visits < MIN_VISITS || favourite.visits * 2 <= favourite.total_visits) return [];
  const rules = await tx
    .select({ text: hintRules.text, suggestSku: hintRules.suggestSku })
    .from(hintRules)
    .where(and(eq(hintRules.ifSku, favourite.sku), eq(hintRules.active, true)));
  if (rules.length > 0) return rules.map((rule) => ({ kind: "upsell", text: rule.text, sku: rule.suggestSku }));
  const [product] = await tx.select({ name: products.name }).from(products).where(eq(products.sku, favourite.sku));
  const name = product?.name ?? favourite.name;
  return [
    { kind: "habit", text: locale === "ru" ? `Обычно берёт: ${name}` : `Usually orders: ${name}`, sku: favourite.sku },
  ];
}
