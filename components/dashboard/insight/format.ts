import {
  formatDay,
  formatDayRange,
  formatMoney,
  formatMonth,
  formatNumber,
  formatPercent,
  weekdayNames,
} from "@/server/format";

/** How the dashboard writes its numbers: in the reader's language, money in the café's currency (server/format). */
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

export function dashboardFormats(input: { currency: string; locale: string }): Formats {
  const { currency, locale } = input;
  return {
    money: (minorUnits) => formatMoney(minorUnits, currency, locale),
    count: (value) => formatNumber(value, locale),
    percent: (value) => formatPercent(value, locale),
    day: (day) => formatDay(day, locale, "short"),
    range: (range) => formatDayRange(range.from, range.to, locale),
    month: (month) => formatMonth(month, locale),
    weekdays: weekdayNames(locale),
  };
}

export type Change = { kind: "none" } | { kind: "new" } | { kind: "up" | "down"; text: string };

/** A count's or a sum's change against the previous period, in percent ("+12 %"). */
export function relativeChange(current: number, previous: number, locale: string): Change {
  if (current === previous) return { kind: "none" };
  if (previous === 0) return { kind: "new" };
  const ratio = (current - previous) / Math.abs(previous);
  const figure = formatPercent(ratio, locale, Math.abs(ratio) < 0.1 ? 1 : 0);
  // A sign only on a figure that is not zero once rounded ("+0 %" says nothing).
  const text = ratio > 0 && /[1-9]/.test(figure) ? `+${figure}` : figure;
  return { kind: current > previous ? "up" : "down", text };
}

/** A share's change against the previous period, in percentage points ("+3"). */
export function pointChange(current: number, previous: number, locale: string): Change {
  const points = Math.round((current - previous) * 1000) / 10;
  if (points === 0) return { kind: "none" };
  const text = `${points > 0 ? "+" : ""}${formatNumber(points, locale)}`;
  return { kind: points > 0 ? "up" : "down", text };
}
