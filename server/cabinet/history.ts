import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { AppError } from "../errors";
import { activeGuest } from "./summary";

export type HistoryKind = "visit" | "order" | "bonus" | "redemption" | "refund" | "expiry" | "adjustment" | "accrual";

export type HistoryItem = {
  /** Stable, unique within the guest's history: `r:<receipt>`, `f:<refund>`, `h:<redemption>`, `l:<ledger id>`. */
  key: string;
  kind: HistoryKind;
  at: Date;
  /** The points this item moved (sum of its ledger entries; 0 when none, e.g. a voided hold). */
  points: number;
  /** An i18n key for the UI, e.g. `history.visit`, `history.bonus.welcome`, `history.redemption.voided`. */
  label: string;
  /** Visits and orders (and the receipt a refund belongs to). */
  receipt?: {
    id: string;
    channel: "pos" | "online";
    locationName: string;
    total: number;
    pointsRedeemed: number;
    pointsEarned: number;
    claimed: boolean;
    lines: { sku: string; name: string; quantity: number }[];
    lineCount: number;
  };
  refund?: { id: string; amount: number; pointsReversed: number; pointsReturned: number };
  redemption?: { id: string; points: number; status: "held" | "committed" | "voided" | "expired" };
  note?: string | null;
};

export type HistoryPage = { items: HistoryItem[]; nextCursor: string | null };

/** Lines shown per visit; the rest is `lineCount`. */
const LINES_IN_SUMMARY = 5;
const MAX_LIMIT = 100;

/**
 * Cursor format: base64url of `<epoch microseconds>|<key>` of the last item of the page. Items are
 * ordered by (time desc, key desc, key compared bytewise), so the next page is everything strictly
 * after that pair: no gaps and no duplicates even when many items share a timestamp. Microseconds
 * (PostgreSQL's precision) rather than a JS Date, which would round to milliseconds.
 */
export function encodeCursor(atMicros: string, key: string): string {
  return Buffer.from(`${atMicros}|${key}`, "utf8").toString("base64url");
}

const MAX_BIGINT = 2n ** 63n - 1n;

function decodeCursor(cursor: string): { atMicros: string; key: string } {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^(-?\d{1,20})\|([rfhl]:[0-9a-f-]{1,36})$/.exec(text);
  // Microseconds since 1970 fit PostgreSQL's bigint only up to 2^63 − 1: an edited cursor may not.
  const inRange = match?.[1] ? BigInt(match[1]) <= MAX_BIGINT && BigInt(match[1]) >= -MAX_BIGINT : false;
  if (!match?.[1] || !match[2] || !inRange) {
    throw new AppError("invalid_request", "Malformed history cursor", "invalid_cursor");
  }
  return { atMicros: match[1], key: match[2] };
}

type Row = {
  key: string;
  at: Date | string;
  at_us: string;
  source: "receipt" | "refund" | "redemption" | "ledger";
  points: number;
  ledger_kind: string | null;
  note: string | null;
  receipt_id: string | null;
  channel: "pos" | "online" | null;
  location_name: string | null;
  total: number | null;
  points_redeemed: number | null;
  points_earned: number | null;
  claimed: boolean | null;
  lines: { sku: string; name: string; quantity: string }[] | null;
  line_count: number | null;
  refund_id: string | null;
  refund_amount: number | null;
  points_reversed: number | null;
  points_returned: number | null;
  redemption_id: string | null;
  redemption_points: number | null;
  redemption_status: "held" | "committed" | "voided" | "expired" | null;
};

/**
 * The guest's full history across channels, newest first, keyset-paginated (see `encodeCursor`).
 *
 * Every ledger entry of the guest lands in exactly one item, so the items' points add up to the
 * balance: refund entries in their refund's item, hold/release entries in their redemption's
 * item, an accrual in its receipt's item, and any other entry (bonuses, expiry, manual
 * adjustments) as an item of its own. Receipts and refunds are listed from their own tables, so
 * those without a ledger row (nothing earned, an anonymous receipt claimed later) show as well.
 * A receipt's time is when the check was closed (`occurredAt`), the others' when they were written.
 * `limit` is clamped to 1–100.
 */
