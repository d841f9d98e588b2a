import { asc, eq, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guests, loyaltyTiers, tenants } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { decimalMoney } from "../money";

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
] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = value instanceof Date ? value.toISOString() : String(value);
  // Quote always; a leading = + - @ tab or carriage return is neutralised (OWASP, CSV injection) so
  // a spreadsheet never runs it as a formula — names brought by a guest import may start so.
  // Numbers and phone numbers such as +79161234567 or -20 are left as they are.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+$/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** The guest list as CSV (personal data: the export itself is audited, in the same transaction). */
export async function exportGuestsCsv(tx: Tx, input: { tenantId: string; actorUserId: string; ip: string | null }) {
  const rows = await tx
    .select({
      id: guests.id,
      name: guests.name,
      phone: guests.phone,
      email: guests.email,
      birthday: guests.birthday,
      card_code: guests.cardCode,
      tier: loyaltyTiers.name,
      balance_points: guests.balance,
      lifetimePaidMinor: guests.lifetimePaid,
      currency: tenants.currency,
      marketing_opt_in: guests.marketingOptIn,
      last_visit_at: guests.lastVisitAt,
      created_at: guests.createdAt,
    })
    .from(guests)
    .innerJoin(loyaltyTiers, eq(loyaltyTiers.id, guests.tierId))
    .innerJoin(tenants, eq(tenants.id, guests.tenantId))
    .where(isNull(guests.deletedAt))
    .orderBy(asc(guests.createdAt));
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actorUserId,
    ip: input.ip,
    action: "guests.exported",
    targetType: "guests",
    meta: { count: rows.length },
  });
  // Money as a spreadsheet reads it: major units with two decimals beside the currency (1 point = 100 minor units).
  const cells = rows.map(({ lifetimePaidMinor, ...row }) => ({
    ...row,
    lifetime_paid: decimalMoney(lifetimePaidMinor),
  }));
  const lines = [COLUMNS.join(","), ...cells.map((row) => COLUMNS.map((column) => csvCell(row[column])).join(","))];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
