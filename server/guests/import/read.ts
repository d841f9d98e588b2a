import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import ExcelJS from "exceljs";
import { AppError } from "../../errors";

/** More rows than this and a file is refused, without being read through (stated on the page). */
export const MAX_IMPORT_ROWS = 500_000;
/** Larger files are refused as they arrive. 500 000 rows of a wide export fit in it. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export type ReadLimits = { maxRows: number; maxBytes: number };
export const DEFAULT_LIMITS: ReadLimits = { maxRows: MAX_IMPORT_ROWS, maxBytes: MAX_IMPORT_BYTES };

/** A data row: its number as a spreadsheet shows it (the header is row 1) and its cells as text. */
export type FileRow = { rowNo: number; cells: string[] };
export type FileFormat = "csv" | "xlsx";
export type ReadResult = { format: FileFormat; sha256: string; header: string[]; rowCount: number };

/**
 * A row longer than this (in characters) is not a guest: a file without line breaks, or a quote
 * never closed. Refused at that point, before the parser holds megabytes in one cell.
 */
export const MAX_ROW_CHARS = 256 * 1024;

/** Rows are handed over in pieces of this many, so a file is never held in memory whole. */
const CHUNK = 5_000;

const refuse = (reason: string, message: string, details?: Record<string, unknown>) =>
  new AppError("unprocessable", message, reason, details);

/**
 * Reads a guest file (CSV in UTF-8 or Windows-1251, with `,` `;` or tab; or XLSX, its first sheet)
 * as it streams in: the first non-empty row is the header, every later row goes to `onRows` as
 * text — a formula is its text ("=HYPERLINK(…)"), never its computed value. The format is read
 * from the content, not the name. Refuses (AppError with a reason) a file that is neither
 * (not_csv_or_xlsx), has no data rows (empty_file), or is over the limits (too_many_rows,
 * too_large): those stop the reading at once.
 */
export async function readGuestFile(
  source: AsyncIterable<Uint8Array>,
  onRows: (rows: FileRow[]) => Promise<void>,
  limits: ReadLimits = DEFAULT_LIMITS,
): Promise<ReadResult> {
  const hash = createHash("sha256");
  let bytes = 0;
  const counted = (async function* () {
    for await (const chunk of source) {
      bytes += chunk.byteLength;
      if (bytes > limits.maxBytes) {
        throw refuse("too_large", `The file is larger than ${limits.maxBytes} bytes`, { limit: limits.maxBytes });
      }
      hash.update(chunk);
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  })();
  const { head, rest } = await peek(counted, SNIFF_BYTES);
  if (head.length === 0) throw refuse("empty_file", "The file is empty");
  const format = sniff(head);
  if (!format) throw refuse("not_csv_or_xlsx", "The file is neither CSV nor XLSX");

  let header: string[] | null = null;
  let rowCount = 0;
  let pending: FileRow[] = [];
  const take = async (rowNo: number, read: string[]) => {
    // A NUL past the sniffed start is a stray byte, not a binary file; PostgreSQL cannot store it.
    const cells = read.map((cell) => (cell.includes("\u0000") ? cell.replaceAll("\u0000", "") : cell));
    if (!header) {
      if (cells.some((cell) => cell.trim() !== "")) header = cells.map((cell) => cell.trim());
      return;
    }
    if (cells.every((cell) => cell.trim() === "")) return;
    rowCount += 1;
    if (rowCount > limits.maxRows) {
      throw refuse("too_many_rows", `The file has more than ${limits.maxRows} rows`, { limit: limits.maxRows });
    }
    pending.push({ rowNo, cells });
    if (pending.length >= CHUNK) {
      const full = pending;
      pending = [];
      await onRows(full);
    }
  };

  if (format === "csv") await readCsv(head, rest, take);
  else await readXlsx(rest, take);
  if (pending.length > 0) await onRows(pending);
  if (!header || rowCount === 0) throw refuse("empty_file", "The file has no rows under its header");
  return { format, sha256: hash.digest("hex"), header, rowCount };
}

/** The first `size` bytes (or all, if fewer) and an iterable of the whole stream from its start. */
async function peek(source: AsyncGenerator<Buffer>, size: number) {
  const seen: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < size) {
    const next = await source.next();
    if (next.done) {
      done = true;
      break;
    }
    seen.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(seen);
  const rest = (async function* () {
    if (head.length > 0) yield head;
    if (!done) yield* source;
  })();
  return { head, rest };
}

/** How much of the start decides the format (the first chunk may hold more: the same bytes decide). */
const SNIFF_BYTES = 8_192;

/** XLSX by its zip signature; CSV when the start reads as text; null for anything else. */
function sniff(head: Buffer): FileFormat | null {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return "xlsx";
  let control = 0;
  for (const byte of head.subarray(0, SNIFF_BYTES)) {
    if (byte === 0) return null;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control += 1;
  }
  return control * 100 <= head.length ? "csv" : null;
}

/** UTF-8 when the start decodes as UTF-8; otherwise Windows-1251, what Russian Excel saves. */
function encodingOf(head: Buffer): "utf-8" | "windows-1251" {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return "utf-8";
  } catch {
    return "windows-1251";
  }
}

