import { bigint, boolean, customType, foreignKey, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { at, createdAt, idColumn, tenantIdColumn } from "./columns";
import { tenants, users } from "./platform";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * A café's full export ("take all of our data and leave"): a job row the back-office polls for
 * progress while the archive is made in the background. The archive itself is kept in
 * data_export_chunks (in PostgreSQL, so any app server can hand it out) until `expires_at`.
 */
export const dataExports = pgTable(
  "data_exports",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    requestedBy: uuid("requested_by").references(() => users.id),
    /** Guests' personal fields (name, phone, email, birthday, free text) are in it: owners only. */
    withPersonalData: boolean("with_personal_data").notNull(),
    /** queued → running → done | failed */
    status: text("status").notNull().default("queued"),
    rowsTotal: bigint("rows_total", { mode: "number" }).notNull().default(0),
    rowsDone: bigint("rows_done", { mode: "number" }).notNull().default(0),
    tablesTotal: integer("tables_total").notNull().default(0),
    tablesDone: integer("tables_done").notNull().default(0),
    bytes: bigint("bytes", { mode: "number" }),
    /** SHA-256 (hex) of the whole archive. */
    sha256: text("sha256"),
    error: text("error"),
    createdAt: createdAt(),
    /** Moved on as the work goes; a running export silent for minutes died with its server. */
    heartbeatAt: at("heartbeat_at"),
    finishedAt: at("finished_at"),
    expiresAt: at("expires_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** The archive of a finished export, in pieces of about a megabyte, in order of `seq`. */
export const dataExportChunks = pgTable(
  "data_export_chunks",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    exportId: uuid("export_id").notNull(),
    seq: integer("seq").notNull(),
    data: bytea("data").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.exportId, t.seq] }),
    foreignKey({ columns: [t.tenantId, t.exportId], foreignColumns: [dataExports.tenantId, dataExports.id] }).onDelete(
      "cascade",
    ),
  ],
);
