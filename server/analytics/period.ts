/**
 * The dashboard's periods: calendar days as "YYYY-MM-DD" strings in the café's time zone, with no
 * Date arithmetic in local time (a day is a UTC midnight here, so daylight saving never shifts one).
 */
export const PERIOD_KINDS = ["day", "week", "month", "custom"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** What the owner picks: a kind and a day inside it (today by default), or a from–to range. */
export type PeriodInput = { kind: PeriodKind; from?: string; to?: string };

/** Inclusive calendar days. */
export type DayRange = { from: string; to: string };

export type Period = {
  kind: PeriodKind;
  current: DayRange;
  /** The period before, as long as the current one (cut the same way when the current one is). */
  previous: DayRange;
  /** The current period runs past today and was cut at today. */
  partial: boolean;
};

/** A custom period is at most this many days (a year and a leap day). */
export const MAX_PERIOD_DAYS = 366;

const DAY_MS = 86_400_000;

export function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

export function dayString(dayNo: number): string {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dayString(dayNumber(day) + days);
}

/** Days from `from` to `to`, both counted. */
export function rangeLength(range: DayRange): number {
  return dayNumber(range.to) - dayNumber(range.from) + 1;
}

/** Every day of the range, in order. */
export function daysOf(range: DayRange): string[] {
  const first = dayNumber(range.from);
  return Array.from({ length: Math.max(0, rangeLength(range)) }, (_, index) => dayString(first + index));
}

/** The café's calendar day at `now`. */
export function cafeToday(timezone: string, now: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(now)
    .slice(0, 10);
}

export function isDay(value: string | undefined): value is string {
  return value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value) && dayString(dayNumber(value)) === value;
}

const earlier = (a: string, b: string) => (a < b ? a : b);

function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

function monthEnd(day: string): string {
  const [year, month] = day.split("-").map(Number) as [number, number];
  return dayString(Date.UTC(year, month, 0) / DAY_MS);
}

/**
 * The period to show and the one to compare it with. Day: the day and the one before; week: Monday
 * to Sunday and the week before; month: the calendar month and the month before; custom: from–to
 * and as many days just before. A period that runs past today is cut at today, and the previous
 * one keeps as many days from its start (1–7 December against 1–7 November), so a month under way
 * is compared with the same stretch of the last one.
 */
export function resolvePeriod(input: PeriodInput, today: string): Period {
  const anchor = isDay(input.from) ? input.from : today;
  let current: DayRange;
  let previous: DayRange;
  switch (input.kind) {
    case "day":
      current = { from: anchor, to: anchor };
      previous = { from: addDays(anchor, -1), to: addDays(anchor, -1) };
      break;
    case "week": {
      // 1970-01-01 was a Thursday: day number + 3 mod 7 is 0 on Mondays.
      const monday = dayString(dayNumber(anchor) - ((((dayNumber(anchor) + 3) % 7) + 7) % 7));
      current = { from: monday, to: addDays(monday, 6) };
      previous = { from: addDays(monday, -7), to: addDays(monday, -1) };
      break;
    }
    case "month": {
      const first = monthStart(anchor);
      const before = monthStart(addDays(first, -1));
      current = { from: first, to: monthEnd(first) };
      previous = { from: before, to: monthEnd(before) };
      break;
    }
    case "custom": {
      const from = isDay(input.from) ? input.from : today;
      let to = isDay(input.to) && input.to >= from ? input.to : from;
      if (rangeLength({ from, to }) > MAX_PERIOD_DAYS) to = addDays(from, MAX_PERIOD_DAYS - 1);
      current = { from, to };
      const length = rangeLength(current);
      previous = { from: addDays(current.from, -length), to: addDays(current.from, -1) };
      break;
    }
  }
  // Only a period under way is cut; one still to come is shown as it is (empty).
  if (current.to <= today || current.from > today) return { kind: input.kind, current, previous, partial: false };
  const elapsed = rangeLength({ from: current.from, to: today });
  const cutPrevious = addDays(previous.from, elapsed - 1);
  return {
    kind: input.kind,
    current: { from: current.from, to: today },
    // A custom period's previous stretch ends right before it; a calendar one keeps its start.
    previous:
      input.kind === "custom"
        ? { from: addDays(current.from, -elapsed), to: addDays(current.from, -1) }
        : { from: previous.from, to: earlier(cutPrevious, previous.to) },
    partial: true,
  };
}
