import { and, eq, gte, inArray, lt, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { locations, orderItems, orders } from "@/db/schema";
import type { OpeningException, OpeningHours } from "@/db/schema/tenancy";
import { AppError } from "../errors";
import { hoursOn } from "../tenants/hours";

/** Pick-up slots are 15 minutes long unless the location says otherwise (`slotMinutes`). */
export const SLOT_MINUTES = 15;
/** How many days ahead a pick-up time may be chosen. */
export const MAX_DAYS_AHEAD = 7;
const SLOT_MS = SLOT_MINUTES * 60_000;

/** A calendar date "YYYY-MM-DD" in some time zone. */
export type LocalDate = string;

export type Slot = {
  startsAt: Date;
  /** Preparation minutes already booked by orders that are not cancelled. */
  bookedMinutes: number;
  /** booked + this order's minutes exceed the capacity, or the slot starts before the order can be ready. */
  available: boolean;
  full: boolean;
  tooSoon: boolean;
};

type LocalParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** The wall-clock reading of `instant` in `timeZone`. Throws RangeError on an unknown zone. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Minutes `timeZone` is ahead of UTC at `instant` (Moscow: 180). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const wholeSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((asUtc - wholeSeconds) / 60_000);
}

/** The local calendar date of `instant` in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const p = localParts(instant, timeZone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

function parseDate(date: LocalDate): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new AppError("invalid_request", `Invalid date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Minutes since midnight of "HH:MM" ("24:00" is the end of the day). */
export function minutesOfDay(time: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!match) throw new Error(`Invalid time of day: ${time}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const [y, m, d] = parseDate(date);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/** The calendar date `days` after `date`. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The instant a wall clock in `timeZone` shows `minutes` after midnight of `date`. The offset is
 * taken at a first guess and checked again at the result, which is right across DST changes
 * (a time skipped by a spring-forward lands just after the gap).
 */
export function zonedTime(date: LocalDate, minutes: number, timeZone: string): Date {
  const [y, m, d] = parseDate(date);
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  const first = wall - zoneOffsetMinutes(new Date(wall), timeZone) * 60_000;
  const second = wall - zoneOffsetMinutes(new Date(first), timeZone) * 60_000;
  return new Date(second);
}

/** [start, end) of the local day `date` in `timeZone`, as instants. */
export function localDayRange(date: LocalDate, timeZone: string): { from: Date; to: Date } {
  return { from: zonedTime(date, 0, timeZone), to: zonedTime(addDays(date, 1), 0, timeZone) };
}

/**
 * Starts of the slots of `date` (15 minutes long unless `slotMinutes` says otherwise) that lie
 * wholly within its opening hours — the date's exception (a holiday) if it has one, else its ISO
 * weekday's; a break between two intervals has no slot — in the location's time zone. A closing
 * time at or before the opening one means midnight. None when pick-up is off.
 */
export function slotStarts(input: {
  date: LocalDate;
  timeZone: string;
  openingHours: OpeningHours;
  openingExceptions?: OpeningException[] | null;
  slotMinutes?: number;
  pickupEnabled?: boolean;
}): Date[] {
  if (input.pickupEnabled === false) return [];
  const length = input.slotMinutes ?? SLOT_MINUTES;
  const starts: Date[] = [];
  const seen = new Set<number>();
  for (const [open, close] of hoursOn(input, input.date)) {
    const from = minutesOfDay(open);
    let to = minutesOfDay(close);
    if (to <= from) to = 24 * 60;
    for (let minute = from; minute + length <= to; minute += length) {
      const start = zonedTime(input.date, minute, input.timeZone);
      if (!seen.has(start.getTime())) {
        seen.add(start.getTime());
        starts.push(start);
      }
    }
  }
  return starts.sort((a, b) => a.getTime() - b.getTime());
}

/** The start of the 15-minute slot holding `instant` (slots are aligned to UTC quarter hours). */
export function slotOf(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / SLOT_MS) * SLOT_MS);
}

/** The earliest a slot may start (epoch ms): an order placed now is ready after its preparation. */
function readyAtOf(now: Date, prepMinutes: number): number {
  return now.getTime() + prepMinutes * 60_000;
}

/**
 * The slots of a day for an order needing `prepMinutes`: a slot is too soon when it starts
 * before now + prepMinutes, and full when the minutes booked in it plus this order's exceed the
 * capacity (slots fill by kitchen minutes, not by the number of orders).
 */
export function pickupSlots(input: {
  starts: Date[];
  now: Date;
  prepMinutes: number;
  capacityMinutes: number;
  /** Booked minutes by pick-up time (epoch ms): each counts in the slot it falls in. */
  booked: Map<number, number>;
  slotMinutes?: number;
}): Slot[] {
  const readyAt = readyAtOf(input.now, input.prepMinutes);
  const length = (input.slotMinutes ?? SLOT_MINUTES) * 60_000;
  return input.starts.map((startsAt) => {
    const from = startsAt.getTime();
    let bookedMinutes = 0;
    for (const [at, minutes] of input.booked) if (at >= from && at < from + length) bookedMinutes += minutes;
    const full = bookedMinutes + input.prepMinutes > input.capacityMinutes;
    const tooSoon = startsAt.getTime() < readyAt;
    return { startsAt, bookedMinutes, full, tooSoon, available: !full && !tooSoon };
  });
}

/** "As soon as possible": the earliest slot that fits, or null. */
export function asapSlot(slots: Slot[]): Slot | null {
  return slots.find((slot) => slot.available) ?? null;
}

/** Orders that still count at a location (not cancelled) with a pick-up time in [from, to). */
export function liveOrdersAt(input: { locationId: string; from: Date; to: Date }) {
  return and(
    eq(orders.locationId, input.locationId),
    ne(orders.status, "cancelled"),
    gte(orders.pickupAt, input.from),
    lt(orders.pickupAt, input.to),
  );
}

/**
 * Portions of each product ordered at a location for pick-up in [from, to), cancelled orders
 * aside: what daily limits count, for the menu's "sold out" and for placing an order alike.
 */
export async function orderedPortions(
  tx: Tx,
  input: { locationId: string; from: Date; to: Date },
  productIds: string[],
): Promise<Map<string, number>> {
  if (productIds.length === 0) return new Map();
  const rows = await tx
    .select({ productId: orderItems.productId, quantity: sql<string>`sum(${orderItems.quantity})` })
    .from(orderItems)
    .innerJoin(orders, eq(orders.id, orderItems.orderId))
    .where(and(liveOrdersAt(input), inArray(orderItems.productId, productIds)))
    .groupBy(orderItems.productId);
  return new Map(rows.map((row) => [row.productId, Number(row.quantity)]));
}

/** Preparation minutes booked per pick-up time (epoch ms) at a location in [from, to), cancelled orders aside. */
export async function bookedMinutes(
  tx: Tx,
  input: { locationId: string; from: Date; to: Date },
): Promise<Map<number, number>> {
  const rows = await tx
    .select({ pickupAt: orders.pickupAt, minutes: sql<number>`sum(${orders.prepMinutes})::int` })
    .from(orders)
    .where(liveOrdersAt(input))
    .groupBy(orders.pickupAt);
  const booked = new Map<number, number>();
  for (const row of rows) {
    const at = new Date(row.pickupAt).getTime();
    booked.set(at, (booked.get(at) ?? 0) + Number(row.minutes));
  }
  return booked;
}

export type LocationForSlots = Pick<
  typeof locations.$inferSelect,
  "id" | "timezone" | "openingHours" | "openingExceptions" | "pickupEnabled" | "slotMinutes" | "slotCapacityMinutes"
>;

/** The slot starts of a location's local date (its hours, exceptions, slot length; none with pick-up off). */
export function locationSlotStarts(location: LocationForSlots, date: LocalDate): Date[] {
  return slotStarts({
    date,
    timeZone: location.timezone,
    openingHours: location.openingHours,
    openingExceptions: location.openingExceptions,
    slotMinutes: location.slotMinutes,
    pickupEnabled: location.pickupEnabled,
  });
}

/** The location's slots for `date` (default: its today) for an order of `prepMinutes`. */
export async function slotsForDay(
  tx: Tx,
  input: { location: LocationForSlots; prepMinutes: number; date?: LocalDate; now?: Date },
): Promise<{ date: LocalDate; slots: Slot[] }> {
  const now = input.now ?? new Date();
  const { location } = input;
  const date = input.date ?? localDateOf(now, location.timezone);
  const { from, to } = localDayRange(date, location.timezone);
  const starts = locationSlotStarts(location, date);
  // A day with no slot late enough (closed, or its hours past) reads no bookings: every slot is
  // too soon whatever is booked — the storefront's and checkout's look-ahead pass such days often.
  const readyAt = readyAtOf(now, input.prepMinutes);
  const booked = starts.some((start) => start.getTime() >= readyAt)
    ? await bookedMinutes(tx, { locationId: location.id, from, to })
    : new Map<number, number>();
  return {
    date,
    slots: pickupSlots({
      starts,
      now,
      prepMinutes: input.prepMinutes,
      capacityMinutes: location.slotCapacityMinutes,
      booked,
      slotMinutes: location.slotMinutes,
    }),
  };
}

/** A location of the bound tenant, for slot and order code; 404 when there is none. */
export async function loadLocation(tx: Tx, locationId: string): Promise<typeof locations.$inferSelect> {
  const [location] = await tx.select().from(locations).where(eq(locations.id, locationId));
  if (!location) throw new AppError("not_found", "No location with this id", "location_not_found");
  return location;
}

export type SlotView = {
  startsAt: string;
  available: boolean;
  /** Why a slot cannot be chosen; null when it can. */
  reason: "full" | "too_soon" | null;
};

/** The pick-up times offered: a day's slots with their reasons. */
export type SlotOffer = {
  /** The location's local date the slots are of: today, or the next day with a free slot. */
  date: LocalDate;
  /** Whether `date` is the location's today (else today has no free slot left). */
  today: boolean;
  /** The day's slots from now on (past ones are not offered), each with its reason when it cannot be chosen. */
  slots: SlotView[];
  /** The slot "as soon as possible" would take now, or null when none fits today. */
  asap: string | null;
};

/** Slots as offered at `now`: those already begun left out, the others with their reason when they cannot be chosen. */
export function slotViews(slots: Slot[], now: Date): SlotView[] {
  return slots
    .filter((slot) => slot.startsAt.getTime() >= now.getTime())
    .map((slot) => ({
      startsAt: slot.startsAt.toISOString(),
      available: slot.available,
      reason: slot.available ? null : slot.tooSoon ? "too_soon" : "full",
    }));
}

/**
 * The one computation of pick-up times that the menu ("earliest pick-up today"), the checkout
 * ("as soon as possible, about …" and its list of slots) and placing an order read, at one moment
 * `now`: the given day's slots, or — without one — today's, or when nothing is free today any
 * more (after the last slot, a full day) the next day's that has a free one, so a guest in the
 * evening can order for the morning. "As soon as possible" is today's first free slot only.
 */
export async function pickupOffer(
  tx: Tx,
  input: { location: LocationForSlots; prepMinutes: number; now: Date; date?: LocalDate },
): Promise<SlotOffer> {
  const { location, now } = input;
  let day = await slotsForDay(tx, input);
  if (!input.date && !day.slots.some((slot) => slot.available)) {
    for (let ahead = 1; ahead <= MAX_DAYS_AHEAD; ahead += 1) {
      const next = await slotsForDay(tx, { ...input, date: addDays(day.date, ahead) });
      if (next.slots.some((slot) => slot.available)) {
        day = next;
        break;
      }
    }
  }
  const today = day.date === localDateOf(now, location.timezone);
  return {
    date: day.date,
    today,
    slots: slotViews(day.slots, now),
    asap: today ? (asapSlot(day.slots)?.startsAt.toISOString() ?? null) : null,
  };
}
