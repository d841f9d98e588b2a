import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { type Database, type Tx, withTenant } from "@/db/client";
import { guests, offers, tenants } from "@/db/schema";
import { logger } from "../log";
import { addDays, type LocalDate, localDateOf, localDayRange } from "../orders/slots";
import { grantOffer } from "./grants";
import { notifyGrants } from "./notify";
import type { OfferRow } from "./types";

// The offers that reach guests by themselves (issue #19, item 1): the café's birthday offer, and
// "the usual plus one". Both are plain offers the café makes and keeps active in the back-office
// (source `birthday` / `usual_plus_one`); these jobs only give them, through grantOffer, under
// grant keys that make a second run a no-op.

/** A birthday offer is given this many days before the birthday (and on the day itself). */
export const BIRTHDAY_OFFER_DAYS_AHEAD = 7;
/** ...and, unless the offer says how long its grants last (grant_days), lasts this long after it. */
export const BIRTHDAY_OFFER_DAYS_AFTER = 7;
/** "The usual": an item in each of the guest's last this many checks. */
export const USUAL_VISITS = 3;
/** Only guests seen lately are looked at (the job runs hourly; a week covers a server that was down). */
export const USUAL_RECENT_DAYS = 7;
/** A pair counts as "often bought together" from this many checks of the café (90 days of them). */
export const MIN_PAIR_RECEIPTS = 2;

export type AutomationResult = { granted: number; grantIds: string[] };

const SYSTEM = (tenantId: string) => ({ tenantId, userId: null });
const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The café bound to the transaction (its time zone decides what "today" is). */
async function boundCafe(tx: Tx) {
  const [cafe] = await tx
    .select({
      id: tenants.id,
      slug: tenants.slug,
      name: tenants.name,
      locale: tenants.locale,
      currency: tenants.currency,
      timezone: tenants.timezone,
    })
    .from(tenants)
    .where(sql`${tenants.id} = nullif(current_setting('app.tenant_id', true), '')::uuid`);
  if (!cafe) throw new Error("offer automations need a transaction bound to a café");
  return cafe;
}

/** The café's active offers of an automation's source that are valid now. */
function liveOffers(tx: Tx, source: "birthday" | "usual_plus_one", now: Date): Promise<OfferRow[]> {
  return tx
    .select()
    .from(offers)
    .where(
      and(
        eq(offers.source, source),
        eq(offers.status, "active"),
        lte(offers.validFrom, now),
        or(isNull(offers.validUntil), gt(offers.validUntil, now)),
      ),
    )
    .orderBy(asc(offers.createdAt));
}

/**
 * The birthdays ("MM-DD") from `today` to BIRTHDAY_OFFER_DAYS_AHEAD days on, each with its date
 * this time round (a 29 February birthday falls on 28 February in other years).
 */
export function birthdaysAhead(today: LocalDate): { monthDay: string; date: LocalDate }[] {
  const days: { monthDay: string; date: LocalDate }[] = [];
  for (let offset = 0; offset <= BIRTHDAY_OFFER_DAYS_AHEAD; offset++) {
    const date = addDays(today, offset);
    days.push({ monthDay: date.slice(5), date });
    if (date.slice(5) === "02-28" && !isLeapYear(Number(date.slice(0, 4)))) days.push({ monthDay: "02-29", date });
  }
  return days;
}

/**
 * Gives the café's birthday offers (active offers with source `birthday`) to every active guest
 * whose birthday is within the next BIRTHDAY_OFFER_DAYS_AHEAD days (in the café's time zone), once
 * per guest, offer and birthday year: grant key "birthday:<year>" on the grants' unique key. A
 * grant lasts the offer's grant_days, else until BIRTHDAY_OFFER_DAYS_AFTER days after the birthday.
 */
export async function grantBirthdayOffers(tx: Tx, options: { now?: Date } = {}): Promise<AutomationResult> {
  const now = options.now ?? new Date();
  const birthdayOffers = await liveOffers(tx, "birthday", now);
  if (birthdayOffers.length === 0) return { granted: 0, grantIds: [] };
  const cafe = await boundCafe(tx);
  const ahead = birthdaysAhead(localDateOf(now, cafe.timezone));
  const rows = await tx
    .select({ id: guests.id, monthDay: sql<string>`to_char(${guests.birthday}, 'MM-DD')` })
    .from(guests)
    .where(
      and(
        isNotNull(guests.birthday),
        isNull(guests.deletedAt),
        isNull(guests.blockedAt),
        inArray(
          sql`to_char(${guests.birthday}, 'MM-DD')`,
          ahead.map((day) => day.monthDay),
        ),
      ),
    )
    .orderBy(asc(guests.id));
  // Guests grouped by their birthday's date: one grant call (and audit entry) per date and offer.
  const byDate = new Map<LocalDate, string[]>();
  for (const row of rows) {
    const day = ahead.find((candidate) => candidate.monthDay === row.monthDay);
    if (day) byDate.set(day.date, [...(byDate.get(day.date) ?? []), row.id]);
  }
  const grantIds: string[] = [];
  for (const offer of birthdayOffers) {
    for (const [date, guestIds] of byDate) {
      const result = await grantOffer(tx, SYSTEM(cafe.id), {
        offerId: offer.id,
        guestIds,
        source: "birthday",
        grantKey: `birthday:${date.slice(0, 4)}`,
        expiresAt: offer.grantDays
          ? undefined
          : localDayRange(addDays(date, BIRTHDAY_OFFER_DAYS_AFTER), cafe.timezone).to,
        now,
      });
      grantIds.push(...result.grantIds);
    }
  }
  return { granted: grantIds.length, grantIds };
}

