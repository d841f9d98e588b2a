// npm run bench:analytics — the owner's insight at a million receipts: on its own embedded PostgreSQL
// (.data/bench-analytics, kept and reused on the next run) a synthetic café with 1 000 000 receipts (with
// lines and some refunds), 100 000 guests and 20 locations over a year, generated in SQL with a progress bar;
// the roll-ups built; then p50/p95 over repeated calls of every dashboard query (server/analytics/dashboard.ts),
// the guests table (first page, a filtered and sorted page, page 500), the guest card, and the nightly rhythm
// fit of the café — all as the app's role (row-level security on). Ends with two lines:
// `worst p95: <ms> ms (<which query>)` and `rhythm fit: <s> s`. Targets: p95 ≤ 300 ms, fit ≤ 10 s.
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { type Database, openDatabase, withTenant } from "@/db/client";
import { startEmbeddedPostgres } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { DASHBOARD_QUERIES } from "../analytics/dashboard";
import { rebuildAnalytics } from "../analytics/rollups";
import { runNightlyAnalytics } from "../analytics/segments";
import { deriveAppUrl } from "../env";
import { guestCard, guestTimeline } from "../guests/card";
import { listGuests } from "../guests/directory";
import { createTenant } from "../tenants/create";
import { insertSyntheticGuests, insertSyntheticReceipts, numberGuests, numberLocations, progress } from "./bench-data";

const DATA_DIR = ".data/bench-analytics";
const APP_PASSWORD = "bench-analytics";
const SLUG = "bench-analytics";
const RECEIPTS = 1_000_000;
const GUESTS = 100_000;
const LOCATIONS = 20;
const DAYS = 365;
const CHUNK = 50_000;
const REPEATS = 20;
const TARGETS = { p95Ms: 300, fitSeconds: 10 };
const TIMEZONE = "Europe/Moscow";

const step = (message: string) => console.log(`[bench] ${message}`);

/** Creates the café and its history, unless a previous run left it complete. */
async function ensureCafe(admin: postgres.Sql, app: Database): Promise<string> {
  const [existing] = await admin<{ id: string; receipts: number }[]>`
    select t.id, (select count(*)::int from receipts r where r.tenant_id = t.id) as receipts
    from tenants t where t.slug = ${SLUG}`;
  if (existing && existing.receipts >= RECEIPTS) {
    step(`Reusing the café in ${DATA_DIR}: ${existing.receipts.toLocaleString("en-US")} receipts.`);
    return existing.id;
  }
  if (existing) throw new Error(`${DATA_DIR} holds a half-made café: delete the folder and run again`);
  const { tenant } = await app.transaction((tx) =>
    createTenant(tx, {
      slug: SLUG,
      name: "Bench Analytics",
      currency: "RUB",
      timezone: TIMEZONE,
      locale: "ru",
      locations: Array.from({ length: LOCATIONS }, (_, i) => ({
        slug: `cafe-${i + 1}`,
        name: `Café ${i + 1}`,
        address: `${i + 1} Bench Street`,
      })),
    }),
  );
  const tenantId = tenant.id;
  const started = performance.now();
  // Bulk load as the superuser without triggers (the roll-ups are rebuilt below instead of queued).
  await admin.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await numberLocations(tx, tenantId);
    const [tier] = await tx<{ id: string }[]>`
      select id from loyalty_tiers where tenant_id = ${tenantId} order by min_spend limit 1`;
    await insertSyntheticGuests(tx, {
      tenantId,
      count: GUESTS,
      days: DAYS,
      tierId: tier?.id ?? null,
      phonePrefix: "+7916",
      emailPrefix: "guest",
      firstCardCode: 100_000_000,
      arbitraryBalances: true,
    });
    await numberGuests(tx, tenantId);
    progress("receipts", 0, RECEIPTS);
    for (let from = 0; from < RECEIPTS; from += CHUNK) {
      const to = Math.min(RECEIPTS, from + CHUNK);
      await insertSyntheticReceipts(tx, {
        tenantId,
        from,
        to,
        total: RECEIPTS,
        days: DAYS,
        guests: GUESTS,
        locations: LOCATIONS,
        redeemEvery: 23,
        withResponse: false,
      });
      progress("receipts", to, RECEIPTS);
    }
    await tx`
      insert into refunds (tenant_id, receipt_id, location_id, external_refund_id, payload_hash, amount,
                           points_reversed, points_returned, response, created_at)
      select tenant_id, id, location_id, 'RF-' || external_id, md5(external_id) || md5(external_id || 'r'), 5000, 0, 0,
             '{}'::jsonb, occurred_at + interval '10 minutes'
      from receipts where tenant_id = ${tenantId} and substr(external_id, 3)::int % 200 = 0`;
    await tx`
      update guests g set last_visit_at = v.last, lifetime_paid = v.paid
      from (select guest_id, max(occurred_at) as last, sum(total)::bigint as paid from receipts
            where tenant_id = ${tenantId} and guest_id is not null group by 1) v
      where g.tenant_id = ${tenantId} and g.id = v.guest_id`;
  });
  step(`Generated the history in ${((performance.now() - started) / 1000).toFixed(0)} s; analysing…`);
  await admin`vacuum analyze`;
  const built = performance.now();
  await withTenant(tenantId, (tx) => rebuildAnalytics(tx), app);
  step(`Built the roll-ups in ${((performance.now() - built) / 1000).toFixed(1)} s.`);
  await admin`vacuum analyze`;
  return tenantId;
}

