import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db/client";
import {
  campaignSends,
  campaigns,
  guestConsents,
  guestStats,
  ledgerEntries,
  locations,
  orderItems,
  orders,
  receiptLines,
  receipts,
  redemptions,
  refunds,
  surveyQuestions,
  surveyResponses,
  surveys,
  users,
} from "@/db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import type { TierNames } from "../loyalty/formulas";
import { refreshedGuest } from "../loyalty/guests";
import { lockGuest, postPoints, releaseDueHolds } from "../loyalty/ledger";
import { loadProgram, tierName } from "../loyalty/program";
import { type DirectoryScope, guestVisible } from "./directory";

/** Minor units one point pays for (1 point = 1 major unit). */
const MINOR_PER_POINT = 100;
const DAY_MS = 86_400_000;

const guestNotFound = () => new AppError("not_found", "No guest with this id", "guest_not_found");

/** The guest, unless deleted or out of the member's locations (then 404, as for no guest at all). */
async function visibleGuest(tx: Tx, input: { guestId: string } & DirectoryScope) {
  if (!z.uuid().safeParse(input.guestId).success || !(await guestVisible(tx, input))) throw guestNotFound();
  // Expired holds are released first, so the balance is what the guest can spend now.
  const guest = await refreshedGuest(tx, input.guestId);
  if (!guest || guest.deletedAt) throw guestNotFound();
  return guest;
}

export type GuestCard = {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  birthday: string | null;
  cardCode: string;
  enrolledAt: Date;
  blocked: boolean;
  onlineBlocked: boolean;
  marketingOptIn: boolean;
  consents: { kind: "personal_data" | "marketing"; granted: boolean; channel: string; textVersion: string; at: Date }[];
  currency: string;
  balance: number;
  /** The balance's money value in minor units (a debt pays nothing). */
  balanceValue: number;
  lifetimePaid: number;
  tier: { id: string; name: string; names?: TierNames | null; minSpend: number; accrualPercent: number };
  /** Null at the top tier; `remaining` is lifetime paid money (minor units) still needed. */
  nextTier: { name: string; names?: TierNames | null; minSpend: number; remaining: number; progress: number } | null;
  /** From guest_stats (null before the first visit). */
  stats: {
    visits: number;
    posVisits: number;
    onlineVisits: number;
    firstVisitAt: Date | null;
    lastVisitAt: Date | null;
    /** Minor units, less refunds. */
    spend: number;
    averageCheck: number;
    usualWeekday: number | null;
    usualHour: number | null;
    locationNames: string[];
    segment: string | null;
    rfm: { recency: number; frequency: number; monetary: number } | null;
  } | null;
  rhythm: {
    medianGapDays: number | null;
    daysSinceLastVisit: number | null;
    /** Days since the last visit over the usual gap (2 = twice the usual gap). */
    gapRatio: number | null;
    pActive: number | null;
    expectedVisits30d: number | null;
    /** The last visit plus the usual gap (may be in the past: overdue). */
    expectedNextVisitAt: Date | null;
    fittedAt: Date | null;
  };
  /** Products in most of the guest's checks, most first. */
  favourites: { sku: string; name: string; checks: number }[];
  /** Two products the guest took in one check, most often first. */
  pairs: { nameA: string; nameB: string; checks: number }[];
  /** Checks by café-local weekday (0 = Monday) and hour, for "usually on Tuesday mornings". */
  weekdays: number[];
  hours: number[];
};

const FAVOURITES = 5;
const PAIRS = 3;

/**
 * The guest card's summary: profile and consents, tier and progress, balance and its value,
 * the roll-up's visits, spend and rhythm (guest_stats), and favourites, pairs and usual times
 * from the guest's own receipts. 404 for a deleted guest or one outside the member's locations.
 */
