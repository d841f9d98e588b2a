// npm run bench:campaigns — a win-back for every sleeping guest of the 100 000-guest café of
// bench:analytics (.data/bench-analytics; run that first): selecting and enqueueing the sends
// (server/campaigns/audience.ts selectAudience, one INSERT … SELECT) and computing the campaign's
// results (server/campaigns/results.ts, one aggregation over the guests' receipts) — then again with a
// send row for every one of the 100 000 guests (the slower of the two is reported) — as the
// app's role (row-level security on), timed. The campaign is removed afterwards, so runs repeat.
// Last line: `campaigns: select+enqueue <s> s, results <s> s`. Targets: ≤ 10 s each.
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase, withTenant } from "@/db/client";
import { startEmbeddedPostgres } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { runNightlyAnalytics } from "../analytics/segments";
import { selectAudience } from "../campaigns/audience";
import { campaignResults } from "../campaigns/results";
import { deriveAppUrl } from "../env";

const DATA_DIR = ".data/bench-analytics";
const APP_PASSWORD = "bench-analytics";
const SLUG = "bench-analytics";
const TARGET_SECONDS = 10;
const DAY_MS = 24 * 3600 * 1000;

const step = (message: string) => console.log(`[bench] ${message}`);

async function main() {
  step(`Starting the embedded PostgreSQL in ${DATA_DIR} (the café of bench:analytics)…`);
  const server = await startEmbeddedPostgres(path.join(DATA_DIR, "pg"));
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  const app = openDatabase(deriveAppUrl(server.adminUrl, APP_PASSWORD), { max: 4 });
  let campaignId: string | null = null;
  try {
    await migrateDatabase(server.adminUrl, APP_PASSWORD);
    const [cafe] = await admin<{ id: string; guests: number; sleeping: number }[]>`
      select t.id, (select count(*)::int from guests g where g.tenant_id = t.id) as guests,
             (select count(*)::int from guest_stats s where s.tenant_id = t.id and s.segment = 'sleeping') as sleeping
      from tenants t where t.slug = ${SLUG}`;
    if (!cafe) throw new Error(`No café in ${DATA_DIR}: run npm run bench:analytics first`);
    const tenantId = cafe.id;
    if (cafe.sleeping === 0) {
      step("No segments yet: running the nightly step once…");
      await withTenant(tenantId, (tx) => runNightlyAnalytics(tx), app.db);
    }
    const [segments] = await admin<{ sleeping: number; reachable: number }[]>`
      select count(*)::int as sleeping,
             count(*) filter (where g.marketing_opt_in and coalesce(g.email, '') <> '')::int as reachable
      from guest_stats s join guests g on g.tenant_id = s.tenant_id and g.id = s.guest_id
      where s.tenant_id = ${tenantId} and s.segment = 'sleeping'`;
    step(
      `${cafe.guests.toLocaleString("en-US")} guests, ${segments?.sleeping.toLocaleString("en-US")} sleeping (${segments?.reachable.toLocaleString("en-US")} with consent and email).`,
    );

    campaignId = await withTenant(
      tenantId,
      async (tx) => {
        const [row] = await tx.execute<{ id: string }>(sql`
          insert into campaigns (tenant_id, name, kind, status, subject, body, holdout_percent, window_days)
          values (${tenantId}, 'Bench win-back', 'win_back', 'running', 'Мы соскучились', 'Ваш {favourite} ждёт вас',
            10, 14) returning id`);
        return row?.id ?? null;
      },
      app.db,
    );
    if (!campaignId) throw new Error("The campaign was not created");
    const id = campaignId;

    step("Selecting and enqueueing the win-back for every sleeping guest…");
    // The bench café's history ends about when it was built; "now" is the real clock.
    const now = new Date();
    const selectStarted = performance.now();
    const counts = await withTenant(tenantId, (tx) => selectAudience(tx, tenantId, id, now), app.db);
    const selectSeconds = (performance.now() - selectStarted) / 1000;
    step(`${JSON.stringify(counts)} in ${selectSeconds.toFixed(2)} s`);

    step("Computing its results (every window closed: read 15 days on)…");
    const resultsStarted = performance.now();
    const results = await withTenant(
      tenantId,
      (tx) => campaignResults(tx, tenantId, id, { now: new Date(now.getTime() + 15 * DAY_MS) }),
      app.db,
    );
    const resultsSeconds = (performance.now() - resultsStarted) / 1000;
    step(
      `target ${results.target.n}, control ${results.control.n}, verdict ${results.verdict}, MDE ${((results.incremental.mde ?? 0) * 100).toFixed(2)} pp in ${resultsSeconds.toFixed(2)} s`,
    );
    // A sleeping-guest win-back reaches a few thousand; the results must hold for a campaign to
    // every guest too: one row per guest of the café (10 % held out), sent 30 days ago.
    step("Adding a send row for every guest of the café (sent 30 days ago) and computing the results again…");
    await admin`
      insert into campaign_sends (tenant_id, campaign_id, guest_id, occasion, "group", status, queued_at, sent_at)
      select ${tenantId}, ${id}, g.id, 'bench-all',
             (case when random() < 0.1 then 'holdout' else 'target' end)::campaign_send_group,
             'sent'::campaign_send_status, now() - interval '30 days', now() - interval '30 days'
      from guests g where g.tenant_id = ${tenantId}`;
    // As autovacuum would after such an insert: the planner needs the table's new size.
    await admin`analyze campaign_sends`;
    const allStarted = performance.now();
    const all = await withTenant(tenantId, (tx) => campaignResults(tx, tenantId, id, { now }), app.db);
    const allSeconds = (performance.now() - allStarted) / 1000;
    step(
      `${all.counts.eligible.toLocaleString("en-US")} rows: target ${all.target.n}, control ${all.control.n}, verdict ${all.verdict}, MDE ${((all.incremental.mde ?? 0) * 100).toFixed(2)} pp in ${allSeconds.toFixed(2)} s`,
    );
    const resultsWorst = Math.max(resultsSeconds, allSeconds);
    console.log(
      `targets: select+enqueue ≤ ${TARGET_SECONDS} s ${selectSeconds <= TARGET_SECONDS ? "ok" : "MISSED"}; results ≤ ${TARGET_SECONDS} s ${resultsWorst <= TARGET_SECONDS ? "ok" : "MISSED"}`,
    );
    console.log(`campaigns: select+enqueue ${selectSeconds.toFixed(2)} s, results ${resultsWorst.toFixed(2)} s`);
  } finally {
    if (campaignId) {
      await admin`delete from campaign_sends where campaign_id = ${campaignId}`;
      await admin`delete from campaigns where id = ${campaignId}`;
    }
    await admin.end();
    await app.client.end();
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
