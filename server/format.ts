/**
 * The one way the product writes money, numbers, points, dates and times: in the reader's
 * language (the UI locale), in the café's currency and the café's time zone. Plain Intl, no
 * server-only imports: client components use it too.
 *
 * Choices, so every page agrees:
 * - money: the currency's narrow symbol in both languages ("1 294 222 ₽", "₽1,294,222", "€3.50"),
 *   never the ISO code ("RUB 776"); kopecks/cents only when there are some;
 * - times: ru "09:05" / "16:45" (24-hour, two-digit hour), en "9:05 AM" / "4:45 PM";
 * - points: always with their unit, by the language's plural rules ("24 балла", "1 point").
 */

/** What a page knows to format with: the reader's locale, the café's currency and zone. */
export type FormatSettings = { locale: string; currency: string; timeZone: string };

export type DateStyle = "short" | "medium" | "long";

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules | Intl.RelativeTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules | Intl.RelativeTimeFormat>(
  kind: string,
  locale: string,
  options: object,
  make: () => T,
): T {
  const key = `${kind}|${locale}|${JSON.stringify(options)}`;
  let found = cache.get(key) as T | undefined;
  if (!found) {
    found = make();
    cache.set(key, found);
  }
  return found;
}

const numberFormat = (locale: string, options: Intl.NumberFormatOptions) =>
  cached("n", locale, options, () => new Intl.NumberFormat(locale, options));
const dateFormat = (locale: string, options: Intl.DateTimeFormatOptions) =>
  cached("d", locale, options, () => new Intl.DateTimeFormat(locale, options));

/** Minor units as an exact decimal string ("-12.05"), so Intl formats it without a float in between. */
function decimal(minorUnits: number): Intl.StringNumericLiteral {
  const abs = Math.abs(minorUnits);
  return `${minorUnits < 0 ? "-" : ""}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}` as Intl.StringNumericLiteral;
}

const isRussian = (locale: string) => locale.toLowerCase().startsWith("ru");

/** Integer minor units in the currency, written the reader's way: "450 ₽", "1 234 567,89 ₽", "€3.50". */
export function formatMoney(minorUnits: number, currency: string, locale: string): string {
  const cents = Math.abs(minorUnits) % 100;
  return numberFormat(locale, {
    style: "currency",
    currency,
    currencyDisplay: "narrowSymbol",
    minimumFractionDigits: cents === 0 ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(decimal(minorUnits));
}

/** A count or a measure: "1 294 222" / "1,294,222"; up to `fractionDigits` decimals (default 0…1). */
export function formatNumber(value: number, locale: string, fractionDigits?: { min?: number; max?: number }): string {
  return numberFormat(locale, {
    minimumFractionDigits: fractionDigits?.min ?? 0,
    maximumFractionDigits: fractionDigits?.max ?? Math.max(1, fractionDigits?.min ?? 0),
  }).format(value);
}

/** A chart axis's number, short: "1,3 млн" / "1.3M", "12 тыс." / "12K". */
export function formatCompactNumber(value: number, locale: string): string {
  return numberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(value);
}

/** A share 0–1 as "42 %" / "42%". */
export function formatPercent(share: number, locale: string, maxFractionDigits = 0): string {
  return numberFormat(locale, { style: "percent", maximumFractionDigits: maxFractionDigits }).format(share);
}

const POINT_WORDS: Record<"ru" | "en", Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }> = {
  ru: { one: "балл", few: "балла", many: "баллов", other: "балла" },
  en: { one: "point", other: "points" },
};

/** Points with their unit: "24 балла", "5 баллов", "1 point"; `signed` writes "+24"/"−24". */
export function formatPoints(points: number, locale: string, options: { signed?: boolean } = {}): string {
  const words = isRussian(locale) ? POINT_WORDS.ru : POINT_WORDS.en;
  const rule = cached("p", locale, {}, () => new Intl.PluralRules(locale)).select(Math.abs(points));
  const number = numberFormat(locale, {
    maximumFractionDigits: 0,
    signDisplay: options.signed ? "exceptZero" : "auto",
  }).format(points);
  return `${number}\u00a0${words[rule] ?? words.other}`;
}

/** The time-of-day style of each language: ru "16:45", en "4:45 PM". */
const timeOptions = (locale: string): Intl.DateTimeFormatOptions =>
  isRussian(locale)
    ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
    : { hour: "numeric", minute: "2-digit", hour12: true };

type Instant = Date | string | number;
const toDate = (value: Instant) => (value instanceof Date ? value : new Date(value));

/** A moment's time of day in the zone: "16:45" / "4:45 PM". */
export function formatTime(at: Instant, locale: string, timeZone: string): string {
  return dateFormat(locale, { ...timeOptions(locale), timeZone }).format(toDate(at));
}

/** A wall-clock time "HH:MM" (opening hours, already the café's): ru "07:30", en "7:30 AM". */
export function formatClock(clock: string, locale: string): string {
  const [hours = 0, minutes = 0] = clock.split(":").map(Number);
  return formatTime(Date.UTC(2000, 0, 1, hours, minutes), locale, "UTC");
}

const DATE_STYLES: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  short: { day: "numeric", month: "short" },
  medium: { day: "numeric", month: "short", year: "numeric" },
  long: { day: "numeric", month: "long", year: "numeric" },
};