export async function guestCard(tx: Tx, input: { guestId: string; now?: Date } & DirectoryScope): Promise<GuestCard> {
  const guest = await visibleGuest(tx, input);
  const now = input.now ?? new Date();
  const program = await loadProgram(tx);
  const tiers = [...program.tiers].sort((a, b) => a.minSpend - b.minSpend);
  const current = tiers.find((tier) => tier.id === guest.tierId);
  const tier = current ?? { id: guest.tierId, name: tierName(program, guest.tierId), minSpend: 0, accrualPercent: 0 };
  const next = tiers.find((candidate) => candidate.minSpend > tier.minSpend);

  const consents = await tx
    .select({
      kind: guestConsents.kind,
      granted: guestConsents.granted,
      channel: guestConsents.channel,
      textVersion: guestConsents.textVersion,
      at: guestConsents.createdAt,
    })
    .from(guestConsents)
    .where(eq(guestConsents.guestId, guest.id))
    .orderBy(desc(guestConsents.createdAt));

  const [stats] = await tx.select().from(guestStats).where(eq(guestStats.guestId, guest.id));
  const [fit] = await tx.execute<{ fitted_at: string }>(
    sql`select ${isoOf(sql`max(fitted_at)`)} as fitted_at from rhythm_fits`,
  );
  const locationNames = stats?.locationIds.length
    ? (
        await tx
          .select({ name: locations.name })
          .from(locations)
          .where(inArray(locations.id, stats.locationIds))
          .orderBy(asc(locations.name))
      ).map((row) => row.name)
    : [];

  const favourites = await tx.execute<{ sku: string; name: string; checks: number }>(sql`
    select l.sku, (array_agg(l.name order by r.occurred_at desc))[1] as name, count(distinct r.id)::int as checks
      from receipts r join receipt_lines l on l.tenant_id = r.tenant_id and l.receipt_id = r.id
     where r.guest_id = ${guest.id}
     group by l.sku order by checks desc, max(r.occurred_at) desc, l.sku limit ${FAVOURITES}`);
  const pairs = await tx.execute<{ name_a: string; name_b: string; checks: number }>(sql`
    select max(a.name) as name_a, max(b.name) as name_b, count(distinct r.id)::int as checks
      from receipts r
      join receipt_lines a on a.tenant_id = r.tenant_id and a.receipt_id = r.id
      join receipt_lines b on b.tenant_id = r.tenant_id and b.receipt_id = r.id and a.sku < b.sku
     where r.guest_id = ${guest.id}
     group by a.sku, b.sku having count(distinct r.id) >= 2
     order by checks desc, a.sku, b.sku limit ${PAIRS}`);
  const times = await tx.execute<{ weekday: number; hour: number; checks: number }>(sql`
    select (extract(isodow from r.occurred_at at time zone l.timezone)::int - 1) as weekday,
           extract(hour from r.occurred_at at time zone l.timezone)::int as hour, count(*)::int as checks
      from receipts r join locations l on l.tenant_id = r.tenant_id and l.id = r.location_id
     where r.guest_id = ${guest.id}
     group by 1, 2`);
  const weekdays = Array.from({ length: 7 }, () => 0);
  const hours = Array.from({ length: 24 }, () => 0);
  for (const row of times) {
    weekdays[row.weekday] = (weekdays[row.weekday] ?? 0) + row.checks;
    hours[row.hour] = (hours[row.hour] ?? 0) + row.checks;
  }

  const lastVisitAt = stats?.lastVisitAt ?? null;
  const medianGap = stats?.medianGapDays ?? null;
  const daysSince = lastVisitAt ? Math.max(0, Math.floor((now.getTime() - lastVisitAt.getTime()) / DAY_MS)) : null;
  return {
    id: guest.id,
    name: guest.name,
    phone: guest.phone,
    email: guest.email,
    birthday: guest.birthday,
    cardCode: guest.cardCode,
    enrolledAt: guest.createdAt,
    blocked: guest.blockedAt !== null,
    onlineBlocked: guest.onlineBlockedAt !== null,
    marketingOptIn: guest.marketingOptIn,
    consents,
    currency: program.currency,
    balance: guest.balance,
    balanceValue: Math.max(0, guest.balance) * MINOR_PER_POINT,
    lifetimePaid: guest.lifetimePaid,
    tier: {
      id: tier.id,
      name: tier.name,
      names: "names" in tier ? tier.names : null,
      minSpend: tier.minSpend,
      accrualPercent: tier.accrualPercent,
    },
    nextTier: next
      ? {
          name: next.name,
          names: next.names,
          minSpend: next.minSpend,
          remaining: Math.max(0, next.minSpend - guest.lifetimePaid),
          progress: Math.min(
            1,
            Math.max(0, (guest.lifetimePaid - tier.minSpend) / Math.max(1, next.minSpend - tier.minSpend)),
          ),
        }
      : null,
    stats: stats
      ? {
          visits: stats.visits,
          posVisits: stats.posVisits,
          onlineVisits: stats.onlineVisits,
          firstVisitAt: stats.firstVisitAt,
          lastVisitAt: stats.lastVisitAt,
          spend: stats.spend,
          averageCheck: stats.visits > 0 ? Math.round(stats.spend / stats.visits) : 0,
          usualWeekday: stats.usualWeekday,
          usualHour: stats.usualHour,
          locationNames,
          segment: stats.segment,
          rfm:
            stats.rfmRecency !== null && stats.rfmFrequency !== null && stats.rfmMonetary !== null
              ? { recency: stats.rfmRecency, frequency: stats.rfmFrequency, monetary: stats.rfmMonetary }
              : null,
        }
      : null,
    rhythm: {
      medianGapDays: medianGap,
      daysSinceLastVisit: daysSince,
      gapRatio: daysSince !== null && medianGap && medianGap > 0 ? daysSince / medianGap : null,
      pActive: stats?.pActive ?? null,
      expectedVisits30d: stats?.expectedVisits30d ?? null,
      expectedNextVisitAt:
        lastVisitAt && medianGap !== null ? new Date(lastVisitAt.getTime() + Math.round(medianGap * DAY_MS)) : null,
      fittedAt: stats?.rhythmAt ?? (fit?.fitted_at ? new Date(fit.fitted_at) : null),
    },
    favourites: favourites.map((row) => ({ sku: row.sku, name: row.name, checks: Number(row.checks) })),
    pairs: pairs.map((row) => ({ nameA: row.name_a, nameB: row.name_b, checks: Number(row.checks) })),
    weekdays,
    hours,
  };
}

