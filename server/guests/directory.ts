import { and, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { staffPreferences } from "@/db/schema";
import { AppError } from "../errors";
import { birthdaysAround } from "../loyalty/birthday";
import { normalizePhone } from "../loyalty/phone";
import { localDateOf } from "../orders/slots";

/**
 * The back-office guests table: one page at a time by keyset over (sort value, guest id), read
 * from guest_stats (kept by the roll-ups) beside guests. Never an OFFSET: page 500 costs what
 * page 1 costs, an index range scan from the cursor.
 *
 * Guests without a value for the sort (no visit yet, no name) come after all the others in
 * either direction, ordered by id: the query runs in two "phases", each an index-ordered range,
 * and the cursor says which phase it is in.
 */

export const GUEST_SORTS = ["lastVisit", "visits", "spend", "name", "balance"] as const;
export type GuestSort = (typeof GUEST_SORTS)[number];
export const GUEST_CHANNELS = ["pos", "online", "both"] as const;
/** guest_stats' segments (the nightly fit) and "birthday" (birthday week, from the guest's birthday). */
export const DIRECTORY_SEGMENTS = ["new", "regular", "loyal", "sleeping", "lost", "birthday"] as const;
export type DirectorySegment = (typeof DIRECTORY_SEGMENTS)[number];

/** Columns the table can show; the member's choice is kept (`guestColumns`). */
export const GUEST_COLUMNS = [
  "name",
  "phone",
  "email",
  "card",
  "tier",
  "balance",
  "visits",
  "lastVisit",
  "spend",
  "averageCheck",
  "segment",
  "pActive",
  "rhythm",
  "favourite",
  "channel",
  "marketing",
  "birthday",
  "enrolled",
] as const;
export type GuestColumn = (typeof GUEST_COLUMNS)[number];
export const DEFAULT_GUEST_COLUMNS: GuestColumn[] = [
  "name",
  "phone",
  "tier",
  "balance",
  "visits",
  "lastVisit",
  "spend",
  "segment",
  "rhythm",
];

// Years PostgreSQL's timestamptz arithmetic takes without overflow or "year 0" errors.
const localDate = z.iso.date().refine((value) => value >= "1900-01-01" && value <= "2999-12-31", "out of range");
const count = z.number().int().min(0).max(1_000_000_000);
const minorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** What narrows the list (the URL's query, validated): every field optional. */
export const directoryFilters = z.object({
  /** Name, phone (any common form), email, or card code (with or without spaces). */
  q: z.string().trim().max(100).optional(),
  segment: z.enum(DIRECTORY_SEGMENTS).optional(),
  tierId: z.uuid().optional(),
  /** Café-local dates, inclusive. */
  lastVisitFrom: localDate.optional(),
  lastVisitTo: localDate.optional(),
  visitsMin: count.optional(),
  visitsMax: count.optional(),
  /** Lifetime spend in minor units, inclusive. */
  spendMin: minorUnits.optional(),
  spendMax: minorUnits.optional(),
  /** pos: only at the till; online: only online orders; both: both. */
  channel: z.enum(GUEST_CHANNELS).optional(),
  locationId: z.uuid().optional(),
  marketing: z.boolean().optional(),
});
export type DirectoryFilters = z.infer<typeof directoryFilters>;

export const directoryPageInput = directoryFilters.extend({
  sort: z.enum(GUEST_SORTS).default("lastVisit"),
  direction: z.enum(["asc", "desc"]).default("desc"),
  /** Opaque, from a previous page's `nextCursor` / `previousCursor`. */
  cursor: z.string().max(400).optional(),
  /** Read the page before `cursor` instead of after it. */
  backward: z.boolean().optional(),
  /**
   * Jump: start at this value of the sort column instead of the top (a date for lastVisit, a
   * number for visits and balance, minor units for spend, the first letters for name).
   */
  from: z.string().trim().min(1).max(60).optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type DirectoryPageInput = z.input<typeof directoryPageInput>;

/** Who is looking: a member limited to locations sees only guests who visited one of them. */
export type DirectoryScope = {
  /** The member's locations; empty = the whole café. */
  staffLocationIds: string[];
};

export type GuestRow = {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  cardCode: string;
  tierId: string;
  balance: number;
  marketingOptIn: boolean;
  birthday: string | null;
  blocked: boolean;
  enrolledAt: string;
  visits: number;
  posVisits: number;
  onlineVisits: number;
  lastVisitAt: string | null;
  /** Minor units. */
  spend: number;
  segment: string | null;
  pActive: number | null;
  /** The guest's usual gap between visits, in days (null below two visits). */
  medianGapDays: number | null;
  favouriteName: string | null;
};

export type DirectoryPage = {
  rows: GuestRow[];
  nextCursor: string | null;
  previousCursor: string | null;
};

// ---------------------------------------------------------------------------------------------
// Sorting: each sort is one or two index-ordered phases.

type Phase = {
  /** FROM … (joins guests g and guest_stats gs). */
  from: SQL;
  /** Which rows belong to this phase. */
  where: SQL;
  /** The sort key: (value, id), or (id) alone for the tail of guests without a value. */
  value: SQL | null;
  id: SQL;
  /** The value as exact text for the cursor (timestamps to the microsecond). */
  valueText: SQL | null;
  /** How the cursor's text value is typed back in SQL, and which texts cast (an edited cursor must not be a 500). */
  cast: (text: string) => SQL;
  valid: (text: string) => boolean;
  /** Only guests without a visit (skipped when the filters need a visit). */
  visitless?: boolean;
};

const INTEGER_TEXT = /^-?\d{1,18}$/;
const ISO_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

const STATS_FIRST = sql`guest_stats gs join guests g on g.tenant_id = gs.tenant_id and g.id = gs.guest_id`;
const GUESTS_FIRST = sql`guests g left join guest_stats gs on gs.tenant_id = g.tenant_id and gs.guest_id = g.id`;

/** A timestamp as ISO text with microseconds: exact in a cursor, parseable by Date. */
const isoText = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function phasesOf(sort: GuestSort): Phase[] {
  const byId = (where: SQL, visitless: boolean): Phase => ({
    from: GUESTS_FIRST,
    where,
    value: null,
    id: sql`g.id`,
    valueText: null,
    cast: () => sql`null`,
    valid: () => false,
    visitless,
  });
  switch (sort) {
    case "lastVisit":
      return [
        {
          from: STATS_FIRST,
          where: sql`gs.last_visit_at is not null`,
          value: sql`gs.last_visit_at`,
          id: sql`gs.guest_id`,
          valueText: isoText(sql`gs.last_visit_at`),
          cast: (text) => sql`${text}::timestamptz`,
          valid: (text) => ISO_TEXT.test(text) && !Number.isNaN(Date.parse(text)),
        },
        byId(sql`gs.last_visit_at is null`, true),
      ];
    case "visits":
    case "spend": {
      const column = sort === "visits" ? sql`gs.visits` : sql`gs.spend`;
      return [
        {
          from: STATS_FIRST,
          where: sql`true`,
          value: column,
          id: sql`gs.guest_id`,
          valueText: sql`${column}::text`,
          cast: (text) => sql`${text}::bigint`,
          valid: (text) => INTEGER_TEXT.test(text),
        },
        byId(sql`gs.guest_id is null`, true),
      ];
    }
    case "name":
      return [
        {
          from: GUESTS_FIRST,
          where: sql`g.name is not null`,
          value: sql`lower(g.name)`,
          id: sql`g.id`,
          valueText: sql`lower(g.name)`,
          cast: (text) => sql`${text}::text`,
          valid: () => true,
        },
        byId(sql`g.name is null`, false),
      ];
    case "balance":
      return [
        {
          from: GUESTS_FIRST,
          where: sql`true`,
          value: sql`g.balance`,
          id: sql`g.id`,
          valueText: sql`g.balance::text`,
          cast: (text) => sql`${text}::int`,
          valid: (text) => /^-?\d{1,9}$/.test(text),
        },
      ];
  }
}

// ---------------------------------------------------------------------------------------------
// Cursors: base64url of {p: phase, v: value as text or null, i: guest id}.

type Cursor = { p: number; v: string | null; i: string };

const cursorShape = z.object({
  p: z.number().int().min(0).max(1),
  v: z.string().max(200).nullable(),
  i: z.uuid(),
});

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

function decodeCursor(text: string, phases: Phase[]): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  const cursor = cursorShape.safeParse(parsed);
  const phase = cursor.success ? phases[cursor.data.p] : undefined;
  const value = cursor.success ? cursor.data.v : null;
  if (
    !cursor.success ||
    !phase ||
    (phase.value === null) !== (value === null) ||
    (value !== null && !phase.valid(value))
  ) {
    throw new AppError("invalid_request", "Malformed guests cursor", "invalid_cursor");
  }
  return cursor.data;
}

const MIN_UUID = "00000000-0000-0000-0000-000000000000";
const MAX_UUID = "ffffffff-ffff-ffff-ffff-ffffffffffff";

/**
 * The cursor a jump starts after: every row whose value is at or beyond `from` in the reading
 * direction comes next. Refused with a field error when `from` is not a value of that column.
 */
function jumpCursor(sort: GuestSort, direction: "asc" | "desc", from: string, timezone: string): Cursor {
  const fieldError = () =>
    new AppError("invalid_request", "Not a value of the sorted column", "invalid_request", [
      { path: "from", message: "Not a value of the sorted column" },
    ]);
  // Strictly after (value, MIN) ascending, or before (value, MAX) descending, includes `value` itself.
  const edge = direction === "asc" ? MIN_UUID : MAX_UUID;
  switch (sort) {
    case "lastVisit": {
      if (!z.iso.date().safeParse(from).success) throw fieldError();
      // Descending: visits on that café-local day or before, so the bound is the next midnight.
      const day = direction === "desc" ? nextDay(from) : from;
      return { p: 0, v: midnightIn(day, timezone), i: MIN_UUID };
    }
    case "visits":
    case "balance":
    case "spend": {
      const number = Number(from.replace(",", ".").replace(/\s/g, ""));
      if (!Number.isFinite(number) || Math.abs(number) > 1e12) throw fieldError();
      const value = sort === "spend" ? Math.round(number * 100) : Math.trunc(number);
      return { p: 0, v: String(value), i: edge };
    }
    case "name": {
      // Descending from "М": the names before "Н", so those starting with М come first.
      const prefix = from.toLowerCase();
      if (direction === "asc") return { p: 0, v: prefix, i: MIN_UUID };
      const last = prefix.codePointAt(prefix.length - 1) ?? 0;
      return { p: 0, v: `${prefix.slice(0, -1)}${String.fromCodePoint(last + 1)}`, i: MIN_UUID };
    }
  }
}

function nextDay(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Midnight of a café-local date as a UTC instant (ISO). */
function midnightIn(date: string, timezone: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // The zone's offset at that moment, from what its wall clock shows then (twice, for DST edges).
  let instant = guess;
  for (let i = 0; i < 2; i++) {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }).formatToParts(new Date(instant));
    const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
    const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
    instant = guess - (wall - instant);
  }
  return new Date(instant).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Filters.

/** The café's time zone (for dates and birthdays): the tenant the transaction is bound to. */
async function cafeTimezone(tx: Tx): Promise<string> {
  const [row] = await tx.execute<{ timezone: string }>(
    sql`select timezone from tenants where id = nullif(current_setting('app.tenant_id', true), '')::uuid`,
  );
  return row?.timezone ?? "UTC";
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Search: a phone in any common form (+7 (916) 123-45-67, 8 916 123 45 67) matches the stored
 * E.164; digits with spaces or dashes match a card code; text with @ an email; letters a name
 * (anywhere in it); four to eight digits also a part of the phone.
 */
export function searchCondition(q: string): SQL | null {
  const text = q.trim();
  if (text.length === 0) return null;
  const alternatives: SQL[] = [];
  const phone = normalizePhone(text);
  if (phone) alternatives.push(sql`g.phone = ${phone}`);
  const compact = text.replace(/[\s-]/g, "");
  if (/^[0-9A-Za-z]{4,32}$/.test(compact)) alternatives.push(sql`g.card_code = ${compact}`);
  if (text.includes("@")) alternatives.push(sql`lower(g.email) like ${`${escapeLike(text.toLowerCase())}%`}`);
  if (/\p{L}/u.test(text)) alternatives.push(sql`g.name ilike ${`%${escapeLike(text)}%`}`);
  // A fragment of a phone ("4567", the last digits a guest says at the counter); a whole number
  // is matched exactly above, so the unique indexes answer it.
  const digits = text.replace(/[\s()\-+.]/g, "");
  if (!phone && /^\d{4,8}$/.test(digits)) alternatives.push(sql`g.phone like ${`%${digits}%`}`);
  if (alternatives.length === 0) return sql`false`;
  return sql`(${sql.join(alternatives, sql` or `)})`;
}

/** True when a guest without any visit could pass the filters (the tail of the list). */
function visitlessCanMatch(filters: DirectoryFilters, scope: DirectoryScope): boolean {
  return (
    scope.staffLocationIds.length === 0 &&
    !filters.locationId &&
    !filters.channel &&
    !filters.lastVisitFrom &&
    !filters.lastVisitTo &&
    (!filters.segment || filters.segment === "birthday") &&
    (filters.visitsMin ?? 0) === 0 &&
    (filters.spendMin ?? 0) === 0
  );
}

/** The WHERE conditions of the filters and the member's scope (over guests g and guest_stats gs). */
export function filterConditions(
  filters: DirectoryFilters,
  scope: DirectoryScope,
  clock: { timezone: string; now: Date },
): SQL[] {
  const where: SQL[] = [sql`g.deleted_at is null`];
  if (scope.staffLocationIds.length > 0) {
    where.push(sql`gs.location_ids && ${`{${scope.staffLocationIds.join(",")}}`}::uuid[]`);
  }
  if (filters.q) {
    const search = searchCondition(filters.q);
    if (search) where.push(search);
  }
  if (filters.segment === "birthday") {
    const days = birthdaysAround(localDateOf(clock.now, clock.timezone)).map((day) => day.monthDay);
    where.push(
      sql`to_char(g.birthday, 'MM-DD') in (${sql.join(
        days.map((day) => sql`${day}`),
        sql`, `,
      )})`,
    );
  } else if (filters.segment) {
    where.push(sql`gs.segment = ${filters.segment}`);
  }
  if (filters.tierId) where.push(sql`g.tier_id = ${filters.tierId}`);
  const zone = clock.timezone;
  if (filters.lastVisitFrom) {
    where.push(sql`gs.last_visit_at >= (${filters.lastVisitFrom}::date)::timestamp at time zone ${zone}`);
  }
  if (filters.lastVisitTo) {
    where.push(sql`gs.last_visit_at < (${filters.lastVisitTo}::date + 1)::timestamp at time zone ${zone}`);
  }
  if (filters.visitsMin !== undefined) where.push(sql`coalesce(gs.visits, 0) >= ${filters.visitsMin}`);
  if (filters.visitsMax !== undefined) where.push(sql`coalesce(gs.visits, 0) <= ${filters.visitsMax}`);
  if (filters.spendMin !== undefined) where.push(sql`coalesce(gs.spend, 0) >= ${filters.spendMin}`);
  if (filters.spendMax !== undefined) where.push(sql`coalesce(gs.spend, 0) <= ${filters.spendMax}`);
  if (filters.channel === "pos") where.push(sql`gs.pos_visits > 0 and gs.online_visits = 0`);
  if (filters.channel === "online") where.push(sql`gs.online_visits > 0 and gs.pos_visits = 0`);
  if (filters.channel === "both") where.push(sql`gs.pos_visits > 0 and gs.online_visits > 0`);
  if (filters.locationId) where.push(sql`gs.location_ids && ${`{${filters.locationId}}`}::uuid[]`);
  if (filters.marketing !== undefined) where.push(sql`g.marketing_opt_in = ${filters.marketing}`);
  return where;
}

// ---------------------------------------------------------------------------------------------
// The page.

type RawRow = {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  card_code: string;
  tier_id: string;
  balance: number;
  marketing_opt_in: boolean;
  birthday: string | null;
  blocked: boolean;
  enrolled_at: string;
  visits: number | null;
  pos_visits: number | null;
  online_visits: number | null;
  last_visit_at: string | null;
  spend: string | number | null;
  segment: string | null;
  p_active: number | null;
  median_gap_days: number | null;
  favourite_name: string | null;
  sort_value: string | null;
};

const ROW_COLUMNS = sql`g.id, g.name, g.phone, g.email, g.card_code, g.tier_id, g.balance, g.marketing_opt_in,
  g.birthday::text as birthday, (g.blocked_at is not null) as blocked, ${isoText(sql`g.created_at`)} as enrolled_at,
  gs.visits, gs.pos_visits, gs.online_visits, ${isoText(sql`gs.last_visit_at`)} as last_visit_at, gs.spend,
  gs.segment, gs.p_active, gs.median_gap_days, gs.favourite_name`;

/**
 * One page of the guests table: filtered, sorted by `sort` with the guest id breaking ties, and
 * read from `cursor` on (or from the top, or from the jump value `from`). No OFFSET anywhere.
 */
export async function listGuests(tx: Tx, input: DirectoryPageInput & DirectoryScope): Promise<DirectoryPage> {
  const options = directoryPageInput.parse(input);
  const scope = { staffLocationIds: input.staffLocationIds };
  const phases = phasesOf(options.sort);
  const clock = { timezone: await cafeTimezone(tx), now: new Date() };
  const filters = filterConditions(options, scope, clock);
  const withTail = visitlessCanMatch(options, scope);

  let start: Cursor | null = options.cursor ? decodeCursor(options.cursor, phases) : null;
  if (!start && options.from) start = jumpCursor(options.sort, options.direction, options.from, clock.timezone);
  const backward = options.backward === true && start !== null;
  // Reading backward walks the phases and the order in reverse, then turns the page around.
  const descending = (options.direction === "desc") !== backward;
  const order = descending ? sql`desc` : sql`asc`;
  const beyond = descending ? sql`<` : sql`>`;
  const wanted = options.limit + 1;

  const collected: (RawRow & { phase: number })[] = [];
  const phaseOrder = phases.map((_, index) => index);
  if (backward) phaseOrder.reverse();
  for (const index of phaseOrder) {
    if (collected.length >= wanted) break;
    if (start && (backward ? index > start.p : index < start.p)) continue;
    const phase = phases[index];
    if (!phase || (phase.visitless && !withTail)) continue;
    const conditions = [...filters, phase.where];
    if (start && index === start.p) {
      conditions.push(
        phase.value
          ? sql`(${phase.value}, ${phase.id}) ${beyond} (${phase.cast(start.v ?? "")}, ${start.i}::uuid)`
          : sql`${phase.id} ${beyond} ${start.i}::uuid`,
      );
    }
    const orderBy = phase.value ? sql`${phase.value} ${order}, ${phase.id} ${order}` : sql`${phase.id} ${order}`;
    const rows = await tx.execute<RawRow>(sql`
      select ${ROW_COLUMNS}, ${phase.valueText ?? sql`null::text`} as sort_value
        from ${phase.from}
       where ${sql.join(conditions, sql` and `)}
       order by ${orderBy}
       limit ${wanted - collected.length}`);
    for (const row of rows) collected.push({ ...row, phase: index });
  }

  const more = collected.length > options.limit;
  const page = collected.slice(0, options.limit);
  if (backward) page.reverse();
  const cursorOf = (row: (typeof page)[number] | undefined) =>
    row ? encodeCursor({ p: row.phase, v: row.sort_value, i: row.id }) : null;
  const first = page[0];
  const last = page[page.length - 1];
  return {
    rows: page.map(toGuestRow),
    // Forward: more after the page when a row beyond it was read; a previous page when we came from a cursor.
    nextCursor: backward ? cursorOf(last) : more ? cursorOf(last) : null,
    previousCursor: backward ? (more ? cursorOf(first) : null) : start ? cursorOf(first) : null,
  };
}

function toGuestRow(row: RawRow): GuestRow {
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    email: row.email,
    cardCode: row.card_code,
    tierId: row.tier_id,
    balance: Number(row.balance),
    marketingOptIn: row.marketing_opt_in,
    birthday: row.birthday,
    blocked: row.blocked,
    enrolledAt: row.enrolled_at,
    visits: Number(row.visits ?? 0),
    posVisits: Number(row.pos_visits ?? 0),
    onlineVisits: Number(row.online_visits ?? 0),
    lastVisitAt: row.last_visit_at,
    spend: Number(row.spend ?? 0),
    segment: row.segment,
    pActive: row.p_active === null ? null : Number(row.p_active),
    medianGapDays: row.median_gap_days === null ? null : Number(row.median_gap_days),
    favouriteName: row.favourite_name,
  };
}

/** The table's order for a whole-list read (the export): guests without a value last, then by id. */
export function sortOrder(sort: GuestSort, direction: "asc" | "desc"): SQL {
  const column = {
    lastVisit: sql`gs.last_visit_at`,
    visits: sql`gs.visits`,
    spend: sql`gs.spend`,
    name: sql`lower(g.name)`,
    balance: sql`g.balance`,
  }[sort];
  const order = direction === "desc" ? sql`desc` : sql`asc`;
  return sql`${column} ${order} nulls last, g.id ${order}`;
}

/** FROM guests g with their guest_stats gs (none before a first visit). */
export const GUESTS_WITH_STATS = GUESTS_FIRST;

/** The café's time zone and the current moment, for the filters' dates and birthdays. */
export async function directoryClock(tx: Tx, now: Date = new Date()): Promise<{ timezone: string; now: Date }> {
  return { timezone: await cafeTimezone(tx), now };
}

/** How many guests the filters leave (the table's heading). */
export async function countGuests(tx: Tx, input: DirectoryFilters & DirectoryScope): Promise<number> {
  const filters = directoryFilters.parse(input);
  const scope = { staffLocationIds: input.staffLocationIds };
  const clock = { timezone: await cafeTimezone(tx), now: new Date() };
  const [row] = await tx.execute<{ count: string }>(sql`
    select count(*)::text as count from ${GUESTS_FIRST}
     where ${sql.join(filterConditions(filters, scope, clock), sql` and `)}`);
  return Number(row?.count ?? 0);
}

/**
 * Whether the member may see this guest: a member limited to locations sees only guests who
 * visited one of them (guest_stats.location_ids). A deleted guest is nobody's.
 */
export async function guestVisible(tx: Tx, input: { guestId: string } & DirectoryScope): Promise<boolean> {
  const scoped = input.staffLocationIds.length > 0;
  const [row] = await tx.execute<{ visible: boolean }>(sql`
    select true as visible from ${GUESTS_FIRST}
     where g.id = ${input.guestId} and g.deleted_at is null
       ${scoped ? sql`and gs.location_ids && ${`{${input.staffLocationIds.join(",")}}`}::uuid[]` : sql``}`);
  return row?.visible === true;
}

// ---------------------------------------------------------------------------------------------
// The member's choice of columns.

const COLUMNS_KEY = "guests.columns";

/** The columns this member chose for the guests table (the default until they choose). */
export async function guestColumns(tx: Tx, input: { membershipId: string }): Promise<GuestColumn[]> {
  const [row] = await tx
    .select({ value: staffPreferences.value })
    .from(staffPreferences)
    .where(and(eq(staffPreferences.membershipId, input.membershipId), eq(staffPreferences.key, COLUMNS_KEY)));
  const chosen = z.array(z.enum(GUEST_COLUMNS)).safeParse(row?.value);
  // A column since removed from the table is dropped, not an error.
  if (!chosen.success) {
    const known = Array.isArray(row?.value) ? (row.value as string[]).filter(isGuestColumn) : [];
    return known.length > 0 ? known : DEFAULT_GUEST_COLUMNS;
  }
  return chosen.data.length > 0 ? chosen.data : DEFAULT_GUEST_COLUMNS;
}

const isGuestColumn = (value: string): value is GuestColumn => (GUEST_COLUMNS as readonly string[]).includes(value);

/** Keeps this member's choice of columns for the guests table (in the table's order). */
export async function saveGuestColumns(
  tx: Tx,
  input: { tenantId: string; membershipId: string; columns: GuestColumn[] },
): Promise<GuestColumn[]> {
  const columns = GUEST_COLUMNS.filter((column) => input.columns.includes(column));
  if (columns.length === 0) {
    throw new AppError("invalid_request", "Choose at least one column", "invalid_request", [
      { path: "columns", message: "Choose at least one column" },
    ]);
  }
  await tx
    .insert(staffPreferences)
    .values({ tenantId: input.tenantId, membershipId: input.membershipId, key: COLUMNS_KEY, value: columns })
    .onConflictDoUpdate({
      target: [staffPreferences.tenantId, staffPreferences.membershipId, staffPreferences.key],
      set: { value: columns, updatedAt: sql`now()` },
    });
  return columns;
}
