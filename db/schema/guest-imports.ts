import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  foreignKey,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { at, createdAt, idColumn, tenantIdColumn } from "./columns";
import { tenants, users } from "./platform";

/**
 * One guest file brought over from the café's former loyalty system, from upload to apply (and
 * undo). It is also the job row the back-office polls: `job` names the work running on it,
 * `progressDone`/`progressTotal` how far it is, `heartbeatAt` that it is still alive.
 */
export const guestImportBatches = pgTable(
  "guest_import_batches",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    fileName: text("file_name").notNull(),
    /** SHA-256 (hex) of the file's bytes; null when the file was refused before it was read through. */
    fileSha256: text("file_sha256"),
    /** "csv" | "xlsx", as read from the content (not the name). */
    format: text("format"),
    /** The header row, as the file names its columns. */
    header: text("header").array(),
    /** Data rows (the header not counted). */
    rowCount: integer("row_count").notNull().default(0),
    /** reading → uploaded → checked → applied → undone; failed when the file cannot be imported. */
    status: text("status").notNull().default("reading"),
    /** The preset the mapping came from (generic, uds, premium_bonus, iiko_card, loyverse, square). */
    preset: text("preset"),
    /** Field → column index (0-based) of the header. */
    mapping: jsonb("mapping").$type<Record<string, number>>(),
    /** add: the file's balance is added to the guest's; set: the guest's balance becomes the file's. */
    balanceMode: text("balance_mode").notNull().default("add"),
    /** carry: the file's tier by name; recompute: from the lifetime spend in the file. */
    tierMode: text("tier_mode").notNull().default("carry"),
    /** The dry run's (then the apply's) report: counts, totals and the lines of skipped or noted rows. */
    report: jsonb("report").$type<Record<string, unknown>>(),
    /** Reconciliation, stored with the batch: points the file holds for the rows imported… */
    fileTotal: bigint("file_total", { mode: "number" }),
    /** …and what the ledger's entries of this batch add up to (set mode: plus the balances before). */
    ledgerTotal: bigint("ledger_total", { mode: "number" }),
    reconciled: boolean("reconciled"),
    /** The work running now: checking | applying | undoing; null when idle. */
    job: text("job"),
    progressDone: integer("progress_done").notNull().default(0),
    progressTotal: integer("progress_total").notNull().default(0),
    heartbeatAt: at("heartbeat_at"),
    /** Why the last job stopped (a reason code the page words), null when it ended well. */
    jobError: text("job_error"),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    appliedAt: at("applied_at"),
    undoneAt: at("undone_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // One file is applied once per café (the apply also takes a lock on the hash; this is the backstop).
    uniqueIndex("guest_import_batches_applied_file").on(t.tenantId, t.fileSha256).where(sql`${t.status} = 'applied'`),
  ],
);

/** The file's data rows as read (cells as text), kept from upload until the batch is applied. */
export const guestImportRows = pgTable(
  "guest_import_rows",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    batchId: uuid("batch_id").notNull(),
    /** The row's number as a spreadsheet shows it (the header is row 1). */
    rowNo: integer("row_no").notNull(),
    cells: text("cells").array().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.batchId, t.rowNo] }),
    foreignKey({
      columns: [t.tenantId, t.batchId],
      foreignColumns: [guestImportBatches.tenantId, guestImportBatches.id],
    }).onDelete("cascade"),
  ],
);

/** A column mapping the café saved under a name, offered for its next file. */
export const guestImportMappings = pgTable(
  "guest_import_mappings",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    name: text("name").notNull(),
    /** Field → header name (names, not positions: the next export may order its columns otherwise). */
    columns: jsonb("columns").$type<Record<string, string>>().notNull(),
    balanceMode: text("balance_mode").notNull(),
    tierMode: text("tier_mode").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), unique("guest_import_mappings_name_key").on(t.tenantId, t.name)],
);
