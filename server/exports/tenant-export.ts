import { createHash } from "node:crypto";
import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { Zip, ZipDeflate } from "fflate";
import postgres from "postgres";
import { type Database, type Tx, withTenant } from "@/db/client";
import { dataExportChunks, dataExports } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { can, type Role } from "../auth/permissions";
import { AppError } from "../errors";
import { logger } from "../log";

/** Archives are kept this long, then removed when the café next exports. */
export const EXPORT_KEEP_DAYS = 7;
/** A running export whose heartbeat is older than this died with its server. */
const STALE_MINUTES = 5;
const CHUNK_BYTES = 1024 * 1024;
/** The export's own tables are not in it. */
const NOT_EXPORTED = new Set(["data_exports", "data_export_chunks"]);
/** Secrets are never exported (a guest's QR secret, key and link hashes): they open nothing outside Zerno. */
const SECRET_COLUMNS: Record<string, string[]> = {
  guests: ["qr_secret"],
  pos_api_keys: ["key_hash"],
  staff_invitations: ["token_hash"],
  welcome_bonus_claims: ["identity_hash"],
  // A browser's push address and keys: whoever holds them can notify that guest's phone.
  push_subscriptions: ["endpoint", "p256dh", "auth"],
};
/** A guest's personal fields, exported for owners only (others get the column, empty). */
const PERSONAL_COLUMNS: Record<string, string[]> = {
  guests: ["name", "phone", "email", "birthday"],
  orders: ["comment"],
  survey_responses: ["answers"],
  // The guest files of imports hold names, phones and emails in their raw cells and report lines.
  guest_import_rows: ["cells"],
  guest_import_batches: ["report"],
};
/** Personal wherever they appear (an imported guest list, an invitation). */
const PERSONAL_ANYWHERE = new Set(["phone", "email", "birthday"]);

