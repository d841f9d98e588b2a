// Calendar and time zones of the simulated days.

import { localParts } from "../../server/orders/slots";
import { isoDate, num, time } from "./helpers";

export const DAY_MS = 24 * 60 * 60 * 1000;

export type Day = {
  /** Local calendar date, YYYY-MM-DD. */
  key: string;
  daysAgo: number;
  isoWeekday: "1" | "2" | "3" | "4" | "5" | "6" | "7";
  weekend: boolean;
  /** The instant of local midnight. */
  start: number;
};

/** The tenant's local calendar days from `days` days ago up to today. */
export function calendar(now: Date, timeZone: string, days: number): Day[] {
  const today = Date.parse(`${localDate(now, timeZone)}T00:00:00Z`);
  return Array.from({ length: days + 1 }, (_, index) => {
    const daysAgo = days - index;
    const wallMidnight = today - daysAgo * DAY_MS;
    const weekday = new Date(wallMidnight).getUTCDay() || 7;
    // Offsets change at night (DST), never while the cafés are open: the noon offset serves all day.
    const offset = utcOffset(new Date(wallMidnight + 12 * 60 * 60 * 1000), timeZone);
    return {
      key: isoDate(wallMidnight),
      daysAgo,
      isoWeekday: String(weekday) as Day["isoWeekday"],
      weekend: weekday >= 6,
      start: wallMidnight - offset,
    };
  });
}

export function atMinute(day: Day, minute: number): Date {
  return new Date(day.start + minute * 60 * 1000);
}

function localDate(instant: Date, timeZone: string): string {
  const parts = localParts(instant, timeZone);
  return isoDate(Date.UTC(num(parts.year), num(parts.month) - 1, num(parts.day)));
}

/** Milliseconds the zone is ahead of UTC at `instant`. */
function utcOffset(instant: Date, timeZone: string): number {
  const parts = localParts(instant, timeZone);
  const wall = Date.UTC(num(parts.year), num(parts.month) - 1, num(parts.day), num(parts.hour), num(parts.minute));
  return wall - Math.floor(time(instant) / 60_000) * 60_000;
}
