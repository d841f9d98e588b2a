import { sql } from "drizzle-orm";
import { loadProgram } from "../../server/loyalty/program";
import { recordReceipt } from "../../server/loyalty/receipts";
import type { Tx } from "../client";
import { Random } from "./random";
import type { TenantSpec } from "./spec";

const DAY_MS = 24 * 3600 * 1000;
const WINDOW_DAYS = 14;
const HOLDOUT_PERCENT = 50;
/** Weekly runs of the automation; the last one's window closed before "now". */
const RUNS = 11;
/** A run reaches the guests whose last visit was 10–17 days before it (they fell asleep that week). */
const AWAY_DAYS = 10;
/** Who came back within the window because of the story: messaged guests far more often. */
const CAME_BACK = { target: 0.45, holdout: 0.08 } as const;

/**
 * The demo's finished win-back automation, so the results page is never empty: run weekly over the
 * history, each run reaching the guests who fell asleep that week (last visit 10–17 days before),
 * half of those it may mail held back (a small café needs it to tell), each recorded as a send
 * row; the guests who came back within the window did so through real checks (recordReceipt: the
 * loyalty engine, points and all) — the messaged ones far more often, so the campaign's results
 * show a positive effect with an interval above zero. Deterministic: a PRNG seeded by the slug,
 * guests in card-number order. Only the café whose spec has a campaign for it (`demo`).
 */
export async function seedFinishedCampaign(tx: Tx, spec: TenantSpec, now: Date): Promise<void> {
  if (spec.tenant.slug !== "demo") return;
  const rng = new Random(0x5eed_16);
  const [tenant] = await tx.execute<{ id: string }>(
    sql`select nullif(current_setting('app.tenant_id', true), '')::uuid as id`,
  );
  const tenantId = tenant?.id ?? "";
  const runAt = (run: number) => new Date(now.getTime() - (WINDOW_DAYS + 1 + 7 * (RUNS - 1 - run)) * DAY_MS);
  const [campaign] = await tx.execute<{ id: string }>(sql`
    insert into campaigns (tenant_id, name, kind, status, subject, body, holdout_percent, window_days,
      launched_at, finished_at)
    values (${tenantId}, 'Мы соскучились', 'win_back', 'finished', 'Мы соскучились, {name}!',
      'Ваш {favourite} ждёт вас в «{cafe}». Заходите — будем рады!', ${HOLDOUT_PERCENT}, ${WINDOW_DAYS},
      ${runAt(0).toISOString()}::timestamptz, ${runAt(RUNS - 1).toISOString()}::timestamptz)
    returning id`);
  const campaignId = campaign?.id ?? "";
  const products = await tx.execute<{ sku: string; name: string; price: number }>(
    sql`select sku, name, price from products where price > 0 order by sku`,
  );
  const [location] = await tx.execute<{ id: string }>(
    sql`select id from locations where archived_at is null order by created_at, slug limit 1`,
  );
  let checkNo = 0;
  for (let run = 0; run < RUNS; run++) {
    const sentAt = runAt(run);
    const program = await loadProgram(tx, sentAt);
    // Read after the earlier runs' checks: a guest who came back is not asleep again at once.
    const audience = await tx.execute<{ id: string; consent: boolean; has_email: boolean; last_visit: string }>(sql`
      select g.id, g.marketing_opt_in as consent, coalesce(g.email, '') <> '' as has_email,
             to_char(max(r.occurred_at) at time zone 'Europe/Moscow', 'YYYY-MM-DD') as last_visit
      from guests g join receipts r on r.guest_id = g.id and r.occurred_at < ${sentAt.toISOString()}::timestamptz
      where g.deleted_at is null
      group by g.id, g.card_code, g.marketing_opt_in, g.email
      having max(r.occurred_at) < ${new Date(sentAt.getTime() - AWAY_DAYS * DAY_MS).toISOString()}::timestamptz
         and max(r.occurred_at) >= ${new Date(sentAt.getTime() - (AWAY_DAYS + 7) * DAY_MS).toISOString()}::timestamptz
      order by g.card_code`);
    for (const guest of audience) {
      const reachable = guest.consent && guest.has_email;
      const group = reachable && rng.chance(HOLDOUT_PERCENT / 100) ? "holdout" : "target";
      const status = !reachable ? "skipped" : group === "holdout" ? "held_out" : "delivered";
      const skipReason = !guest.consent ? "no_consent" : !guest.has_email ? "no_email" : null;
      const sent = status === "delivered";
      await tx.execute(sql`
        insert into campaign_sends (tenant_id, campaign_id, guest_id, occasion, "group", status, skip_reason,
          attempts, queued_at, sent_at, delivered_at)
        values (${tenantId}, ${campaignId}, ${guest.id}, ${guest.last_visit}, ${group}::campaign_send_group,
          ${status}::campaign_send_status, ${skipReason}::campaign_skip_reason, ${sent ? 1 : 0},
          ${sentAt.toISOString()}::timestamptz,
          ${sent ? new Date(sentAt.getTime() + 60_000).toISOString() : null}::timestamptz,
          ${sent ? new Date(sentAt.getTime() + 120_000).toISOString() : null}::timestamptz)
        on conflict on constraint campaign_sends_occasion_key do nothing`);
      if (!reachable || !location || !rng.chance(CAME_BACK[group])) continue;
      const product = rng.pick(products);
      const quantity = rng.int(1, 2);
      checkNo += 1;
      const at = new Date(sentAt.getTime() + rng.int(1, WINDOW_DAYS - 1) * DAY_MS + rng.int(0, 600) * 60_000);
      await recordReceipt(
        tx,
        program,
        { tenantId, locationId: location.id },
        {
          externalId: `WINBACK-${String(checkNo).padStart(4, "0")}`,
          occurredAt: at.toISOString(),
          guestId: guest.id,
          lines: [
            {
              sku: product.sku,
              name: product.name,
              quantity,
              unitPrice: product.price,
              amount: product.price * quantity,
            },
          ],
          total: product.price * quantity,
        },
      );
    }
  }
}
