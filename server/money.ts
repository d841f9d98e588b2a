/** Integer minor units as an exact decimal string in major units ("-12.05"), with no float in between. */
export function decimalMoney(minorUnits: number): `${number}` {
  const abs = Math.abs(minorUnits);
  return `${minorUnits < 0 ? "-" : ""}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}` as `${number}`;
}

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
  // A decimal string, not minorUnits / 100: Intl formats it exactly.
  return formatter.format(decimalMoney(minorUnits) as Intl.StringNumericLiteral);
}