const isoOf = (column: ReturnType<typeof sql>) =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

// ---------------------------------------------------------------------------------------------
// The timeline: every event of the guest from the raw tables, newest first, by keyset.

export type TimelineLine = { name: string; quantity: number; amount: number; detail?: string | null };

export type TimelineItem =
  | {
      key: string;
      at: Date;
      kind: "visit";
      channel: "pos" | "online";
      locationName: string;
      total: number;
      pointsEarned: number;
      pointsRedeemed: number;
      claimed: boolean;
      lines: TimelineLine[];
    }
  | {
      key: string;
      at: Date;
      kind: "order";
      status: "new" | "accepted" | "ready" | "picked_up" | "cancelled";
      locationName: string;
      pickupCode: string;
      pickupAt: Date;
      subtotal: number;
      pointsApplied: number;
      /** Points the picked-up order earned (its online receipt). */
      pointsEarned: number;
      cancelReason: string | null;
      lines: TimelineLine[];
    }
  | {
      key: string;
      at: Date;
      kind: "refund";
      locationName: string;
      amount: number;
      receiptTotal: number;
      pointsReversed: number;
      pointsReturned: number;
    }
  | {
      key: string;
      at: Date;
      kind: "hold";
      locationName: string;
      points: number;
      checkTotal: number;
      status: "held" | "committed" | "voided" | "expired";
      settledAt: Date | null;
    }
  | {
      key: string;
      at: Date;
      kind: "points";
      /** The ledger kind: welcome_bonus, birthday_bonus, survey_bonus, campaign_bonus, expiry, manual_adjustment, import… */
      ledgerKind: string;
      delta: number;
      note: string | null;
      actorEmail: string | null;
    }
  | {
      key: string;
      at: Date;
      kind: "survey";
      surveyTitle: string;
      answers: { question: string; answer: string }[];
    }
  | {
      key: string;
      at: Date;
      kind: "campaign";
      campaignName: string;
      /** sent (or delivered…), held back (held_out: the hold-out or the café's control group), or not sent (skipped). */
      status: (typeof campaignSends.$inferSelect)["status"];
      group: (typeof campaignSends.$inferSelect)["group"];
      skipReason: (typeof campaignSends.$inferSelect)["skipReason"];
    };