export async function guestHistory(
  tx: Tx,
  guestId: string,
  options: { cursor?: string | null; limit: number },
): Promise<HistoryPage> {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit)), MAX_LIMIT);
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  // 404 for a deleted account; and a hold past its time is released first, so it reads "expired".
  await activeGuest(tx, guestId);
  const rows = await tx.execute<Row>(sql`
    with items as (
      select 'r:' || r.id::text as key, r.occurred_at as at, 'receipt' as source,
             coalesce((select sum(l.delta) from ledger_entries l
                        where l.receipt_id = r.id and l.guest_id = r.guest_id
                          and l.refund_id is null and l.redemption_id is null), 0)::int as points,
             null::text as ledger_kind, null::text as note,
             r.id as receipt_id, r.channel::text as channel, loc.name as location_name, r.total,
             r.points_redeemed, r.points_earned, r.claimed_at is not null as claimed,
             (select coalesce(json_agg(json_build_object('sku', rl.sku, 'name', rl.name, 'quantity', rl.quantity)
                                       order by rl.line_no), '[]'::json)
                from receipt_lines rl where rl.receipt_id = r.id and rl.line_no <= ${LINES_IN_SUMMARY}) as lines,
             (select count(*) from receipt_lines rl where rl.receipt_id = r.id)::int as line_count,
             null::uuid as refund_id, null::int as refund_amount, null::int as points_reversed,
             null::int as points_returned,
             null::uuid as redemption_id, null::int as redemption_points, null::text as redemption_status
        from receipts r join locations loc on loc.id = r.location_id
       where r.guest_id = ${guestId}
      union all
      select 'f:' || f.id::text, f.created_at, 'refund',
             coalesce((select sum(l.delta) from ledger_entries l
                        where l.refund_id = f.id and l.guest_id = r.guest_id), 0)::int,
             null, null,
             r.id, r.channel::text, loc.name, r.total, r.points_redeemed, r.points_earned,
             r.claimed_at is not null, null, null,
             f.id, f.amount, f.points_reversed, f.points_returned,
             null, null, null
        from refunds f join receipts r on r.id = f.receipt_id join locations loc on loc.id = f.location_id
       where r.guest_id = ${guestId}
      union all
      select 'h:' || h.id::text, h.created_at, 'redemption',
             coalesce((select sum(l.delta) from ledger_entries l
                        where l.redemption_id = h.id and l.guest_id = h.guest_id and l.refund_id is null), 0)::int,
             null, null,
             null, null, null, null, null, null, null, null, null,
             null, null, null, null,
             h.id, h.points, h.status::text
        from redemptions h
       where h.guest_id = ${guestId}
      union all
      select 'l:' || lpad(l.id::text, 20, '0'), l.created_at, 'ledger', l.delta,
             l.kind::text, l.note,
             null, null, null, null, null, null, null, null, null,
             null, null, null, null,
             null, null, null
        from ledger_entries l
       where l.guest_id = ${guestId}
         and l.receipt_id is null and l.refund_id is null and l.redemption_id is null
    )
    select items.*, (extract(epoch from at) * 1000000)::bigint::text as at_us
      from items
     where ${
       after
         ? sql`((extract(epoch from at) * 1000000)::bigint, key collate "C") < (${after.atMicros}::bigint, ${after.key} collate "C")`
         : sql`true`
     }
     order by (extract(epoch from at) * 1000000)::bigint desc, key collate "C" desc
     limit ${limit + 1}`);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last ? encodeCursor(last.at_us, last.key) : null,
  };
}

function toItem(row: Row): HistoryItem {
  const at = row.at instanceof Date ? row.at : new Date(row.at);
  const receipt =
    row.receipt_id && row.channel
      ? {
          id: row.receipt_id,
          channel: row.channel,
          locationName: row.location_name ?? "",
          total: Number(row.total),
          pointsRedeemed: Number(row.points_redeemed),
          pointsEarned: Number(row.points_earned),
          claimed: row.claimed === true,
          lines: (row.lines ?? []).map((line) => ({ sku: line.sku, name: line.name, quantity: Number(line.quantity) })),
          lineCount: Number(row.line_count ?? 0),
        }
      : undefined;
  const base = { key: row.key, at, points: Number(row.points) };
  switch (row.source) {
    case "receipt": {
      const kind = row.channel === "online" ? "order" : "visit";
      return { ...base, kind, label: `history.${kind}`, receipt };
    }
    case "refund":
      return {
        ...base,
        kind: "refund",
        label: "history.refund",
        receipt: receipt ? { ...receipt, lines: [], lineCount: 0 } : undefined,
        refund: {
          id: row.refund_id ?? "",
          amount: Number(row.refund_amount),
          pointsReversed: Number(row.points_reversed),
          pointsReturned: Number(row.points_returned),
        },
      };
    case "redemption": {
      const status = row.redemption_status ?? "held";
      return {
        ...base,
        kind: "redemption",
        label: `history.redemption.${status}`,
        redemption: { id: row.redemption_id ?? "", points: Number(row.redemption_points), status },
      };
    }
    default:
      return { ...base, ...ledgerKind(row.ledger_kind), note: row.note };
  }
}

function ledgerKind(kind: string | null): { kind: HistoryKind; label: string } {
  switch (kind) {
    case "welcome_bonus":
    case "birthday_bonus":
    case "survey_bonus":
    case "campaign_bonus":
      return { kind: "bonus", label: `history.bonus.${kind.replace("_bonus", "")}` };
    case "expiry":
      return { kind: "expiry", label: "history.expiry" };
    case "manual_adjustment":
      return { kind: "adjustment", label: "history.adjustment" };
    case "import":
    case "import_undo":
      return { kind: "adjustment", label: `history.${kind}` };
    default:
      // An accrual without a receipt (none is written today) or a future kind: shown, never lost.
      return { kind: "accrual", label: `history.${kind ?? "accrual"}` };
  }
}
