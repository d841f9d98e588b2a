import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { recordAudit } from "../audit/record";
import { decimalMoney } from "../money";
import {
  type DirectoryFilters,
  type DirectoryScope,
  directoryClock,
  directoryFilters,
  filterConditions,
  GUESTS_WITH_STATS,
  type GuestSort,
  sortOrder,
} from "./directory";

const COLUMNS = [
  "id",
  "name",
  "phone",
  "email",
  "birthday",
  "card_code",
  "tier",
  "balance_points",
  "lifetime_paid",
  "currency",
  "marketing_opt_in",
  "last_visit_at",
  "created_at",
  "visits",
  "spend",
  "segment",
] as const;

/** Contact columns, filled only for those allowed to take guests' contacts out (guests.export_contacts). */
const CONTACT_COLUMNS = new Set<string>(["phone", "email", "birthday"]);

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = value instanceof Date ? value.toISOString() : String(value);
  // Quote always; a leading = + - @ tab or carriage return is neutralised (OWASP, CSV injection) so
  // a spreadsheet never runs it as a formula — names brought by a guest import may start so.
  // Numbers and phone numbers such as +79161234567 or -20 are left as they are.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+$/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

type Row = Record<(typeof COLUMNS)[number], unknown> & { lifetime_paid_minor: string | number; spend_minor: unknown };

export type GuestExportInput = {
  tenantId: string;
  actorUserId: string;
  ip: string | null;
  /** The guests table's filters (none: every guest the member may see) and its order. */
  filters?: DirectoryFilters;
  sort?: GuestSort;
  direction?: "asc" | "desc";
  /** Phone, email and birthday in the file; otherwise those columns stay empty. */
  withContacts: boolean;
} & Partial<DirectoryScope>;

/**
 * The guests of the table's current view as CSV (personal data: the export itself is audited in
 * the same transaction, with the filters it was made with). A member limited to locations
 * exports only their locations' guests.
 */
export async function exportGuestsCsv(tx: Tx, input: GuestExportInput): Promise<string> {
  const filters = directoryFilters.parse(input.filters ?? {});
  const scope = { staffLocationIds: input.staffLocationIds ?? [] };
  const where = filterConditions(filters, scope, await directoryClock(tx));
  const rows = await tx.execute<Row>(sql`
    select g.id, g.name, g.phone, g.email, g.birthday::text as birthday, g.card_code, t.name as tier,
           g.balance as balance_points, g.lifetime_paid as lifetime_paid_minor, c.currency,
           g.marketing_opt_in, ${iso(sql`g.last_visit_at`)} as last_visit_at, ${iso(sql`g.created_at`)} as created_at,
           coalesce(gs.visits, 0) as visits, coalesce(gs.spend, 0) as spend_minor, gs.segment
      from ${GUESTS_WITH_STATS}
      join loyalty_tiers t on t.tenant_id = g.tenant_id and t.id = g.tier_id
      join tenants c on c.id = g.tenant_id
     where ${sql.join(where, sql` and `)}
     order by ${sortOrder(input.sort ?? "lastVisit", input.direction ?? "desc")}`);
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actorUserId,
    ip: input.ip,
    action: "guests.exported",
    targetType: "guests",
    meta: { count: rows.length, filters, withContacts: input.withContacts, scopedTo: scope.staffLocationIds },
  });
  // Money as a spreadsheet reads it: major units with two decimals beside the currency (1 point = 100 minor units).
  const cells = rows.map((row) => ({
    ...row,
    lifetime_paid: decimalMoney(Number(row.lifetime_paid_minor)),
    spend: decimalMoney(Number(row.spend_minor)),
  }));
  const cell = (row: (typeof cells)[number], column: (typeof COLUMNS)[number]) =>
    !input.withContacts && CONTACT_COLUMNS.has(column) ? "" : csvCell(row[column]);
  const lines = [COLUMNS.join(","), ...cells.map((row) => COLUMNS.map((column) => cell(row, column)).join(","))];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

const iso = (column: ReturnType<typeof sql>) =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