/** A moment's date in the zone: short "7 дек." / "Dec 7", medium "7 дек. 2026 г.", long "7 декабря 2026 г.". */
export function formatDate(at: Instant, locale: string, timeZone: string, style: DateStyle = "medium"): string {
  return dateFormat(locale, { ...DATE_STYLES[style], timeZone }).format(toDate(at));
}

/** A moment as date and time in the zone: "7 дек. 2026 г., 16:45" / "Dec 7, 2026, 4:45 PM". */
export function formatDateTime(
  at: Instant,
  locale: string,
  timeZone: string,
  options: { style?: DateStyle; zoneName?: boolean } = {},
): string {
  return dateFormat(locale, {
    ...DATE_STYLES[options.style ?? "medium"],
    ...timeOptions(locale),
    ...(options.zoneName ? { timeZoneName: "shortOffset" } : {}),
    timeZone,
  }).format(toDate(at));
}

/** A calendar day "YYYY-MM-DD" (no zone: it is already the café's day). */
export function formatDay(day: string, locale: string, style: DateStyle | "weekday" = "long"): string {
  const options: Intl.DateTimeFormatOptions =
    style === "weekday" ? { weekday: "long", day: "numeric", month: "long" } : DATE_STYLES[style];
  return dateFormat(locale, { ...options, timeZone: "UTC" }).format(new Date(`${day}T12:00:00Z`));
}

/** Calendar days "YYYY-MM-DD" from–to as one range: "1–28 февр. 2030 г." / "Feb 1 – 28, 2030". */
export function formatDayRange(from: string, to: string, locale: string, style: DateStyle = "medium"): string {
  const format = dateFormat(locale, { ...DATE_STYLES[style], timeZone: "UTC" });
  const noon = (day: string) => new Date(`${day}T12:00:00Z`);
  return from === to ? format.format(noon(from)) : format.formatRange(noon(from), noon(to));
}

/** A calendar month "YYYY-MM": "февраль 2030 г." / "February 2030". */
export function formatMonth(month: string, locale: string): string {
  return dateFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${month}-15T12:00:00Z`),
  );
}

/** The weekdays' short names, Monday first: "пн" … "вс" / "Mon" … "Sun". */
export function weekdayNames(locale: string): string[] {
  const format = dateFormat(locale, { weekday: "short", timeZone: "UTC" });
  // 1 January 2024 was a Monday.
  return Array.from({ length: 7 }, (_, index) => format.format(new Date(Date.UTC(2024, 0, 1 + index, 12))));
}

/** The calendar day "YYYY-MM-DD" a moment falls on in the zone. */
export function dayInZone(at: Instant, timeZone: string): string {
  return dateFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(toDate(at));
}

/** The zone's offset as readers know it: "GMT+3". */
export function formatZone(timeZone: string, locale: string, at: Instant = new Date()): string {
  const parts = dateFormat(locale, { timeZone, timeZoneName: "shortOffset", hour: "numeric" }).formatToParts(
    toDate(at),
  );
  return parts.find((part) => part.type === "timeZoneName")?.value ?? timeZone;
}

const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

/**
 * A moment relative to today in the zone: "сегодня, 16:45" / "yesterday, 4:45 PM" for yesterday,
 * today and tomorrow; otherwise the date with the time.
 */
export function formatRelativeDay(
  at: Instant,
  locale: string,
  timeZone: string,
  options: { now?: Date; withTime?: boolean } = {},
): string {
  const offset = dayNumber(dayInZone(at, timeZone)) - dayNumber(dayInZone(options.now ?? new Date(), timeZone));
  const withTime = options.withTime ?? true;
  if (Math.abs(offset) <= 1) {
    const word = cached("r", locale, {}, () => new Intl.RelativeTimeFormat(locale, { numeric: "auto" })).format(
      offset,
      "day",
    );
    return withTime ? `${word}, ${formatTime(at, locale, timeZone)}` : word;
  }
  return withTime
    ? formatDateTime(at, locale, timeZone, { style: "medium" })
    : formatDate(at, locale, timeZone, "medium");
}

/** Everything above bound to one page's reader and café. */
export type Formats = ReturnType<typeof formats>;

export function formats(settings: FormatSettings) {
  const { locale, currency, timeZone } = settings;
  return {
    ...settings,
    money: (minorUnits: number) => formatMoney(minorUnits, currency, locale),
    number: (value: number, fractionDigits?: { min?: number; max?: number }) =>
      formatNumber(value, locale, fractionDigits),
    percent: (share: number, maxFractionDigits?: number) => formatPercent(share, locale, maxFractionDigits),
    points: (points: number, options?: { signed?: boolean }) => formatPoints(points, locale, options),
    time: (at: Instant) => formatTime(at, locale, timeZone),
    clock: (clock: string) => formatClock(clock, locale),
    date: (at: Instant, style?: DateStyle) => formatDate(at, locale, timeZone, style),
    dateTime: (at: Instant, options?: { style?: DateStyle; zoneName?: boolean }) =>
      formatDateTime(at, locale, timeZone, options),
    day: (day: string, style?: DateStyle | "weekday") => formatDay(day, locale, style),
    relativeDay: (at: Instant, options?: { now?: Date; withTime?: boolean }) =>
      formatRelativeDay(at, locale, timeZone, options),
    zone: (at?: Instant) => formatZone(timeZone, locale, at),
  };
}