export type ExportStatus = {
  id: string;
  status: "queued" | "running" | "done" | "failed";
  withPersonalData: boolean;
  rowsDone: number;
  rowsTotal: number;
  tablesDone: number;
  tablesTotal: number;
  bytes: number | null;
  sha256: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

function isPersonal(table: string, column: string): boolean {
  return PERSONAL_ANYWHERE.has(column) || (PERSONAL_COLUMNS[table]?.includes(column) ?? false);
}

/**
 * Starts the café's full export (bound to `tx`): a job row the page polls, audited in the same
 * transaction. Guests' personal fields are in it only when an owner asks. One export at a time:
 * while one is being made, that one is answered (nothing new starts). The caller runs
 * `runTenantExport` once this transaction has committed (unless `alreadyRunning`).
 */
export async function startTenantExport(
  tx: Tx,
  input: { tenantId: string; role: Role; actor: { userId: string; ip: string | null } },
): Promise<{ exportId: string; withPersonalData: boolean; alreadyRunning: boolean }> {
  if (!can(input.role, "data.export")) throw new AppError("forbidden", "Not allowed to export", "forbidden");
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('tenant-export'), hashtext(${input.tenantId}))`);
  await tx.delete(dataExports).where(lt(dataExports.expiresAt, sql`now()`));
  const [running] = await tx
    .select({ id: dataExports.id, withPersonalData: dataExports.withPersonalData })
    .from(dataExports)
    .where(
      and(
        inArray(dataExports.status, ["queued", "running"]),
        sql`coalesce(${dataExports.heartbeatAt}, ${dataExports.createdAt}) > now() - make_interval(mins => ${STALE_MINUTES})`,
      ),
    );
  // A second click (or a colleague) while one is being made follows that one.
  if (running) return { exportId: running.id, withPersonalData: running.withPersonalData, alreadyRunning: true };
  const withPersonalData = input.role === "owner";
  const [created] = await tx
    .insert(dataExports)
    .values({ tenantId: input.tenantId, requestedBy: input.actor.userId, withPersonalData })
    .returning({ id: dataExports.id });
  if (!created) throw new Error("export insert returned nothing");
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "tenant.data_exported",
    targetType: "data_export",
    targetId: created.id,
    meta: { withPersonalData },
  });
  return { exportId: created.id, withPersonalData, alreadyRunning: false };
}

/** The café's latest export (bound to `tx`), or null; a job silent for minutes reads as failed. */
export async function latestTenantExport(tx: Tx): Promise<ExportStatus | null> {
  const [row] = await tx.select().from(dataExports).orderBy(desc(dataExports.createdAt)).limit(1);
  if (!row) return null;
  const heartbeat = row.heartbeatAt ?? row.createdAt;
  const stale =
    (row.status === "queued" || row.status === "running") &&
    Date.now() - heartbeat.getTime() > STALE_MINUTES * 60 * 1000;
  return {
    id: row.id,
    status: stale ? "failed" : (row.status as ExportStatus["status"]),
    withPersonalData: row.withPersonalData,
    rowsDone: row.rowsDone,
    rowsTotal: row.rowsTotal,
    tablesDone: row.tablesDone,
    tablesTotal: row.tablesTotal,
    bytes: row.bytes,
    sha256: row.sha256,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

type Column = { name: string; type: string; nullable: boolean };
type TableFile = { table: string; file: string; rows: number; sha256: string; columns: Column[]; withheld: string[] };

/**
 * Makes the archive of a started export: every table the café owns as CSV (PostgreSQL's CSV: a
 * header line, NULL as an empty field, an empty text as ""), read in one snapshot under the café's
 * row-level security, plus schema.md and manifest.json (row counts and SHA-256 of each file). The
 * archive is stored in pieces beside the job; progress is written as tables and rows go by.
 */
export async function runTenantExport(
  db: Database,
  input: { appUrl: () => string; tenantId: string; exportId: string },
): Promise<void> {
  const progress = (values: PgUpdateSetSource<typeof dataExports>) =>
    withTenant(
      input.tenantId,
      (tx) =>
        tx
          .update(dataExports)
          .set({ ...values, heartbeatAt: sql`now()` })
          .where(eq(dataExports.id, input.exportId)),
      db,
    );
  const [job] = await withTenant(
    input.tenantId,
    (tx) => tx.select().from(dataExports).where(eq(dataExports.id, input.exportId)),
    db,
  );
  if (job?.status !== "queued") return;
  await progress({ status: "running" });
  // Its own connection: one snapshot for the whole archive, while progress is written beside it.
  let reader: postgres.Sql | undefined;
  const archive = createHash("sha256");
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let seq = 0;
  let bytes = 0;
  const flush = async (all: boolean) => {
    while (pendingBytes >= CHUNK_BYTES || (all && pendingBytes > 0)) {
      const data = Buffer.concat(pending);
      const piece = data.subarray(0, Math.min(CHUNK_BYTES, data.length));
      const rest = data.subarray(piece.length);
      pending = rest.length > 0 ? [rest] : [];
      pendingBytes = rest.length;
      const index = seq++;
      await withTenant(
        input.tenantId,
        (tx) =>
          tx
            .insert(dataExportChunks)
            .values({ tenantId: input.tenantId, exportId: input.exportId, seq: index, data: Buffer.from(piece) }),
        db,
      );
    }
  };
  try {
    reader = postgres(input.appUrl(), { max: 1, onnotice: () => {} });
    const zip = new Zip((error, chunk) => {
      if (error) throw error;
      archive.update(chunk);
      bytes += chunk.length;
      pending.push(chunk);
      pendingBytes += chunk.length;
    });
    const addText = (name: string, text: string) => {
      const file = new ZipDeflate(name, { level: 6 });
      zip.add(file);
      file.push(new TextEncoder().encode(text), true);
    };
    const files: TableFile[] = [];
    await reader.begin("isolation level repeatable read read only", async (tx) => {
      await tx`select set_config('app.tenant_id', ${input.tenantId}, true)`;
      const tables = await tx<{ name: string; columns: Column[] }[]>`
        select c.relname as name,
          (select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                  'nullable', not a.attnotnull) order by a.attnum)
           from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r'
          and exists (select 1 from pg_attribute t where t.attrelid = c.oid and t.attname = 'tenant_id' and not t.attisdropped)
        order by c.relname`;
      const exported = tables.filter((table) => !NOT_EXPORTED.has(table.name));
      const counts = new Map<string, number>();
      for (const table of exported) {
        const [row] = await tx.unsafe<{ n: string }[]>(`select count(*) as n from "${table.name}"`);
        counts.set(table.name, Number(row?.n ?? 0));
      }
      const rowsTotal = [...counts.values()].reduce((sum, n) => sum + n, 0);
      await progress({ rowsTotal, tablesTotal: exported.length });
      let rowsDone = 0;
      for (const table of exported) {
        const secret = SECRET_COLUMNS[table.name] ?? [];
        const columns = table.columns.filter((column) => !secret.includes(column.name));
        const withheld = job.withPersonalData
          ? []
          : columns.filter((column) => isPersonal(table.name, column.name)).map((column) => column.name);
        const select = columns
          .map((column) =>
            withheld.includes(column.name) ? `null as "${column.name}"` : `"${column.name.replaceAll('"', '""')}"`,
          )
          .join(", ");
        const name = `tables/${table.name}.csv`;
        const file = new ZipDeflate(name, { level: 6 });
        zip.add(file);
        const checksum = createHash("sha256");
        const stream = await tx
          .unsafe(`copy (select ${select} from "${table.name}") to stdout with (format csv, header true)`)
          .readable();
        // Flowing, never paused (see server/ops/backup.ts: a paused COPY can leave postgres.js stuck).
        await new Promise<void>((resolve, reject) => {
          stream.on("data", (chunk: Buffer) => {
            checksum.update(chunk);
            file.push(new Uint8Array(chunk));
          });
          stream.once("end", resolve);
          stream.once("error", reject);
        });
        file.push(new Uint8Array(0), true);
        const rows = counts.get(table.name) ?? 0;
        files.push({ table: table.name, file: name, rows, sha256: checksum.digest("hex"), columns, withheld });
        rowsDone += rows;
        await flush(false);
        await progress({ rowsDone, tablesDone: files.length });
      }
    });
    addText("schema.md", schemaDocument(files, job.withPersonalData));
    addText(
      "manifest.json",
      `${JSON.stringify(
        {
          format: "zerno-cafe-export",
          version: 1,
          tenantId: input.tenantId,
          exportId: input.exportId,
          createdAt: new Date().toISOString(),
          withPersonalData: job.withPersonalData,
          csv: 'RFC 4180, UTF-8, header line; NULL is an empty field, an empty text is ""',
          tables: files.map(({ table, file, rows, sha256, columns, withheld }) => ({
            table,
            file,
            rows,
            sha256,
            columns,
            withheld,
          })),
        },
        null,
        2,
      )}\n`,
    );
    zip.end();
    await flush(true);
    await progress({
      status: "done",
      bytes,
      sha256: archive.digest("hex"),
      finishedAt: sql`now()`,
      expiresAt: sql`now() + make_interval(days => ${EXPORT_KEEP_DAYS})`,
    });
  } catch (error) {
    logger().error({ err: error, exportId: input.exportId }, "café export failed");
    await progress({ status: "failed", error: error instanceof Error ? error.message : String(error) }).catch(() => {});
  } finally {
    await reader?.end();
  }
}

