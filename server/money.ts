/** Formats integer minor units in the tenant's currency and locale. */
export function formatMoney(minorUnits: number, currency: string, locale: string): string {
  const abs = Math.abs(minorUnits);
  const cents = abs % 100;
  const formatter = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: cents === 0 ? 0 : 2,
    maximumFractionDigits: 2,
  });
  // A decimal string, not minorUnits / 100: Intl formats it exactly, with no float in between.
  const decimal = `${minorUnits < 0 ? "-" : ""}${Math.trunc(abs / 100)}.${String(cents).padStart(2, "0")}` as const;
  return formatter.format(decimal as Intl.StringNumericLiteral);
}
