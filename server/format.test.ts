import { describe, expect, it } from "vitest";
import {
  dayInZone,
  formatClock,
  formatCompactNumber,
  formatDate,
  formatDateTime,
  formatDay,
  formatDayRange,
  formatMoney,
  formatMonth,
  formatNumber,
  formatPercent,
  formatPoints,
  formatRelativeDay,
  formats,
  formatTime,
  formatZone,
  weekdayNames,
} from "./format";

// Intl uses non-breaking and narrow spaces; compare with plain ones.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

// 16:45 in Moscow, 14:45 in Berlin.
const AFTERNOON = new Date("2026-12-07T13:45:00Z");

describe("money", () => {
  it("writes roubles the Russian way, without kopecks when there are none", () => {
    expect(plain(formatMoney(129_422_200, "RUB", "ru"))).toBe("1 294 222 ₽");
    expect(plain(formatMoney(53_151, "RUB", "ru"))).toBe("531,51 ₽");
  });

  it("writes roubles for an English reader with the symbol, never the ISO code", () => {
    expect(formatMoney(129_422_200, "RUB", "en")).toBe("₽1,294,222");
    expect(formatMoney(77_600, "RUB", "en")).toBe("₽776");
    expect(formatMoney(53_151, "RUB", "en")).toBe("₽531.51");
  });

  it("writes euros in both languages and keeps negative amounts exact", () => {
    expect(formatMoney(350, "EUR", "en")).toBe("€3.50");
    expect(plain(formatMoney(350, "EUR", "ru"))).toBe("3,50 €");
    expect(formatMoney(-5, "EUR", "en")).toBe("-€0.05");
  });
});

describe("numbers and points", () => {
  it("shortens a chart axis's numbers in the reader's language", () => {
    expect(plain(formatCompactNumber(1_294_222, "ru"))).toBe("1,3 млн");
    expect(formatCompactNumber(1_294_222, "en")).toBe("1.3M");
    expect(formatCompactNumber(12_000, "en")).toBe("12K");
  });

  it("groups digits by the reader's language", () => {
    expect(plain(formatNumber(1_294_222, "ru"))).toBe("1 294 222");
    expect(formatNumber(1_294_222, "en")).toBe("1,294,222");
    expect(plain(formatNumber(4.25, "ru", { max: 1 }))).toBe("4,3");
    expect(plain(formatPercent(0.42, "ru"))).toBe("42 %");
    expect(formatPercent(0.42, "en")).toBe("42%");
  });

  it("always gives points their unit, by the plural rules", () => {
    expect(plain(formatPoints(1, "ru"))).toBe("1 балл");
    expect(plain(formatPoints(24, "ru"))).toBe("24 балла");
    expect(plain(formatPoints(25, "ru"))).toBe("25 баллов");
    expect(plain(formatPoints(1_011, "ru"))).toBe("1 011 баллов");
    expect(plain(formatPoints(1, "en"))).toBe("1 point");
    expect(plain(formatPoints(24, "en"))).toBe("24 points");
    expect(plain(formatPoints(24, "en", { signed: true }))).toBe("+24 points");
    expect(plain(formatPoints(-2, "ru", { signed: true }))).toBe("-2 балла");
  });
});

describe("dates and times", () => {
  it("has one time style per language, in the café's zone", () => {
    expect(formatTime(AFTERNOON, "ru", "Europe/Moscow")).toBe("16:45");
    expect(formatTime(new Date("2026-12-07T06:05:00Z"), "ru", "Europe/Moscow")).toBe("09:05");
    expect(plain(formatTime(AFTERNOON, "en", "Europe/Moscow"))).toBe("4:45 PM");
    expect(plain(formatTime(AFTERNOON, "en", "Europe/Berlin"))).toBe("2:45 PM");
    expect(plain(formatClock("07:30", "en"))).toBe("7:30 AM");
    expect(formatClock("07:30", "ru")).toBe("07:30");
  });

  it("writes dates and date-times in the café's zone, not UTC", () => {
    const lateUtc = new Date("2026-12-07T22:30:00Z"); // already 8 December in Moscow
    expect(plain(formatDate(lateUtc, "ru", "Europe/Moscow", "long"))).toBe("8 декабря 2026 г.");
    expect(formatDate(lateUtc, "en", "Europe/Berlin", "medium")).toBe("Dec 7, 2026");
    expect(plain(formatDateTime(AFTERNOON, "ru", "Europe/Moscow"))).toBe("7 дек. 2026 г., 16:45");
    expect(plain(formatDateTime(AFTERNOON, "en", "Europe/Moscow"))).toBe("Dec 7, 2026, 4:45 PM");
    expect(plain(formatDateTime(AFTERNOON, "en", "Europe/Moscow", { zoneName: true }))).toBe(
      "Dec 7, 2026, 4:45 PM GMT+3",
    );
    expect(formatZone("Europe/Moscow", "ru")).toBe("GMT+3");
  });

  it("writes calendar days without shifting them by a zone", () => {
    expect(plain(formatDay("2026-12-31", "ru"))).toBe("31 декабря 2026 г.");
    expect(formatDay("2026-12-31", "en", "short")).toBe("Dec 31");
    expect(formatDay("2026-12-07", "en", "weekday")).toBe("Monday, December 7");
    expect(dayInZone(new Date("2026-12-07T22:30:00Z"), "Europe/Moscow")).toBe("2026-12-08");
  });

  it("writes a period of days, a month and the weekdays in the reader's language", () => {
    expect(plain(formatDayRange("2030-02-01", "2030-02-28", "ru"))).toBe("1–28 февр. 2030 г.");
    expect(formatDayRange("2030-02-01", "2030-02-28", "en")).toMatch(/^Feb 1\s–\s28, 2030$/);
    expect(formatDayRange("2030-02-03", "2030-02-03", "en")).toBe("Feb 3, 2030");
    expect(plain(formatMonth("2030-02", "ru"))).toBe("февраль 2030 г.");
    expect(formatMonth("2030-02", "en")).toBe("February 2030");
    expect(weekdayNames("ru")).toEqual(["пн", "вт", "ср", "чт", "пт", "сб", "вс"]);
    expect(weekdayNames("en")[0]).toBe("Mon");
  });

  it("names yesterday, today and tomorrow in the café's zone", () => {
    const now = new Date("2026-12-07T20:00:00Z"); // 23:00 in Moscow
    expect(plain(formatRelativeDay(AFTERNOON, "ru", "Europe/Moscow", { now }))).toBe("сегодня, 16:45");
    expect(plain(formatRelativeDay(new Date("2026-12-06T13:45:00Z"), "en", "Europe/Moscow", { now }))).toBe(
      "yesterday, 4:45 PM",
    );
    // 22:30 UTC is already tomorrow in Moscow.
    expect(formatRelativeDay(new Date("2026-12-07T22:30:00Z"), "ru", "Europe/Moscow", { now, withTime: false })).toBe(
      "завтра",
    );
    expect(plain(formatRelativeDay(new Date("2026-12-01T13:45:00Z"), "en", "Europe/Moscow", { now }))).toBe(
      "Dec 1, 2026, 4:45 PM",
    );
  });

  it("binds a page's reader and café once", () => {
    const format = formats({ locale: "en", currency: "RUB", timeZone: "Europe/Moscow" });
    expect(format.money(77_600)).toBe("₽776");
    expect(plain(format.time(AFTERNOON))).toBe("4:45 PM");
    expect(plain(format.points(24))).toBe("24 points");
  });
});
