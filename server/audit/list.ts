import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { localDayRange } from "@/server/orders/slots";

export type AuditFilter = {
  actorUserId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
};

export type AuditRow = {
  id: string;
  source: "change" | "security";
  createdAt: Date;
  actorEmail: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  meta: unknown;
};

/**
 * The café's audit trail, newest first, a page at a time: its own changes (audit_log, RLS-bound)
 * and the security events (sign-ins, 2FA) of the people on its team that happened in this café
 * or named none (a sign-in at another café of theirs is that café's business).
 */
export async function listAudit(tx: Tx, filter: AuditFilter): Promise<{ rows: AuditRow[]; total: number }> {
  const conditions = [sql`true`];
  if (filter.actorUserId) conditions.push(sql`e.actor_user_id = ${filter.actorUserId}`);
  if (filter.action) conditions.push(sql`e.action = ${filter.action}`);
  if (filter.from) conditions.push(sql`e.created_at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to) conditions.push(sql`e.created_at < ${filter.to.toISOString()}::timestamptz`);
  const where = sql.join(conditions, sql` and `);
  const events = sql`(
    select 'change' as source, a.id::text as id, a.created_at, a.actor_user_id, a.action,
           nullif(concat_ws(' ', a.target_type, a.target_id), '') as target, a.ip, a.meta
    from audit_log a
    union all
    select 'security', s.id::text, s.created_at, s.user_id, s.action, null, s.ip, s.meta
    from security_events s
    -- The team's events in this café, or in none; never what they did at another café.
    where s.user_id in (select user_id from memberships)
      and (s.in_tenant_id is null or s.in_tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  ) e`;
  const rows = await tx.execute<{
    id: string;
    source: "change" | "security";
    created_at: string;
    email: string | null;
    action: string;
    target: string | null;
    ip: string | null;
    meta: unknown;
    total: number;
  }>(sql`
    select e.id, e.source, e.created_at, u.email, e.action, e.target, e.ip, e.meta, count(*) over ()::int as total
    from ${events} left join users u on u.id = e.actor_user_id
    where ${where}
    order by e.created_at desc, e.id desc
    limit ${filter.pageSize} offset ${filter.page * filter.pageSize}`);
  return {
    total: rows[0]?.total ?? (filter.page === 0 ? 0 : await countAudit(tx, where, events)),
    rows: rows.map((row) => ({
      id: `${row.source}:${row.id}`,
      source: row.source,
      createdAt: new Date(row.created_at),
      actorEmail: row.email,
      action: row.action,
      target: row.target,
      ip: row.ip,
      meta: row.meta,
    })),
  };
}

async function countAudit(tx: Tx, where: ReturnType<typeof sql>, events: ReturnType<typeof sql>) {
  const [row] = await tx.execute<{ total: number }>(sql`select count(*)::int as total from ${events} where ${where}`);
  return row?.total ?? 0;
}

/** What the audit page's address may say (each value as typed, or anything else). */
export type AuditSearch = { person?: string; action?: string; from?: string; to?: string; page?: string };

const EARLIEST = new Date("2000-01-01T00:00:00Z");
const LATEST = new Date("2200-01-01T00:00:00Z");
const LAST_PAGE = 100_000;

/** What the audit list takes (the router's input; the page's address is held to it as well). */
export const auditListInput = z.object({
  actorUserId: z.uuid().optional(),
  // No control characters (PostgreSQL refuses a NUL in text); dates PostgreSQL can take.
  action: z
    .string()
    .max(100)
    .regex(/^\P{Cc}*$/u)
    .optional(),
  from: z.coerce.date().min(EARLIEST).max(LATEST).optional(),
  to: z.coerce.date().min(EARLIEST).max(LATEST).optional(),
  page: z.number().int().min(0).max(LAST_PAGE).default(0),
  pageSize: z.number().int().min(10).max(200).default(50),
});

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day YYYY-MM-DD as typed, or nothing for anything else (5-digit years, 2026-02-31). */
function dayOf(value: string | undefined): string | undefined {
  const match = value ? DAY.exec(value) : null;
  if (!match) return undefined;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  // 2026-02-31 rolls over to March: not a day anyone typed.
  return day.toISOString().slice(0, 10) === value ? value : undefined;
}

/** `value` when the list's input takes it for `field`, else nothing. */
function accepted<T>(field: "actorUserId" | "from" | "to", value: T | undefined): T | undefined {
  return value !== undefined && auditListInput.shape[field].safeParse(value).success ? value : undefined;
}

/**
 * The filter an audit page address asks for: a value the list's input would refuse (an edited
 * address, a year typed with six digits or before 2000) is left out rather than failing the page;
 * an action is cut to what the input takes, a page number to the last one. Days are the café's
 * (`timeZone`): "from" starts at its midnight there, the "to" day is inclusive up to the next one.
 */
export function auditFilterOf(search: AuditSearch, pageSize: number, timeZone: string): AuditFilter {
  const from = dayOf(search.from);
  const to = dayOf(search.to);
  // Control characters (a NUL) cannot be in any action name and PostgreSQL refuses them in text.
  const action = search.action
    ?.replace(/\p{Cc}/gu, "")
    .trim()
    .slice(0, 100);
  return {
    actorUserId: accepted("actorUserId", search.person),
    action: action || undefined,
    from: accepted("from", from ? localDayRange(from, timeZone).from : undefined),
    to: accepted("to", to ? localDayRange(to, timeZone).to : undefined),
    page: Math.min(LAST_PAGE, Math.max(0, Number.parseInt(search.page ?? "0", 10) || 0)),
    pageSize,
  };
}
