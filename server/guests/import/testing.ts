import ExcelJS from "exceljs";
import { IMPORT_FIELDS, type ImportField, PRESETS, type PresetId } from "./presets";

/** One guest of a made-up export: the fields a preset may carry. */
export type SampleGuest = Partial<Record<ImportField, string>>;

/** The i-th guest of a made-up café: a Moscow mobile number, a card, a balance of points. */
export function sampleGuest(i: number): SampleGuest {
  return {
    phone: `+7 9${String(10 + (i % 90)).padStart(2, "0")} ${String(1_000_000 + i).slice(-7)}`,
    card: String(500_000_000 + i),
    email: `guest${i}@import.example`,
    name: `Гость ${i}`,
    firstName: `Guest`,
    lastName: `N${i}`,
    birthday: `${String((i % 28) + 1).padStart(2, "0")}.${String((i % 12) + 1).padStart(2, "0")}.1990`,
    balance: String((i * 37) % 5_000),
    tier: "",
    lifetimeSpent: String((i * 113) % 100_000),
    marketing: i % 3 === 0 ? "да" : "нет",
  };
}

/** A preset's header: the first name it knows for each field it has. */
export function presetHeader(preset: PresetId): { fields: ImportField[]; header: string[] } {
  const fields = IMPORT_FIELDS.filter((field) => PRESETS[preset].columns[field]?.[0]);
  // Square's split name makes "name" redundant; presets without a name split keep "name".
  return { fields, header: fields.map((field) => titleCase(PRESETS[preset].columns[field]?.[0] ?? "")) };
}

function titleCase(text: string): string {
  return text.replace(/(^|\s)(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());
}

const csvCell = (text: string, delimiter: string) =>
  /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replaceAll('"', '""')}"` : text;

/** A CSV export in a preset's columns (`;`-separated, as Russian Excel saves, unless told). */
export function presetCsv(preset: PresetId, guests: SampleGuest[], delimiter = ";"): string {
  const { fields, header } = presetHeader(preset);
  const lines = [header, ...guests.map((guest) => fields.map((field) => guest[field] ?? ""))];
  return `${lines.map((line) => line.map((cell) => csvCell(cell, delimiter)).join(delimiter)).join("\r\n")}\r\n`;
}

/** An XLSX export in a preset's columns; a cell starting with "=" is written as a formula. */
export async function presetXlsx(preset: PresetId, guests: SampleGuest[]): Promise<Buffer> {
  const { fields, header } = presetHeader(preset);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Клиенты");
  sheet.addRow(header);
  for (const guest of guests) {
    sheet.addRow(
      fields.map((field) => {
        const text = guest[field] ?? "";
        if (text.startsWith("=")) return { formula: text.slice(1), result: "" };
        // Phones and balances as numbers, as a spreadsheet keeps them.
        if ((field === "balance" || field === "phone") && /^\+?[\d ]+$/.test(text)) {
          return Number(text.replace(/[+ ]/g, ""));
        }
        return text;
      }),
    );
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Bytes as a stream of pieces, the way a request body or a file arrives. */
export async function* chunks(data: string | Buffer, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