export type TimelinePage = { items: TimelineItem[]; nextCursor: string | null };

const MAX_TIMELINE_LIMIT = 100;
const LINES_SHOWN = 30;

function encodeTimelineCursor(atMicros: string, key: string): string {
  return Buffer.from(`${atMicros}|${key}`, "utf8").toString("base64url");
}

function decodeTimelineCursor(cursor: string): { atMicros: string; key: string } {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^(-?\d{1,18})\|([rofhlsc]:[0-9a-f-]{1,36})$/.exec(text);
  if (!match?.[1] || !match[2]) throw new AppError("invalid_request", "Malformed timeline cursor", "invalid_cursor");
  return { atMicros: match[1], key: match[2] };
}

type Skeleton = { key: string; at_us: string; at: string; kind: string; ref: string };

/**
 * One page of the guest's timeline, newest first: POS visits with their lines, online orders
 * with their items and status (a picked-up order's receipt is part of its order), refunds,
 * holds (and how they ended), every other points movement (bonuses, expiry, manual adjustments,
 * imports), survey answers and campaign messages (sent, held back, or not sent and why). Keyset over (time, key): no gaps or repeats between pages.
 */
export async function guestTimeline(
  tx: Tx,
  input: { guestId: string; cursor?: string | null; limit?: number } & DirectoryScope,
): Promise<TimelinePage> {
  const guest = await visibleGuest(tx, input);
  const limit = Math.min(Math.max(1, Math.trunc(input.limit ?? 30)), MAX_TIMELINE_LIMIT);
  const after = input.cursor ? decodeTimelineCursor(input.cursor) : null;
  const id = guest.id;
  const skeleton = await tx.execute<Skeleton>(sql`
    with items as (
      select 'r:' || r.id::text as key, r.occurred_at as at, 'visit' as kind, r.id::text as ref
        from receipts r where r.guest_id = ${id} and r.order_id is null
      union all
      select 'o:' || o.id::text, o.created_at, 'order', o.id::text from orders o where o.guest_id = ${id}
      union all
      select 'f:' || f.id::text, f.created_at, 'refund', f.id::text
        from refunds f join receipts r on r.tenant_id = f.tenant_id and r.id = f.receipt_id
       where r.guest_id = ${id}
      union all
      select 'h:' || h.id::text, h.created_at, 'hold', h.id::text from redemptions h where h.guest_id = ${id}
      union all
      select 'l:' || lpad(l.id::text, 20, '0'), l.created_at, 'points', l.id::text
        from ledger_entries l
       where l.guest_id = ${id} and l.receipt_id is null and l.refund_id is null and l.redemption_id is null
      union all
      select 's:' || s.id::text, s.created_at, 'survey', s.id::text from survey_responses s where s.guest_id = ${id}
      union all
      select 'c:' || c.id::text, coalesce(c.sent_at, c.queued_at), 'campaign', c.id::text
        from campaign_sends c where c.guest_id = ${id}
    ), keyed as (
      select items.*, (extract(epoch from at) * 1000000)::bigint as at_us from items
    )
    select key, at_us::text as at_us, ${isoOf(sql`at`)} as at, kind, ref from keyed
     where ${after ? sql`(at_us, key collate "C") < (${after.atMicros}::bigint, ${after.key} collate "C")` : sql`true`}
     order by at_us desc, key collate "C" desc
     limit ${limit + 1}`);
  const page = skeleton.slice(0, limit);
  const refs = (kind: string) => page.filter((item) => item.kind === kind).map((item) => item.ref);
  const details = await timelineDetails(tx, {
    visits: refs("visit"),
    orders: refs("order"),
    refunds: refs("refund"),
    holds: refs("hold"),
    points: refs("points").map(Number),
    surveys: refs("survey"),
    campaigns: refs("campaign"),
  });
  const items = page.flatMap((row) => {
    const item = details.get(`${row.kind}:${row.ref}`);
    return item ? [{ ...item, key: row.key, at: new Date(row.at) } as TimelineItem] : [];
  });
  const last = page[page.length - 1];
  return { items, nextCursor: skeleton.length > limit && last ? encodeTimelineCursor(last.at_us, last.key) : null };
}

