/** Integer minor units as an exact decimal string in major units ("-12.05"), with no float in between. */
export function decimalMoney(minorUnits: number): `${number}` {
  const abs = Math.abs(minorUnits);
  return `${minorUnits < 0 ? "-" : ""}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}` as `${number}`;
}

/** Formats integer minor units in a currency; the one implementation lives in server/format.ts. */
export { formatMoney } from "./format";
