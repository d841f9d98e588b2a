// npm run zerno -- <command>: the operator's CLI. Uses DATABASE_URL, or the embedded PostgreSQL
// under DATA_DIR (the running demo's, if one is up). Results go to stdout, progress to stderr.
import { createReadStream } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { type Database, openDatabase, withTenant } from "@/db/client";
import { tenants } from "@/db/schema";
import { seed } from "@/db/seed";
import { EnvError, env } from "../env";
import { AppError } from "../errors";
import { undoBatch } from "../guests/import/batches";
import { PRESET_IDS, type PresetId } from "../guests/import/presets";
import { importGuestFile } from "../guests/import/run";
import { grantBirthdayBonuses } from "../loyalty/birthday";
import { expireInactivePoints } from "../loyalty/expiry";
import { releaseExpiredHolds } from "../loyalty/sweeper";
import { createPosKey, listPosKeys, revokePosKey } from "../pos/keys";
import { tenantsReport } from "../tenants/report";
import { backupDatabase, defaultBackupFile, restoreDatabase } from "./backup";
import { openOpsDatabase } from "./database";
import { ledgerMismatches } from "./ledger-check";

const USAGE = `Usage: npm run zerno -- <command> [options]

Commands:
  migrate                                   apply the committed migrations
  seed                                      create the demo tenants (idempotent)
  tenants list                              list tenants: plan, subscription status, access, open
                                            locations and last receipt (UTC)
  pos-keys create --tenant T --location L [--name N]
                                            create a POS key; the key alone is the last line of stdout
  pos-keys list --tenant T                  list a tenant's keys (prefixes, never the keys)
  pos-keys revoke --tenant T --key ID|PREFIX
                                            revoke a key; it answers 401 from then on
  backup [FILE] [--format pg_dump|zerno]    a consistent backup of the whole database (default file:
                                            DATA_DIR/backups/zerno-<UTC time>.dump|.zbak); pg_dump's custom
                                            format when a pg_dump as new as the server is found (PG_BIN_DIR,
                                            PATH), else Zerno's own
  restore FILE                              restore a backup into the empty database (DATABASE_URL's, or a
                                            fresh DATA_DIR's embedded one), then apply newer migrations
  check-ledger                              compare every guest's balance with the sum of their ledger;
                                            exits 1 on any mismatch
  release-holds                             release holds whose time ran out (the server does it every 30 s)
  expire-points                             expire the points of guests inactive past the program's limit
  birthday-bonuses                          give the birthday bonus to guests in their birthday week
                                            (once per birthday year; the server does it every hour)
  import-guests --tenant T FILE [--preset P] [--balance add|set] [--tier carry|recompute] [--apply]
                                            bring guests and points over from a CSV or XLSX file: a dry
                                            run (its report on stdout), applied with --apply; presets
                                            generic, uds, premium_bonus, iiko_card, loyverse, square
                                            (guessed from the header when not given)
  import-guests --tenant T --undo BATCH     undo an applied import (while no guest has spent points since)
`;

const OPERATOR = { actorKind: "system" as const, actorUserId: null };

type Options = {
  tenant?: string;
  location?: string;
  name?: string;
  key?: string;
  file?: string;
  preset?: string;
  balance?: string;
  tier?: string;
  apply?: boolean;
  undo?: string;
};

