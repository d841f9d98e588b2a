// npm run bench:backup — how long a backup and its restore take (server/ops/backup.ts, the format
// `npm run zerno -- backup` picks) for the demo and for a café with a million receipts. On a
// throw-away database — an embedded PostgreSQL in a temp folder, or with DATABASE_URL a database of
// its own on that server (dropped afterwards) — it migrates and seeds the demo, times a backup into a
// temp file and its restore into a new empty database, and checks the restored one: every table's
// row count equals the source's, the ledger check passes, the job queue (pgboss, made by the
// migration step) works. Then it adds receipts to the demo café «Зерно» in bulk SQL (with their
// lines, accrual ledger entries and guests' balances, as the POS path leaves them; plus a guest per
// ten new receipts) until the database holds `--receipts` (1 000 000), analyses, and does it again.
// Last line: `backup: demo <s> s / restore <s> s, 1M receipts <s> s / restore <s> s`.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import PgBoss from "pg-boss";
import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { startEmbeddedPostgres } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { QUEUE_SCHEMA } from "@/db/queue/install";
import { QUEUES } from "@/db/queue/queues";
import { seed } from "@/db/seed";
import { APP_ROLE, appDatabaseUrl, deriveAppUrl, env } from "../env";
import { backupDatabase, restoreDatabase } from "./backup";
import { insertSyntheticGuests, insertSyntheticReceipts, numberGuests, numberLocations, progress } from "./bench-data";
import { ledgerMismatches } from "./ledger-check";

const { values: args } = parseArgs({ options: { receipts: { type: "string", default: "1000000" } } });
const RECEIPTS = Number(args.receipts);
if (!Number.isInteger(RECEIPTS) || RECEIPTS <= 0) throw new Error(`--receipts wants a positive whole number`);
const CAFE = "demo";
const APP_PASSWORD = "bench-backup";
const CHUNK = 50_000;
const DAYS = 365;
const GUESTS_PER_RECEIPTS = 10;

const step = (message: string) => console.log(`[bench] ${message}`);
const seconds = (since: number) => (performance.now() - since) / 1000;
const count = (n: number) => n.toLocaleString("en-US");

