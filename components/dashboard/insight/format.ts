import { formatMoney } from "@/server/money";

/** How the dashboard writes its numbers: money in the café's currency, counts and shares in its locale. */
export type Formats = {
  money: (minorUnits: number) => string;
  count: (value: number) => string;
  /** A share 0–1 as "42 %". */
  percent: (share: number) => string;
  /** A day "YYYY-MM-DD" as "3 февр." / "Feb 3". */
  day: (day: string) => string;
  /** A range of days as "1–28 февраля 2030 г.". */
  range: (range: { from: string; to: string }) => string;
  /** A month "YYYY-MM" as "февраль 2030". */
  month: (month: string) => string;
  weekdays: string[];
};

const utc = (day: string) => new Date(`${day}T00:00:00Z`);

export function dashboardFormats(input: { currency: string; numberLocale: string; readerLocale: string }): Formats {
  const counter = new Intl.NumberFormat(input.numberLocale, { maximumFractionDigits: 1 });
  const percenter = new Intl.NumberFormat(input.numberLocale, { style: "percent", maximumFractionDigits: 0 });
  const dayFormat = new Intl.DateTimeFormat(input.readerLocale, { day: "numeric", month: "short", timeZone: "UTC" });
  const dateFormat = new Intl.DateTimeFormat(input.readerLocale, { dateStyle: "medium", timeZone: "UTC" });
  const monthFormat = new Intl.DateTimeFormat(input.readerLocale, { month: "long", year: "numeric", timeZone: "UTC" });
  const weekday = new Intl.DateTimeFormat(input.readerLocale, { weekday: "short", timeZone: "UTC" });
  return {
    money: (minorUnits) => formatMoney(minorUnits, input.currency, input.numberLocale),
    count: (value) => counter.format(value),
    percent: (value) => percenter.format(value),
    day: (day) => dayFormat.format(utc(day)),
    range: (range) =>
      range.from === range.to
        ? dateFormat.format(utc(range.from))
        : dateFormat.formatRange(utc(range.from), utc(range.to)),
    month: (month) => monthFormat.format(utc(`${month}-01`)),
    // 1 January 2024 was a Monday.
    weekdays: Array.from({ length: 7 }, (_, index) => weekday.format(utc(`2024-01-0${index + 1}`))),
  };
}

export type Change = { kind: "none" } | { kind: "new" } | { kind: "up" | "down"; text: string };

/** A count's or a sum's change against the previous period, in percent ("+12 %"). */
export function relativeChange(current: number, previous: number, locale: string): Change {
  if (current === previous) return { kind: "none" };
  if (previous === 0) return { kind: "new" };
  const ratio = (current - previous) / Math.abs(previous);
  const text = new Intl.NumberFormat(locale, {
    style: "percent",
    maximumFractionDigits: Math.abs(ratio) < 0.1 ? 1 : 0,
    signDisplay: "exceptZero",
  }).format(ratio);
  return { kind: current > previous ? "up" : "down", text };
}

/** A share's change against the previous period, in percentage points ("+3"). */
export function pointChange(current: number, previous: number, locale: string): Change {
  const points = Math.round((current - previous) * 1000) / 10;
  if (points === 0) return { kind: "none" };
  const text = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(points);
  return { kind: points > 0 ? "up" : "down", text };
}