/**
 * "The usual plus one": a guest whose last USUAL_VISITS checks (till and online) all held the
 * same item gets the café's `usual_plus_one` offer on the item the café's checks most often pair
 * with it (product_pair_stats, recomputed nightly from the last 90 days), valid only together
 * with the usual item. The grant names both (its skus: the pair; its required skus: the usual),
 * under grant key "usual:<sku>": once per guest, offer and usual item. Pairs the guest already
 * buys every time are skipped; of several usual items the one with the strongest pair wins.
 */
export async function grantUsualPlusOne(tx: Tx, options: { now?: Date } = {}): Promise<AutomationResult> {
  const now = options.now ?? new Date();
  const templates = await liveOffers(tx, "usual_plus_one", now);
  if (templates.length === 0) return { granted: 0, grantIds: [] };
  const cafe = await boundCafe(tx);
  const since = new Date(now.getTime() - USUAL_RECENT_DAYS * 24 * 60 * 60 * 1000);
  const picks = await tx.execute<{ guest_id: string; usual: string; pair: string }>(sql`
    with recent as (
      select distinct r.guest_id from receipts r
      where r.guest_id is not null and r.occurred_at >= ${since.toISOString()}::timestamptz
        and r.occurred_at <= ${now.toISOString()}::timestamptz),
    last_visits as (
      select r.id, r.guest_id from recent g
      cross join lateral (
        select x.id, x.guest_id from receipts x
        where x.guest_id = g.guest_id and x.occurred_at <= ${now.toISOString()}::timestamptz
        order by x.occurred_at desc, x.id desc limit ${USUAL_VISITS}) r),
    usual as (
      select v.guest_id, l.sku from last_visits v join receipt_lines l on l.receipt_id = v.id
      where l.quantity > 0
      group by v.guest_id, l.sku
      having count(distinct v.id) = ${USUAL_VISITS}),
    pairs as (
      select sku_a as sku, sku_b as other, sum(receipts)::int as receipts from product_pair_stats group by 1, 2
      union all
      select sku_b, sku_a, sum(receipts)::int from product_pair_stats group by 1, 2),
    ranked as (
      select u.guest_id, u.sku as usual, p.other as pair,
             row_number() over (partition by u.guest_id order by p.receipts desc, u.sku, p.other) as rank
      from usual u join pairs p on p.sku = u.sku
      join guests g on g.id = u.guest_id and g.deleted_at is null and g.blocked_at is null
      where p.receipts >= ${MIN_PAIR_RECEIPTS}
        and not exists (select 1 from usual mine where mine.guest_id = u.guest_id and mine.sku = p.other))
    select guest_id, usual, pair from ranked where rank = 1 order by usual, pair, guest_id`);
  // One grant call (and audit entry) per offer and (usual, pair).
  const groups = new Map<string, { usual: string; pair: string; guestIds: string[] }>();
  for (const pick of picks) {
    const key = `${pick.usual}\u0000${pick.pair}`;
    const group = groups.get(key) ?? { usual: pick.usual, pair: pick.pair, guestIds: [] };
    group.guestIds.push(pick.guest_id);
    groups.set(key, group);
  }
  const grantIds: string[] = [];
  for (const offer of templates) {
    for (const group of groups.values()) {
      const result = await grantOffer(tx, SYSTEM(cafe.id), {
        offerId: offer.id,
        guestIds: group.guestIds,
        source: "usual_plus_one",
        grantKey: `usual:${group.usual}`,
        skus: [group.pair],
        requiredSkus: [group.usual],
        now,
      });
      grantIds.push(...result.grantIds);
    }
  }
  return { granted: grantIds.length, grantIds };
}

/**
 * The hourly job: each café's birthday offers and usual-plus-one offers, in its own transaction,
 * then the "a personal offer arrived" email to the guests who agreed to marketing mail. Returns the
 * grants made per café slug.
 */
export async function runOfferAutomations(db: Database, now: Date = new Date()): Promise<Record<string, number>> {
  const cafes = await db
    .select({
      id: tenants.id,
      slug: tenants.slug,
      name: tenants.name,
      locale: tenants.locale,
      currency: tenants.currency,
      timezone: tenants.timezone,
    })
    .from(tenants)
    .orderBy(asc(tenants.slug));
  const granted: Record<string, number> = {};
  for (const cafe of cafes) {
    try {
      const grantIds = await withTenant(
        cafe.id,
        async (tx) => [
          ...(await grantBirthdayOffers(tx, { now })).grantIds,
          ...(await grantUsualPlusOne(tx, { now })).grantIds,
        ],
        db,
      );
      if (grantIds.length > 0) {
        granted[cafe.slug] = grantIds.length;
        await notifyGrants(db, cafe, grantIds);
      }
    } catch (error) {
      // One café's failure must not keep the others' offers back.
      logger().error({ err: error, tenantId: cafe.id }, "offer automations failed");
    }
  }
  return granted;
}