/** Work to undo on the way out (newest first), also after a failure or Ctrl-C. */
const cleanups: (() => Promise<unknown> | unknown)[] = [];
let cleaning: Promise<void> | undefined;
/** Runs the clean-ups once, however many ways out (a failure and Ctrl-C) ask for it. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    // Connections to a server Ctrl-C has already stopped may throw from a timer: no reason to stop cleaning.
    process.on("uncaughtException", (error) => console.error(`[bench] while cleaning up: ${error.message}`));
    while (cleanups.length > 0) {
      try {
        await cleanups.pop()?.();
      } catch (error) {
        console.error(`[bench] cleaning up: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return cleaning;
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Row counts of every table in `schema`, by name. */
async function rowCounts(url: string, schema: string): Promise<Map<string, number>> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await client<{ name: string }[]>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${schema} and c.relkind = 'r' order by 1`;
    const counts = new Map<string, number>();
    for (const { name } of tables) {
      const [row] = await client.unsafe<{ n: number }[]>(`select count(*)::int as n from "${schema}"."${name}"`);
      counts.set(name, row?.n ?? 0);
    }
    return counts;
  } finally {
    await client.end();
  }
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((sum, n) => sum + n, 0);

/** A job queue handle on `url` that only sends and fetches (no schema changes, schedules or supervision). */
async function withBoss<T>(url: string, use: (boss: PgBoss) => Promise<T>): Promise<T> {
  const boss = new PgBoss({
    connectionString: url,
    schema: QUEUE_SCHEMA,
    max: 1,
    migrate: false,
    schedule: false,
    supervise: false,
  });
  boss.on("error", () => {});
  await boss.start();
  try {
    return await use(boss);
  } finally {
    await boss.stop({ graceful: false });
  }
}

const PROBE_QUEUE = QUEUES[0]?.name ?? "";

/** A job waiting (for tomorrow) in the source, to see whether a restore brings waiting jobs back. */
function sendWaitingJob(url: string, label: string): Promise<string> {
  return withBoss(url, async (boss) => {
    // A key of its own: the queue is "stately" (one waiting job per key).
    const id = await boss.send(
      PROBE_QUEUE,
      { bench: "backup" },
      { singletonKey: `bench-backup-${label}`, startAfter: new Date(Date.now() + 86_400_000) },
    );
    if (!id) throw new Error(`Could not enqueue a job in ${PROBE_QUEUE}`);
    return id;
  });
}

/** Whether the waiting job came back, and that a job can be sent, fetched and completed; the app role's grants. */
async function checkJobQueue(url: string, waitingJobId: string): Promise<{ waitingJobKept: boolean }> {
  const waitingJobKept = await withBoss(url, async (boss) => {
    const kept = (await boss.getJobById(PROBE_QUEUE, waitingJobId)) !== null;
    const id = await boss.send(PROBE_QUEUE, { bench: "backup" }, { singletonKey: "bench-backup-check" });
    const [job] = await boss.fetch(PROBE_QUEUE);
    if (!id || job?.id !== id)
      throw new Error(`The restored job queue did not hand back the job sent to ${PROBE_QUEUE}`);
    await boss.complete(PROBE_QUEUE, id);
    return kept;
  });
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [grant] = await client<{ ok: boolean }[]>`
      select has_table_privilege(${APP_ROLE}, ${`${QUEUE_SCHEMA}.job`}, 'insert') as ok`;
    if (!grant?.ok) throw new Error(`The app role may not write ${QUEUE_SCHEMA}.job in the restored database`);
  } finally {
    await client.end();
  }
  return { waitingJobKept };
}

type Measured = { backupSeconds: number; restoreSeconds: number };

/** Backs `sourceUrl` up into `folder`, restores it into a new database and checks that one. */
async function measure(
  label: string,
  server: { url: (name: string) => string; admin: postgres.Sql; prefix: string },
  sourceUrl: string,
  folder: string,
): Promise<Measured> {
  const source = await rowCounts(sourceUrl, "public");
  const waitingJobId = await sendWaitingJob(sourceUrl, label);
  step(
    `${label}: ${count(total(source))} rows in ${source.size} tables (${count(source.get("receipts") ?? 0)} receipts)`,
  );

  const file = path.join(folder, `${label}.backup`);
  const backupStarted = performance.now();
  const made = await backupDatabase(sourceUrl, file);
  const backupSeconds = seconds(backupStarted);
  console.log(`${label} backup format: ${made.format}`);
  console.log(`${label} backup file: ${(made.bytes / 1e6).toFixed(1)} MB`);
  console.log(`${label} backup: ${backupSeconds.toFixed(1)} s`);

  const restoredName = `${server.prefix}_${label.replace(/\W/g, "_")}_restored`;
  await server.admin.unsafe(`create database "${restoredName}"`);
  cleanups.push(() => server.admin.unsafe(`drop database if exists "${restoredName}" with (force)`));
  const restoredUrl = server.url(restoredName);
  const restoreStarted = performance.now();
  await restoreDatabase(restoredUrl, file);
  const restoreSeconds = seconds(restoreStarted);
  console.log(`${label} restore: ${restoreSeconds.toFixed(1)} s`);
  rmSync(file, { force: true });

  const restored = await rowCounts(restoredUrl, "public");
  const differing = [...new Set([...source.keys(), ...restored.keys()])].filter(
    (table) => source.get(table) !== restored.get(table),
  );
  if (differing.length > 0) {
    throw new Error(
      `${label}: row counts differ after the restore: ${differing.map((t) => `${t} ${source.get(t)} → ${restored.get(t)}`).join(", ")}`,
    );
  }
  const database = openDatabase(restoredUrl, { max: 1 });
  try {
    const ledger = await ledgerMismatches(database.db);
    if (ledger.mismatches.length > 0) {
      throw new Error(
        `${label}: ${ledger.mismatches.length} guests' balances differ from their ledgers after the restore`,
      );
    }
    console.log(
      `${label} restored: ${count(total(restored))} rows in ${restored.size} tables equal, ledger of ${count(ledger.guests)} guests balanced`,
    );
  } finally {
    await database.client.end();
  }
  const queue = await checkJobQueue(restoredUrl, waitingJobId);
  console.log(
    `${label} job queue (${QUEUE_SCHEMA}): works after the restore; a job waiting at the backup ${queue.waitingJobKept ? "is back" : "is not (only the public schema is in the backup)"}`,
  );
  await server.admin.unsafe(`drop database if exists "${restoredName}" with (force)`);
  return { backupSeconds, restoreSeconds };
}

