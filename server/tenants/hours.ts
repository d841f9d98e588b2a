import { z } from "zod";
import type { OpeningException, OpeningHours } from "@/db/schema/tenancy";
import { AppError } from "../errors";
import { addDays, isoWeekday, type LocalDate, localDateOf, localParts, minutesOfDay } from "../orders/slots";

const WEEKDAYS = ["1", "2", "3", "4", "5", "6", "7"] as const;
const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const time = z.string().regex(TIME);
/** One opening interval; a close at or before the open is refused, except "00:00" (midnight). */
const interval = z.tuple([time, time]);
const dayIntervals = z.array(interval).max(6);

export const openingHoursInput = z.object(
  Object.fromEntries(WEEKDAYS.map((day) => [day, dayIntervals])) as Record<
    (typeof WEEKDAYS)[number],
    typeof dayIntervals
  >,
);

export const openingExceptionsInput = z
  .array(z.object({ date: z.iso.date(), hours: dayIntervals, note: z.string().trim().max(80).optional() }))
  .max(200);

/** Slot lengths a location may use (minutes). */
export const SLOT_LENGTHS = [5, 10, 15, 20, 30, 60] as const;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** [open, close) of an interval in minutes of the day; a close of "00:00" is midnight at the end. */
function span([open, close]: [string, string]): [number, number] {
  const to = close === "00:00" ? 24 * 60 : minutesOfDay(close);
  return [minutesOfDay(open), to];
}

/**
 * Refuses a day's intervals that close before they open or overlap one another (a break is the
 * gap between two intervals), naming the field (`path`).
 */
export function checkDay(intervals: [string, string][], path: string): void {
  const spans = intervals.map((pair, index) => ({ index, span: span(pair) }));
  for (const {
    index,
    span: [from, to],
  } of spans) {
    if (to <= from) {
      throw new AppError("invalid_request", "An interval closes before it opens", "close_before_open", [
        { path: `${path}.${index}` },
      ]);
    }
  }
  const sorted = [...spans].sort((a, b) => a.span[0] - b.span[0]);
  for (let i = 1; i < sorted.length; i += 1) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous && current && current.span[0] < previous.span[1]) {
      throw new AppError("invalid_request", "Two intervals overlap", "intervals_overlap", [
        { path: `${path}.${current.index}` },
      ]);
    }
  }
}

/** Checks every weekday and exception; exceptions must name distinct dates. Returns them by date. */
export function checkHours(hours: OpeningHours, exceptions: OpeningException[]): OpeningException[] {
  for (const day of WEEKDAYS) checkDay(hours[day] ?? [], `openingHours.${day}`);
  const dates = new Set<string>();
  exceptions.forEach((exception, index) => {
    if (dates.has(exception.date)) {
      throw new AppError("invalid_request", "Two exceptions name the same date", "exception_date_taken", [
        { path: `openingExceptions.${index}.date` },
      ]);
    }
    dates.add(exception.date);
    checkDay(exception.hours, `openingExceptions.${index}.hours`);
  });
  return [...exceptions].sort((a, b) => a.date.localeCompare(b.date));
}

export type HoursOf = { openingHours: OpeningHours; openingExceptions?: OpeningException[] | null };

/** The intervals a location is open on a local date: an exception for that date, else its weekday's. */
export function hoursOn(location: HoursOf, date: LocalDate): [string, string][] {
  const exception = location.openingExceptions?.find((candidate) => candidate.date === date);
  if (exception) return exception.hours;
  return location.openingHours[String(isoWeekday(date)) as keyof OpeningHours] ?? [];
}

export type LocationStatus = {
  open: boolean;
  /** Closing time of the current interval (local "HH:MM"), when open. */
  closesAt: string | null;
  /** The next opening when closed: local date and time, within a week; null if none. */
  opensAt: { date: LocalDate; time: string } | null;
  /** Whether guests may order ahead for pick-up here. */
  pickup: boolean;
};

/** Whether a location is open at `now` in its time zone, honouring breaks and exceptions. */
export function locationStatus(
  location: HoursOf & { timezone: string; pickupEnabled?: boolean },
  now: Date,
): LocationStatus {
  const today = localDateOf(now, location.timezone);
  const parts = localParts(now, location.timezone);
  const minute = parts.hour * 60 + parts.minute;
  const pickup = location.pickupEnabled ?? true;
  for (const pair of hoursOn(location, today)) {
    const [from, to] = span(pair);
    if (from <= minute && minute < to) return { open: true, closesAt: pair[1], opensAt: null, pickup };
  }
  for (let ahead = 0; ahead <= 7; ahead += 1) {
    const date = addDays(today, ahead);
    const next = hoursOn(location, date)
      .map((pair) => ({ pair, from: span(pair)[0] }))
      .filter(({ from }) => ahead > 0 || from > minute)
      .sort((a, b) => a.from - b.from)[0];
    if (next) return { open: false, closesAt: null, opensAt: { date, time: next.pair[0] }, pickup };
  }
  return { open: false, closesAt: null, opensAt: null, pickup };
}