type Detail = Omit<TimelineItem, "key" | "at"> & Record<string, unknown>;

/** The page's items in full, by `<kind>:<ref>` (a handful of primary-key reads per kind). */
async function timelineDetails(
  tx: Tx,
  refs: {
    visits: string[];
    orders: string[];
    refunds: string[];
    holds: string[];
    points: number[];
    surveys: string[];
    campaigns: string[];
  },
): Promise<Map<string, Detail>> {
  const found = new Map<string, Detail>();
  if (refs.visits.length > 0) {
    const rows = await tx
      .select({
        id: receipts.id,
        channel: receipts.channel,
        locationName: locations.name,
        total: receipts.total,
        pointsEarned: receipts.pointsEarned,
        pointsRedeemed: receipts.pointsRedeemed,
        claimedAt: receipts.claimedAt,
      })
      .from(receipts)
      .innerJoin(locations, eq(locations.id, receipts.locationId))
      .where(inArray(receipts.id, refs.visits));
    const lines = await linesOf(tx, refs.visits);
    for (const row of rows) {
      found.set(`visit:${row.id}`, {
        kind: "visit",
        channel: row.channel,
        locationName: row.locationName,
        total: row.total,
        pointsEarned: row.pointsEarned,
        pointsRedeemed: row.pointsRedeemed,
        claimed: row.claimedAt !== null,
        lines: lines.get(row.id) ?? [],
      });
    }
  }
  if (refs.orders.length > 0) {
    const rows = await tx
      .select({
        id: orders.id,
        status: orders.status,
        locationName: locations.name,
        pickupCode: orders.pickupCode,
        pickupAt: orders.pickupAt,
        subtotal: orders.subtotal,
        pointsApplied: orders.pointsApplied,
        cancelReason: orders.cancelReason,
        pointsEarned: sql<number>`coalesce((select sum(r.points_earned) from receipts r
          where r.tenant_id = ${orders.tenantId} and r.order_id = ${orders.id}), 0)::int`,
      })
      .from(orders)
      .innerJoin(locations, eq(locations.id, orders.locationId))
      .where(inArray(orders.id, refs.orders));
    const items = await tx
      .select({
        orderId: orderItems.orderId,
        name: orderItems.name,
        variantName: orderItems.variantName,
        quantity: orderItems.quantity,
        amount: orderItems.amount,
        modifiers: orderItems.modifiers,
      })
      .from(orderItems)
      .where(inArray(orderItems.orderId, refs.orders))
      .orderBy(asc(orderItems.orderId), asc(orderItems.lineNo));
    for (const row of rows) {
      found.set(`order:${row.id}`, {
        kind: "order",
        status: row.status,
        locationName: row.locationName,
        pickupCode: row.pickupCode,
        pickupAt: row.pickupAt,
        subtotal: row.subtotal,
        pointsApplied: row.pointsApplied,
        pointsEarned: Number(row.pointsEarned),
        cancelReason: row.cancelReason,
        lines: items
          .filter((item) => item.orderId === row.id)
          .slice(0, LINES_SHOWN)
          .map((item) => ({
            name: item.name,
            quantity: Number(item.quantity),
            amount: item.amount,
            detail:
              [item.variantName, ...item.modifiers.map((modifier) => modifier.name)].filter(Boolean).join(", ") || null,
          })),
      });
    }
  }
  if (refs.refunds.length > 0) {
    const rows = await tx
      .select({
        id: refunds.id,
        locationName: locations.name,
        amount: refunds.amount,
        receiptTotal: receipts.total,
        pointsReversed: refunds.pointsReversed,
        pointsReturned: refunds.pointsReturned,
      })
      .from(refunds)
      .innerJoin(receipts, eq(receipts.id, refunds.receiptId))
      .innerJoin(locations, eq(locations.id, refunds.locationId))
      .where(inArray(refunds.id, refs.refunds));
    for (const row of rows) found.set(`refund:${row.id}`, { kind: "refund", ...row });
  }
  if (refs.holds.length > 0) {
    const rows = await tx
      .select({
        id: redemptions.id,
        locationName: locations.name,
        points: redemptions.points,
        checkTotal: redemptions.checkTotal,
        status: redemptions.status,
        settledAt: redemptions.settledAt,
      })
      .from(redemptions)
      .innerJoin(locations, eq(locations.id, redemptions.locationId))
      .where(inArray(redemptions.id, refs.holds));
    for (const row of rows) found.set(`hold:${row.id}`, { kind: "hold", ...row });
  }
  if (refs.points.length > 0) {
    const rows = await tx
      .select({
        id: ledgerEntries.id,
        kind: ledgerEntries.kind,
        delta: ledgerEntries.delta,
        note: ledgerEntries.note,
        actorEmail: users.email,
      })
      .from(ledgerEntries)
      .leftJoin(users, eq(users.id, ledgerEntries.actorUserId))
      .where(inArray(ledgerEntries.id, refs.points));
    for (const row of rows) {
      found.set(`points:${row.id}`, {
        kind: "points",
        ledgerKind: row.kind,
        delta: row.delta,
        note: row.note,
        actorEmail: row.actorEmail,
      });
    }
  }
  if (refs.surveys.length > 0) {
    const rows = await tx
      .select({ id: surveyResponses.id, surveyId: surveys.id, title: surveys.title, answers: surveyResponses.answers })
      .from(surveyResponses)
      .innerJoin(surveys, eq(surveys.id, surveyResponses.surveyId))
      .where(inArray(surveyResponses.id, refs.surveys));
    const questions = await tx
      .select({ id: surveyQuestions.id, text: surveyQuestions.text })
      .from(surveyQuestions)
      .where(
        inArray(
          surveyQuestions.surveyId,
          rows.map((row) => row.surveyId),
        ),
      )
      .orderBy(asc(surveyQuestions.sortOrder));
    for (const row of rows) {
      found.set(`survey:${row.id}`, {
        kind: "survey",
        surveyTitle: row.title,
        answers: questions
          .filter((question) => Object.hasOwn(row.answers, question.id))
          .map((question) => ({ question: question.text, answer: String(row.answers[question.id]) })),
      });
    }
  }
  if (refs.campaigns.length > 0) {
    const rows = await tx
      .select({
        id: campaignSends.id,
        campaignName: campaigns.name,
        status: campaignSends.status,
        group: campaignSends.group,
        skipReason: campaignSends.skipReason,
      })
      .from(campaignSends)
      .innerJoin(campaigns, eq(campaigns.id, campaignSends.campaignId))
      .where(inArray(campaignSends.id, refs.campaigns));
    for (const row of rows) found.set(`campaign:${row.id}`, { kind: "campaign", ...row });
  }
  return found;
}

