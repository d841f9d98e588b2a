// npm run bench:import — the guest import at scale: makes a 100 000-row UDS-like CSV, then runs the dry run
// (reading the file into the import, planning every row) and the apply on a fresh café of its own embedded
// PostgreSQL (.data/bench-import, removed after), through the same code as the back-office and the CLI,
// as the app's role (row-level security on). Prints rows/s for each phase against the target (100 000 rows
// in under 60 s), checks that balance = ledger for every guest, and ends with one line:
// `import: 100000 rows, dry run <s> s, apply <s> s`.
import { createReadStream, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { startEmbeddedPostgres } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { deriveAppUrl } from "../env";
import { importGuestFile } from "../guests/import/run";
import { presetCsv, sampleGuest } from "../guests/import/testing";
import { createTenant } from "../tenants/create";

const ROWS = 100_000;
const TARGET_SECONDS = 60;
const DATA_DIR = ".data/bench-import";
const APP_PASSWORD = "bench-import";

const step = (message: string) => console.log(`[bench] ${message}`);
const rate = (rows: number, seconds: number) => `${Math.round(rows / seconds).toLocaleString("en-US")} rows/s`;

async function main() {
  rmSync(DATA_DIR, { recursive: true, force: true });
  mkdirSync(DATA_DIR, { recursive: true });
  step(`Starting a fresh embedded PostgreSQL in ${DATA_DIR}…`);
  const server = await startEmbeddedPostgres(path.join(DATA_DIR, "pg"));
  const app = openDatabase(deriveAppUrl(server.adminUrl, APP_PASSWORD), { max: 4 });
  try {
    await migrateDatabase(server.adminUrl, APP_PASSWORD);
    const { tenant } = await app.db.transaction((tx) =>
      createTenant(tx, {
        slug: "bench-import",
        name: "Bench Import",
        currency: "RUB",
        timezone: "Europe/Moscow",
        locale: "ru",
        locations: [{ slug: "main", name: "Main", address: "1 Bench Street" }],
      }),
    );
    const file = path.join(DATA_DIR, "uds-guests.csv");
    writeFileSync(
      file,
      presetCsv(
        "uds",
        Array.from({ length: ROWS }, (_, i) => sampleGuest(i + 1)),
      ),
    );
    step(`Made ${file}: ${ROWS.toLocaleString("en-US")} rows in UDS's columns.`);

    const result = await importGuestFile(app.db, {
      tenantId: tenant.id,
      fileName: path.basename(file),
      source: createReadStream(file),
      preset: "uds",
      balanceMode: "add",
      tierMode: "recompute",
      apply: true,
      actor: { kind: "system" },
    });
    if (result.batch.status !== "applied") throw new Error(`the import ended ${result.batch.status}`);
    const dryRun = result.seconds.read + result.seconds.check;
    const apply = result.seconds.apply;

    const [check] = await app.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('app.tenant_id', ${tenant.id}, true)`);
      return tx.execute<{ guests: number; mismatches: number }>(sql`
        select (select count(*)::int from guests) as guests,
               (select count(*)::int from guests g
                  left join (select guest_id, sum(delta) s from ledger_entries group by 1) l on l.guest_id = g.id
                 where g.balance <> coalesce(l.s, 0)) as mismatches`);
    });
    console.log("");
    console.log(
      `dry run   ${dryRun.toFixed(1)} s  ${rate(ROWS, dryRun)}  (reading ${result.seconds.read.toFixed(1)} s, planning ${result.seconds.check.toFixed(1)} s)`,
    );
    console.log(`apply     ${apply.toFixed(1)} s  ${rate(ROWS, apply)}`);
    console.log(
      `total     ${(dryRun + apply).toFixed(1)} s  (target: under ${TARGET_SECONDS} s) ${dryRun + apply < TARGET_SECONDS ? "ok" : "MISSED"}`,
    );
    console.log(
      `guests ${check?.guests}, balance ≠ ledger for ${check?.mismatches}; file ${result.batch.fileTotal} points, ledger ${result.batch.ledgerTotal}, reconciled ${result.batch.reconciled ? "yes" : "no"}`,
    );
    console.log(`import: ${ROWS} rows, dry run ${dryRun.toFixed(1)} s, apply ${apply.toFixed(1)} s`);
    return check?.mismatches === 0 && check.guests === ROWS ? 0 : 1;
  } finally {
    await app.client.end();
    await server.stop();
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