const commands: Record<string, (db: Database, admin: Database, options: Options) => Promise<number>> = {
  migrate: async () => {
    console.log("Migrations applied.");
    return 0;
  },
  seed: async (db) => {
    const result = await seed(db);
    for (const tenant of result.tenants)
      console.log(`${tenant.slug}\t${tenant.created ? "created" : "already present"}`);
    return 0;
  },
  "tenants list": async (_db, admin) => {
    const rows = await tenantsReport(admin);
    console.log(["slug", "name", "plan", "status", "access", "locations", "last receipt"].join("\t"));
    for (const row of rows) {
      const last = row.lastReceiptAt ? row.lastReceiptAt.toISOString().slice(0, 16).replace("T", " ") : "—";
      console.log([row.slug, row.name, row.plan, row.status, row.access, row.locations, last].join("\t"));
    }
    return 0;
  },
  "pos-keys create": async (db, _admin, options) => {
    const tenantId = await requireTenant(db, options.tenant);
    const location = required(options.location, "--location");
    const created = await withTenant(
      tenantId,
      (tx) =>
        createPosKey(tx, {
          tenantId,
          locationSlug: location,
          name: options.name ?? `POS ${location}`,
          actor: OPERATOR,
        }),
      db,
    );
    console.error(
      `Created key ${created.id} (${created.prefix}…) for ${options.tenant}/${location}. It is shown once:`,
    );
    console.log(created.key);
    return 0;
  },
  "pos-keys list": async (db, _admin, options) => {
    const tenantId = await requireTenant(db, options.tenant);
    const keys = await withTenant(tenantId, (tx) => listPosKeys(tx), db);
    for (const key of keys) {
      const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : "active";
      const lastUsed = key.lastUsedAt ? key.lastUsedAt.toISOString() : "never used";
      console.log([key.id, `${key.prefix}…`, key.location, key.name, state, lastUsed].join("\t"));
    }
    return 0;
  },
  "pos-keys revoke": async (db, _admin, options) => {
    const tenantId = await requireTenant(db, options.tenant);
    const key = required(options.key, "--key");
    const revoked = await withTenant(tenantId, (tx) => revokePosKey(tx, { tenantId, key, actor: OPERATOR }), db);
    console.log(`Revoked ${revoked.id} (${revoked.prefix}…, ${revoked.name}).`);
    return 0;
  },
  "release-holds": async (db) => {
    console.log(`${await releaseExpiredHolds(db)} guests' expired holds released.`);
    return 0;
  },
  "expire-points": async (db) => {
    for (const [slug, count] of Object.entries(await expireInactivePoints(db))) console.log(`${slug}\t${count}`);
    return 0;
  },
  "birthday-bonuses": async (db) => {
    for (const [slug, count] of Object.entries(await grantBirthdayBonuses(db))) console.log(`${slug}\t${count}`);
    return 0;
  },
  "import-guests": (db, _admin, options) => importGuests(db, options),
  "check-ledger": async (_db, admin) => {
    const { guests, mismatches } = await ledgerMismatches(admin);
    for (const row of mismatches) {
      console.log(`MISMATCH ${row.slug} guest ${row.guest_id}: balance ${row.balance}, ledger ${row.ledger_sum}`);
    }
    console.log(`${guests} guests checked, ${mismatches.length} mismatches.`);
    return mismatches.length === 0 ? 0 : 1;
  },
};

/** `import-guests`: the same upload, dry run and apply as the back-office, with a bar on stderr. */
async function importGuests(db: Database, options: Options): Promise<number> {
  const tenantId = await requireTenant(db, options.tenant);
  if (options.undo) {
    const undone = await withTenant(tenantId, (tx) => undoBatch(tx, tenantId, options.undo ?? "", OPERATOR_ACTOR), db);
    console.log(
      `Undone: ${undone.guests} guests, ${undone.points} points taken back, ${undone.removed} guests removed.`,
    );
    return 0;
  }
  const file = required(options.file, "FILE");
  const preset = options.preset;
  if (preset !== undefined && !(PRESET_IDS as readonly string[]).includes(preset)) {
    throw new AppError("invalid_request", `--preset must be one of ${PRESET_IDS.join(", ")}`);
  }
  const bar = progressBar();
  const result = await importGuestFile(db, {
    tenantId,
    fileName: path.basename(file),
    source: createReadStream(file),
    preset: preset as PresetId | undefined,
    balanceMode: options.balance === "set" ? "set" : "add",
    tierMode: options.tier === "recompute" ? "recompute" : "carry",
    apply: options.apply === true,
    actor: OPERATOR_ACTOR,
    onProgress: bar.draw,
  });
  bar.end();
  const report = result.report;
  console.log(`batch\t${result.batch.id}\nstatus\t${result.batch.status}\npreset\t${result.preset ?? "-"}`);
  if (report) {
    console.log(`rows\t${report.rows}\ncreate\t${report.create}\nupdate\t${report.update}\nskip\t${report.skip}`);
    console.log(`file points\t${report.fileTotal}\nskipped points\t${report.skippedTotal}`);
    for (const line of report.lines) {
      const extra = [line.value, line.otherRow ? `row ${line.otherRow}` : ""].filter(Boolean).join(" ");
      console.log(`row ${line.row ?? "-"}\t${line.kind}\t${line.reason}${extra ? `\t${extra}` : ""}`);
    }
  }
  if (result.batch.status === "applied") {
    console.log(`ledger points\t${result.batch.ledgerTotal}\treconciled\t${result.batch.reconciled ? "yes" : "no"}`);
  } else if (result.batch.status === "checked") {
    console.error("Dry run only: run again with --apply to import.");
  }
  return result.batch.status === "failed" ? 1 : 0;
}