async function linesOf(tx: Tx, receiptIds: string[]): Promise<Map<string, TimelineLine[]>> {
  const rows = await tx
    .select({
      receiptId: receiptLines.receiptId,
      name: receiptLines.name,
      quantity: receiptLines.quantity,
      amount: receiptLines.amount,
    })
    .from(receiptLines)
    .where(and(inArray(receiptLines.receiptId, receiptIds), sql`${receiptLines.lineNo} <= ${LINES_SHOWN}`))
    .orderBy(asc(receiptLines.receiptId), asc(receiptLines.lineNo));
  const byReceipt = new Map<string, TimelineLine[]>();
  for (const row of rows) {
    const list = byReceipt.get(row.receiptId) ?? [];
    list.push({ name: row.name, quantity: Number(row.quantity), amount: row.amount });
    byReceipt.set(row.receiptId, list);
  }
  return byReceipt;
}

// ---------------------------------------------------------------------------------------------
// Manual points adjustment.

export const MAX_ADJUSTMENT = 1_000_000;

export const adjustmentInput = z.object({
  guestId: z.uuid(),
  /** Points to add (positive) or take (negative); never 0. */
  delta: z
    .number()
    .int()
    .min(-MAX_ADJUSTMENT)
    .max(MAX_ADJUSTMENT)
    .refine((value) => value !== 0, "Not zero"),
  reason: z.string().trim().min(3).max(500),
  /**
   * The balance the member saw when deciding: a changed balance (another adjustment, a sale, the
   * same form sent twice) refuses the adjustment instead of applying it on top.
   */
  expectedBalance: z.number().int().optional(),
});