function schemaDocument(files: TableFile[], withPersonalData: boolean): string {
  const lines = [
    "# The café's data",
    "",
    "Every table the café owns in Zerno, one CSV file each (tables/<table>.csv): UTF-8, RFC 4180, a header",
    'line with the column names, NULL as an empty field and an empty text as "". Times are ISO 8601 with',
    "their UTC offset; money is in minor units (kopecks, cents) of the café's currency; points are whole",
    "points. Rows refer to each other by (tenant_id, id). manifest.json has each file's row count and SHA-256.",
    "Secrets (QR secrets, key and link hashes) are never exported.",
    withPersonalData
      ? "Guests' personal fields are included (an owner's export)."
      : "Guests' personal fields are left empty (only an owner's export has them): see `withheld` below.",
    "",
  ];
  for (const file of files) {
    lines.push(`## ${file.table} (${file.rows} rows)`, "", "| column | type | null |", "|---|---|---|");
    for (const column of file.columns) {
      const note = file.withheld.includes(column.name) ? " (withheld)" : "";
      lines.push(`| ${column.name}${note} | ${column.type} | ${column.nullable ? "yes" : "no"} |`);
    }
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

/** The pieces of a finished archive, in order, for the download (bound to the café's `tx`). */
export async function exportArchive(
  tx: Tx,
  input: { exportId: string; role: Role },
): Promise<{ chunks: Buffer[]; bytes: number; createdAt: Date }> {
  const [job] = await tx.select().from(dataExports).where(eq(dataExports.id, input.exportId));
  if (job?.status !== "done") throw new AppError("not_found", "No such export", "export_not_found");
  // An archive with guests' personal data is an owner's to download.
  if (job.withPersonalData && input.role !== "owner")
    throw new AppError("not_found", "No such export", "export_not_found");
  const rows = await tx
    .select({ data: dataExportChunks.data })
    .from(dataExportChunks)
    .where(eq(dataExportChunks.exportId, job.id))
    .orderBy(dataExportChunks.seq);
  return { chunks: rows.map((row) => row.data), bytes: job.bytes ?? 0, createdAt: job.createdAt };
}