/** The delimiter that splits the first line most (outside quotes). */
function delimiterOf(text: string): string {
  const line = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  let quoted = false;
  const counts = new Map<string, number>([
    [",", 0],
    [";", 0],
    ["\t", 0],
  ]);
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? ",";
}

async function readCsv(
  head: Buffer,
  bytes: AsyncIterable<Buffer>,
  take: (rowNo: number, cells: string[]) => Promise<void>,
) {
  const encoding = encodingOf(head);
  const decoder = new TextDecoder(encoding);
  const delimiter = delimiterOf(decoder.decode(head.subarray(0, 4_096), { stream: false }));
  const text = Readable.from(
    (async function* () {
      const streaming = new TextDecoder(encoding);
      for await (const chunk of bytes) yield streaming.decode(chunk, { stream: true });
      const tail = streaming.decode();
      if (tail) yield tail;
    })(),
  );
  const parser = text.pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      max_record_size: MAX_ROW_CHARS,
    }),
  );
  let rowNo = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNo += 1;
      await take(rowNo, record);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    if ((error as { code?: string }).code === "CSV_MAX_RECORD_SIZE") {
      throw refuse("row_too_long", `Row ${rowNo + 1} is longer than ${MAX_ROW_CHARS} characters`, {
        limit: MAX_ROW_CHARS,
      });
    }
    throw refuse("unreadable_csv", `The CSV cannot be read: ${(error as Error).message}`);
  } finally {
    // Stops the reading where it is (a refusal mid-file): the rest of the file is never pulled.
    text.destroy();
  }
}

async function readXlsx(bytes: AsyncIterable<Buffer>, take: (rowNo: number, cells: string[]) => Promise<void>) {
  const input = Readable.from(bytes);
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: "cache",
    hyperlinks: "ignore",
    // Kept so that date cells come as dates (a birthday), not as Excel's day numbers.
    styles: "cache",
    worksheets: "emit",
    entries: "ignore",
  });
  let sheet = 0;
  try {
    for await (const worksheet of workbook) {
      sheet += 1;
      for await (const row of worksheet) {
        // Only the first sheet is the guest list; the others are read past.
        if (sheet > 1) continue;
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let column = 1; column < values.length; column++) cells.push(cellText(values[column]));
        await take(row.number, cells);
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw refuse("not_csv_or_xlsx", `The file is not a readable XLSX: ${(error as Error).message}`);
  } finally {
    input.destroy();
  }
}

/** A cell as text: a formula as its own text, never as the result a spreadsheet computed. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    const cell = value as Record<string, unknown>;
    if (typeof cell.formula === "string") return `=${cell.formula}`;
    if (typeof cell.sharedFormula === "string") return `=${cell.sharedFormula}`;
    if (Array.isArray(cell.richText)) return cell.richText.map((run) => String(run?.text ?? "")).join("");
    if ("text" in cell) return cellText(cell.text);
    if ("error" in cell) return String(cell.error);
  }
  return String(value);
}