/** Adds receipts (and guests) to the demo café until the database holds `target` receipts. */
async function growCafe(sourceUrl: string, target: number) {
  const client = postgres(sourceUrl, { max: 1, onnotice: () => {} });
  try {
    const [cafe] = await client<{ id: string; receipts: number }[]>`
      select t.id, (select count(*)::int from receipts) as receipts from tenants t where t.slug = ${CAFE}`;
    if (!cafe) throw new Error(`No café ${CAFE} after the seed`);
    const adding = target - cafe.receipts;
    if (adding <= 0) {
      step(`The demo already holds ${count(cafe.receipts)} receipts.`);
      return;
    }
    const guests = Math.ceil(adding / GUESTS_PER_RECEIPTS);
    step(`Adding ${count(adding)} receipts and ${count(guests)} guests to café ${CAFE}…`);
    const started = performance.now();
    const tenantId = cafe.id;
    // Bulk load as the superuser without triggers or foreign-key checks, like bench:analytics; the
    // ledger entries and balances are then written as the POS path leaves them.
    await client.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      const locations = await numberLocations(tx, tenantId);
      const [tier] = await tx<{ id: string }[]>`
        select id from loyalty_tiers where tenant_id = ${tenantId} order by min_spend limit 1`;
      await insertSyntheticGuests(tx, {
        tenantId,
        count: guests,
        days: DAYS,
        tierId: tier?.id ?? null,
        phonePrefix: "+7000",
        emailPrefix: "bench-guest",
        firstCardCode: 8_000_000_000,
        arbitraryBalances: false,
      });
      const numbered = await numberGuests(tx, tenantId);
      progress("receipts", 0, adding);
      for (let from = 0; from < adding; from += CHUNK) {
        const to = Math.min(adding, from + CHUNK);
        await insertSyntheticReceipts(tx, {
          tenantId,
          from,
          to,
          total: adding,
          days: DAYS,
          guests: numbered,
          locations,
          redeemEvery: 0,
          withResponse: true,
        });
        progress("receipts", to, adding);
      }
      await tx`
        insert into ledger_entries (tenant_id, guest_id, kind, delta, receipt_id, created_at)
        select tenant_id, guest_id, 'accrual', points_earned, id, occurred_at from receipts
        where tenant_id = ${tenantId} and external_id like 'B-%' and guest_id is not null and points_earned <> 0`;
      await tx`
        update guests g set balance = g.balance + v.points, lifetime_paid = g.lifetime_paid + v.paid,
          last_visit_at = greatest(g.last_visit_at, v.last), updated_at = now()
        from (select guest_id, sum(points_earned)::int as points, sum(total)::bigint as paid, max(occurred_at) as last
              from receipts where tenant_id = ${tenantId} and external_id like 'B-%' and guest_id is not null group by 1) v
        where g.tenant_id = ${tenantId} and g.id = v.guest_id`;
    });
    step(`Generated in ${seconds(started).toFixed(0)} s; analysing…`);
    await client`analyze`;
  } finally {
    await client.end();
  }
}

async function main() {
  const benchStarted = performance.now();
  const folder = mkdtempSync(path.join(os.tmpdir(), "zerno-bench-backup-"));
  const removeFolders = () => {
    for (const made of [folder, `${folder}-pg`]) rmSync(made, { recursive: true, force: true });
  };
  // Also on any way out the clean-ups do not reach (the folders only; a database of DATABASE_URL's server
  // is dropped by the clean-ups).
  process.once("exit", removeFolders);
  cleanups.push(removeFolders);
  const prefix = `zerno_bench_backup_${process.pid}`;
  const external = env().DATABASE_URL;
  let serverUrl: string;
  let sourceName: string;
  if (external) {
    step(`Using the server of DATABASE_URL: databases ${prefix}_*, dropped afterwards.`);
    serverUrl = external;
    sourceName = `${prefix}_source`;
  } else {
    // Beside the temp folder, not in it: initdb (run as the `postgres` user) cannot enter a 0700 folder of root's.
    const dataDir = `${folder}-pg`;
    step(`Starting an embedded PostgreSQL in ${dataDir}…`);
    sourceName = "zerno";
    const embedded = await startEmbeddedPostgres(dataDir, { database: sourceName });
    cleanups.push(() => embedded.stop());
    serverUrl = embedded.adminUrl;
  }
  const admin = postgres(databaseUrl(serverUrl, "postgres"), { max: 1, onnotice: () => {} });
  cleanups.push(() => admin.end());
  if (external) {
    await admin.unsafe(`create database "${sourceName}"`);
    cleanups.push(() => admin.unsafe(`drop database if exists "${sourceName}" with (force)`));
  }
  const sourceUrl = databaseUrl(serverUrl, sourceName);
  const server = { url: (name: string) => databaseUrl(serverUrl, name), admin, prefix };

  step("Migrating and seeding the demo…");
  // The seed runs as the app role, under row-level security like the demo's (as the superuser one
  // of its joins would see the other café's products). On DATABASE_URL's server the role keeps the
  // password the app uses (APP_DATABASE_URL / APP_DB_PASSWORD): a benchmark must not change it.
  await migrateDatabase(sourceUrl, external ? undefined : APP_PASSWORD);
  const appUrl = external ? databaseUrl(appDatabaseUrl(), sourceName) : deriveAppUrl(sourceUrl, APP_PASSWORD);
  const seeding = openDatabase(appUrl, { max: 2 });
  try {
    await seed(seeding.db);
  } finally {
    await seeding.client.end();
  }
  const demo = await measure("demo", server, sourceUrl, folder);

  await growCafe(sourceUrl, RECEIPTS);
  const large = await measure("large", server, sourceUrl, folder);

  step(`Done in ${seconds(benchStarted).toFixed(0)} s.`);
  const receipts = RECEIPTS === 1_000_000 ? "1M" : `${count(RECEIPTS)}`;
  const s = (value: number) => value.toFixed(1);
  console.log(
    `backup: demo ${s(demo.backupSeconds)} s / restore ${s(demo.restoreSeconds)} s, ${receipts} receipts ${s(large.backupSeconds)} s / restore ${s(large.restoreSeconds)} s`,
  );
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`[bench] ${signal}: cleaning up…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .then(
    () => 0,
    (error) => {
      console.error(error);
      return 1;
    },
  )
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  });