const OPERATOR_ACTOR = { kind: "system" as const };

/** A progress bar on stderr (a line per tenth when stderr is not a terminal). */
function progressBar() {
  let lastLine = "";
  let lastTenth = "";
  return {
    draw: (phase: string, done: number, total: number) => {
      const fraction = total > 0 ? Math.min(1, done / total) : 0;
      const text =
        total > 0
          ? `${phase.padEnd(9)} [${"#".repeat(Math.round(fraction * 30)).padEnd(30, ".")}] ${Math.round(fraction * 100)}% ${done}/${total}`
          : `${phase.padEnd(9)} ${(done / 1024 / 1024).toFixed(1)} MB`;
      if (process.stderr.isTTY) {
        if (text !== lastLine) process.stderr.write(`\r${text}`);
      } else {
        const tenth = `${phase}:${Math.floor(fraction * 10)}`;
        if (total > 0 && tenth !== lastTenth) console.error(text);
        lastTenth = tenth;
      }
      lastLine = text;
    },
    end: () => {
      if (process.stderr.isTTY && lastLine) process.stderr.write("\n");
    },
  };
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new AppError("invalid_request", `${flag} is required`);
  return value;
}

async function requireTenant(db: Database, slug: string | undefined): Promise<string> {
  const [tenant] = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(eq(tenants.slug, required(slug, "--tenant")));
  if (!tenant) throw new AppError("not_found", `No tenant ${slug}`);
  return tenant.id;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      tenant: { type: "string" },
      location: { type: "string" },
      name: { type: "string" },
      key: { type: "string" },
      preset: { type: "string" },
      balance: { type: "string" },
      tier: { type: "string" },
      apply: { type: "boolean" },
      undo: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (positionals[0] === "backup" || positionals[0] === "restore") {
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    return backupOrRestore(positionals[0], positionals[1], values.format);
  }
  // import-guests takes the file as its argument.
  const name = positionals[0] === "import-guests" ? "import-guests" : positionals.join(" ");
  if (name === "import-guests") (values as Options).file = positionals[1];
  const command = commands[name];
  if (values.help || !command) {
    (command || values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const database = await openOpsDatabase(env(), { log: () => {} });
  const app = openDatabase(database.appUrl, { max: 2 });
  const admin = openDatabase(database.adminUrl, { max: 1 });
  try {
    return await command(app.db, admin.db, values);
  } finally {
    await Promise.all([app.client.end(), admin.client.end()]);
    await database.stop();
  }
}

/** backup [FILE] / restore FILE: timed, progress on stderr, the file on stdout. */
async function backupOrRestore(which: "backup" | "restore", file: string | undefined, format: string | undefined) {
  if (format !== undefined && format !== "pg_dump" && format !== "zerno") {
    throw new AppError("invalid_request", "--format is pg_dump or zerno");
  }
  if (which === "restore" && !file) throw new AppError("invalid_request", "restore needs the backup FILE");
  const config = env();
  // A restore needs the database as empty as it is: no migrations before it.
  const database = await openOpsDatabase(config, { log: () => {}, migrate: which === "backup" });
  const started = performance.now();
  try {
    if (which === "backup") {
      const folder = path.join(path.resolve(config.DATA_DIR), "backups");
      const made = await backupDatabase(database.adminUrl, file ?? ((chosen) => defaultBackupFile(folder, chosen)), {
        format,
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const rows = made.format === "zerno" ? `, ${made.tables} tables, ${made.rows} rows` : "";
      console.error(`Backup (${made.format}) in ${seconds} s: ${(made.bytes / 1e6).toFixed(2)} MB${rows}.`);
      console.log(made.file);
    } else {
      const restored = await restoreDatabase(database.adminUrl, path.resolve(file ?? ""), {
        appPassword: database.appPassword,
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const rows = restored.format === "zerno" ? `: ${restored.tables} tables, ${restored.rows} rows` : "";
      console.log(`Restored (${restored.format}) in ${seconds} s${rows}. Check it: npm run zerno -- check-ledger`);
    }
    return 0;
  } finally {
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof AppError || error instanceof EnvError ? `Error: ${error.message}` : error);
    process.exit(1);
  },
);