/**
 * Adds or takes points by hand with a required reason (owner, manager): one manual_adjustment
 * ledger entry under the guest's row lock, audited in the same transaction. Taking more than
 * the balance is refused ("balance_too_low"): a manual adjustment never leaves a debt.
 */
export async function adjustGuestPoints(
  tx: Tx,
  input: z.input<typeof adjustmentInput> &
    DirectoryScope & { tenantId: string; actor: { userId: string; ip: string | null } },
): Promise<{ balance: number; entryId: number }> {
  const parsed = adjustmentInput.parse(input);
  if (!(await guestVisible(tx, input))) throw guestNotFound();
  // The lock serialises this with sales, holds and other adjustments of the guest: the balance
  // checked below is the one the entry is added to.
  const guest = await lockGuest(tx, parsed.guestId);
  if (!guest || guest.deletedAt) throw guestNotFound();
  await releaseDueHolds(tx, guest);
  if (parsed.expectedBalance !== undefined && parsed.expectedBalance !== guest.balance) {
    throw new AppError("conflict", "The balance changed meanwhile; look again", "balance_changed", [
      { path: "delta", message: "The balance changed meanwhile" },
    ]);
  }
  if (parsed.delta < 0 && guest.balance + parsed.delta < 0) {
    throw new AppError("unprocessable", "The guest does not have that many points", "balance_too_low", [
      { path: "delta", message: "More than the balance" },
    ]);
  }
  const before = guest.balance;
  const balance = await postPoints(tx, guest, [
    { kind: "manual_adjustment", delta: parsed.delta, note: parsed.reason, actorUserId: input.actor.userId },
  ]);
  const [entry] = await tx
    .select({ id: ledgerEntries.id })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.guestId, guest.id), eq(ledgerEntries.kind, "manual_adjustment")))
    .orderBy(desc(ledgerEntries.id))
    .limit(1);
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "guest.points_adjusted",
    targetType: "guest",
    targetId: guest.id,
    meta: { delta: parsed.delta, reason: parsed.reason, balanceBefore: before, balanceAfter: balance },
  });
  return { balance, entryId: Number(entry?.id ?? 0) };
}