type Measured = { name: string; p50: number; p95: number };

async function measure(
  name: string,
  app: Database,
  tenantId: string,
  call: (tx: Parameters<Parameters<typeof withTenant>[1]>[0]) => Promise<unknown>,
) {
  const times: number[] = [];
  // The first call warms caches and prepared statements; it is not counted.
  for (let i = 0; i <= REPEATS; i++) {
    const started = performance.now();
    await withTenant(tenantId, (tx) => call(tx), app);
    if (i > 0) times.push(performance.now() - started);
  }
  times.sort((p, q) => p - q);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] as number;
  const result = { name, p50: at(0.5), p95: at(0.95) };
  console.log(`${name.padEnd(42)} ${result.p50.toFixed(1).padStart(8)} ${result.p95.toFixed(1).padStart(8)}`);
  return result;
}

async function main() {
  step(`Starting the embedded PostgreSQL in ${DATA_DIR} (kept between runs)…`);
  const server = await startEmbeddedPostgres(path.join(DATA_DIR, "pg"));
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  const app = openDatabase(deriveAppUrl(server.adminUrl, APP_PASSWORD), { max: 4 });
  try {
    await migrateDatabase(server.adminUrl, APP_PASSWORD);
    const tenantId = await ensureCafe(admin, app.db);

    step("Nightly step (rhythm fit, segments, RFM, pairs)…");
    const fitStarted = performance.now();
    const nightly = await withTenant(tenantId, (tx) => runNightlyAnalytics(tx), app.db);
    const fitSeconds = (performance.now() - fitStarted) / 1000;
    const fit = nightly.fit;
    step(
      `${nightly.guests.toLocaleString("en-US")} guests, ${fit?.patterns ?? 0} patterns; r ${fit?.r.toFixed(3)}, α ${fit?.alpha.toFixed(2)}, a ${fit?.a.toFixed(3)}, b ${fit?.b.toFixed(3)}; segments ${JSON.stringify(nightly.segments)}; ms by stage ${JSON.stringify(nightly.stages)}`,
    );

    const period = { timezone: TIMEZONE, locationIds: null };
    const oneLocation = await withTenant(
      tenantId,
      (tx) => tx.execute<{ id: string }>(sql`select id from locations order by slug limit 1`),
      app.db,
    );
    const locationId = oneLocation[0]?.id ?? "";
    const [heavy] = await withTenant(
      tenantId,
      (tx) => tx.execute<{ id: string }>(sql`select guest_id as id from guest_stats order by visits desc limit 1`),
      app.db,
    );
    const guestId = heavy?.id ?? "";
    const scope = { staffLocationIds: [] as string[] };

    console.log("");
    console.log(`${"query".padEnd(42)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)}`);
    const results: Measured[] = [];
    const month = { kind: "month" as const };
    results.push(await measure("dashboard today", app.db, tenantId, (tx) => DASHBOARD_QUERIES.today(tx, period)));
    results.push(
      await measure("dashboard figures (month vs previous)", app.db, tenantId, (tx) =>
        DASHBOARD_QUERIES.figures(tx, { ...period, period: month }),
      ),
    );
    results.push(
      await measure("dashboard figures (one location)", app.db, tenantId, (tx) =>
        DASHBOARD_QUERIES.figures(tx, { ...period, locationIds: [locationId], period: month }),
      ),
    );
    results.push(
      await measure("dashboard heatmap", app.db, tenantId, (tx) =>
        DASHBOARD_QUERIES.heatmap(tx, { ...period, period: month }),
      ),
    );
    results.push(
      await measure("dashboard cohorts", app.db, tenantId, (tx) =>
        DASHBOARD_QUERIES.cohorts(tx, { ...period, period: month }),
      ),
    );
    results.push(
      await measure("dashboard guest base", app.db, tenantId, (tx) => DASHBOARD_QUERIES.guestBase(tx, period)),
    );
    results.push(
      await measure("dashboard products and pairs", app.db, tenantId, (tx) =>
        DASHBOARD_QUERIES.products(tx, { ...period, period: month }),
      ),
    );
    results.push(await measure("dashboard survey", app.db, tenantId, (tx) => DASHBOARD_QUERIES.survey(tx, period)));
    results.push(
      await measure("dashboard survey comments", app.db, tenantId, (tx) =>
        DASHBOARD_QUERIES.comments(tx, { ...period, page: 1 }),
      ),
    );
    results.push(await measure("guests: first page", app.db, tenantId, (tx) => listGuests(tx, { ...scope })));
    results.push(
      await measure("guests: sleeping, by spend, one location", app.db, tenantId, (tx) =>
        listGuests(tx, { ...scope, segment: "sleeping", locationId, sort: "spend", direction: "desc" }),
      ),
    );
    results.push(
      await measure("guests: search by name", app.db, tenantId, (tx) => listGuests(tx, { ...scope, q: "Иванова" })),
    );
    // Page 500 by keyset: the cursor of page 500 is found once by walking, then that page is timed.
    let cursor: string | undefined;
    for (let page = 1; page < 500; page++) {
      const next = await withTenant(tenantId, (tx) => listGuests(tx, { ...scope, cursor }), app.db);
      cursor = next.nextCursor ?? undefined;
      if (!cursor) break;
    }
    results.push(await measure("guests: page 500", app.db, tenantId, (tx) => listGuests(tx, { ...scope, cursor })));
    results.push(await measure("guest card", app.db, tenantId, (tx) => guestCard(tx, { ...scope, guestId })));
    results.push(
      await measure("guest card timeline (first page)", app.db, tenantId, (tx) =>
        guestTimeline(tx, { ...scope, guestId }),
      ),
    );

    const worst = results.reduce((p, q) => (q.p95 > p.p95 ? q : p));
    console.log("");
    console.log(
      `targets: every query p95 ≤ ${TARGETS.p95Ms} ms ${worst.p95 <= TARGETS.p95Ms ? "ok" : "MISSED"}; rhythm fit ≤ ${TARGETS.fitSeconds} s ${fitSeconds <= TARGETS.fitSeconds ? "ok" : "MISSED"}`,
    );
    console.log(`worst p95: ${worst.p95.toFixed(1)} ms (${worst.name})`);
    console.log(`rhythm fit: ${fitSeconds.toFixed(1)} s`);
  } finally {
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
