import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import {
  type MenuImportChanges,
  type MenuTranslations,
  menuCategories,
  menuImportBatches,
  orderItems,
  products,
  productVariants,
} from "@/db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { lockName } from "../locks";
import { productIsNamed, slugify, uniqueSlug } from "./editor";
import { detectFormat, IMPORT_FORMATS, type ImportField, type ImportFormat, normalizeHeader } from "./import-formats";

/** Menus are small; a bigger file is a mistake (or not a menu). */
export const MAX_IMPORT_BYTES = 1024 * 1024;
export const MAX_IMPORT_ROWS = 5000;

export type ImportRowAction = "create" | "update" | "unchanged" | "skip" | "error";
/** One line of the dry run's report: a row of the file (1 = the header) and what happens to it. */
export type ImportReportLine = {
  row: number;
  action: ImportRowAction;
  sku: string;
  name: string;
  /** The size the row is, for products with sizes. */
  variant: string | null;
  /** Why (a code the page translates): price_negative, formula_as_text, duplicate_in_file… */
  reasons: string[];
};
export type ImportReport = {
  format: ImportFormat["id"] | null;
  fileName: string;
  fileSha256: string;
  /** A problem with the whole file (not_csv, empty, unknown_format, too_large…): nothing can be imported. */
  fileError: string | null;
  lines: ImportReportLine[];
  summary: { create: number; update: number; unchanged: number; skip: number; error: number; categories: number };
};

type ParsedVariant = { row: number; name: string; sku: string | null; price: number };
type ParsedItem = {
  rows: number[];
  sku: string;
  name: string;
  category: string;
  translations: MenuTranslations;
  description: string;
  /** Fields the file does not have stay as they are on update (and take defaults on create). */
  prepMinutes: number | null;
  vatRate: number | null | undefined;
  price: number;
  variants: ParsedVariant[];
  problems: Map<number, string[]>;
  warnings: Map<number, string[]>;
};

// ---------------------------------------------------------------------------------------------
// Reading the file

/** Minor units per major unit of a currency (RUB, EUR: 100; JPY: 1). */
export function minorUnitsOf(currency: string): number {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
  return 10 ** (digits ?? 2);
}

/**
 * A price as files write it ("250", "250.50", "1 250,00", "₽250") in minor units; "negative"
 * or "invalid" when it is not a price.
 */
export function parsePrice(text: string, minorUnits: number): number | "negative" | "invalid" | "empty" {
  const cleaned = text
    .replace(/[\s\u00a0\u202f]/g, "")
    .replace(/[^\d.,\-+]/g, (char) => (/\p{Sc}/u.test(char) ? "" : "#"));
  if (cleaned === "") return "empty";
  if (!/^[-+]?\d+([.,]\d+)?$/.test(cleaned)) return "invalid";
  const value = Number(cleaned.replace(",", "."));
  if (!Number.isFinite(value)) return "invalid";
  if (value < 0) return "negative";
  const minor = Math.round(value * minorUnits);
  if (!Number.isSafeInteger(minor) || minor > 100_000_000) return "invalid";
  return minor;
}

/** A cell a spreadsheet would run as a formula; it is kept as plain text and reported. */
const looksLikeFormula = (value: string) => /^[=+\-@]/.test(value) && !/^[-+]?\d/.test(value);

function decode(bytes: Buffer): { text: string } | { error: string } {
  if (bytes.length === 0) return { error: "empty" };
  if (bytes.length > MAX_IMPORT_BYTES) return { error: "too_large" };
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return { error: "xlsx_not_csv" };
  if (bytes.includes(0)) return { error: "not_csv" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // Excel on Windows saves CSV in the ANSI code page: Cyrillic then is windows-1251.
    text = new TextDecoder("windows-1251").decode(bytes);
  }
  text = text.replace(/^\uFEFF/, "");
  if (text.trim() === "") return { error: "empty" };
  return { text };
}

function readTable(bytes: Buffer): { header: string[]; rows: string[][] } | { error: string } {
  const decoded = decode(bytes);
  if ("error" in decoded) return decoded;
  const firstLine = decoded.text.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = [";", "\t", ","].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0] ?? ",";
  let records: string[][];
  try {
    records = parse(decoded.text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      trim: false,
    }) as string[][];
  } catch {
    return { error: "not_csv" };
  }
  const [header, ...rows] = records;
  if (!header || header.length < 2) return { error: "not_csv" };
  if (rows.length === 0) return { error: "empty" };
  if (rows.length > MAX_IMPORT_ROWS) return { error: "too_many_rows" };
  return { header, rows };
}

function groupItems(format: ImportFormat, header: string[], rows: string[][], minorUnits: number): ParsedItem[] {
  const names = header.map(normalizeHeader);
  const indexOf = (field: ImportField) => {
    for (const column of format.columns[field] ?? []) {
      const index = names.indexOf(column);
      if (index >= 0) return index;
    }
    return -1;
  };
  const columns = Object.fromEntries(
    (Object.keys(format.columns) as ImportField[]).map((field) => [field, indexOf(field)]),
  ) as Record<ImportField, number>;
  const cell = (row: string[], field: ImportField) => {
    const index = columns[field] ?? -1;
    return index >= 0 ? (row[index] ?? "").trim() : "";
  };
  const has = (field: ImportField) => (columns[field] ?? -1) >= 0;
  const items = new Map<string, ParsedItem>();
  rows.forEach((row, index) => {
    const rowNo = index + 2;
    const problems: string[] = [];
    const warnings: string[] = [];
    for (const field of ["name", "category", "description", "variant", "nameEn", "descriptionEn"] as ImportField[]) {
      if (looksLikeFormula(cell(row, field))) warnings.push("formula_as_text");
    }
    for (const field of format.required) if (!cell(row, field)) problems.push(`missing_${field}`);
    const priceText = cell(row, "price");
    const price = parsePrice(priceText, minorUnits);
    if (price === "negative") problems.push("price_negative");
    else if (price === "invalid") problems.push("price_invalid");
    else if (price === "empty") problems.push("price_missing");
    let prepMinutes: number | null = null;
    if (has("prepMinutes") && cell(row, "prepMinutes")) {
      const value = Number(cell(row, "prepMinutes"));
      if (!Number.isInteger(value) || value < 0 || value > 240) problems.push("prep_minutes_invalid");
      else prepMinutes = value;
    }
    let vatRate: number | null | undefined;
    if (has("vatRate")) {
      const text = cell(row, "vatRate").replace("%", "");
      const value = Number(text);
      if (text === "") vatRate = null;
      else if (!Number.isInteger(value) || value < 0 || value > 100) problems.push("vat_rate_invalid");
      else vatRate = value;
    }
    const groupKey = cell(row, format.groupBy) || cell(row, "name") || `row-${rowNo}`;
    const variantName = cell(row, "variant");
    const rowSku = cell(row, "variantSku") || null;
    let item = items.get(groupKey.toLowerCase());
    if (!item) {
      item = {
        rows: [],
        sku: format.id === "zerno" ? cell(row, "sku") : "",
        name: cell(row, "name"),
        category: cell(row, "category"),
        translations: {},
        description: cell(row, "description"),
        prepMinutes,
        vatRate,
        price: typeof price === "number" ? price : 0,
        variants: [],
        problems: new Map(),
        warnings: new Map(),
      };
      const nameEn = cell(row, "nameEn");
      const descriptionEn = cell(row, "descriptionEn");
      if (nameEn || descriptionEn) {
        item.translations = {
          en: { ...(nameEn ? { name: nameEn } : {}), ...(descriptionEn ? { description: descriptionEn } : {}) },
        };
      }
      items.set(groupKey.toLowerCase(), item);
    } else {
      // Later rows of an item fill what the first left blank (Loyverse writes item fields once).
      item.name ||= cell(row, "name");
      item.category ||= cell(row, "category");
      item.description ||= cell(row, "description");
    }
    item.rows.push(rowNo);
    if (problems.length > 0) item.problems.set(rowNo, problems);
    if (warnings.length > 0) item.warnings.set(rowNo, [...new Set(warnings)]);
    if (typeof price === "number") {
      if (item.variants.some((variant) => variant.name.toLowerCase() === variantName.toLowerCase())) {
        item.problems.set(rowNo, [...(item.problems.get(rowNo) ?? []), "duplicate_in_file"]);
      } else {
        item.variants.push({ row: rowNo, name: variantName, sku: rowSku, price });
      }
    }
  });
  // An item whose only size is unnamed (or Square's "Regular") is a product without sizes.
  for (const [key, item] of items) {
    const only = item.variants.length === 1 ? item.variants[0] : undefined;
    const single =
      only !== undefined && (only.name === "" || format.singleVariantNames.includes(only.name.toLowerCase()));
    if (single) {
      item.price = only.price;
      if (!item.sku) item.sku = only.sku ?? "";
      item.variants = [];
    } else {
      item.price = Math.min(...item.variants.map((variant) => variant.price), Number.MAX_SAFE_INTEGER);
      if (item.price === Number.MAX_SAFE_INTEGER) item.price = 0;
      if (format.id === "zerno") {
        // In the template a row's SKU is the product's; a size's own SKU is size_sku.
        for (const variant of item.variants) if (variant.sku === item.sku) variant.sku = null;
      }
      if (item.variants.some((variant) => variant.name === "")) {
        for (const variant of item.variants.filter((v) => v.name === "")) {
          item.problems.set(variant.row, [...(item.problems.get(variant.row) ?? []), "missing_variant"]);
        }
      }
    }
    if (!item.sku) item.sku = (format.id === "loyverse" ? key : slugify(item.name)).toUpperCase().replace(/\s+/g, "-");
  }
  return [...items.values()];
}

// ---------------------------------------------------------------------------------------------
// The plan: what each item does to the menu

type ExistingProduct = typeof products.$inferSelect & { variants: (typeof productVariants.$inferSelect)[] };

type PlannedItem = {
  item: ParsedItem;
  action: "create" | "update" | "unchanged" | "error";
  existing: ExistingProduct | null;
  reasons: string[];
};

async function loadExisting(tx: Tx) {
  const [productRows, variantRows, categoryRows] = await Promise.all([
    tx.select().from(products),
    tx.select().from(productVariants),
    tx.select().from(menuCategories),
  ]);
  const withVariants: ExistingProduct[] = productRows.map((product) => ({
    ...product,
    variants: variantRows.filter((variant) => variant.productId === product.id),
  }));
  return { products: withVariants, variants: variantRows, categories: categoryRows };
}

const lower = (text: string) => text.trim().toLowerCase();

function sameItem(existing: ExistingProduct, item: ParsedItem, categoryId: string | null): boolean {
  const live = existing.variants.filter((variant) => variant.archivedAt === null);
  return (
    existing.active &&
    existing.name === item.name &&
    existing.description === item.description &&
    existing.price === item.price &&
    existing.categoryId === categoryId &&
    (item.prepMinutes === null || existing.prepMinutes === item.prepMinutes) &&
    (item.vatRate === undefined || existing.vatRate === item.vatRate) &&
    (Object.keys(item.translations).length === 0 ||
      JSON.stringify(existing.translations) === JSON.stringify(item.translations)) &&
    live.length === item.variants.length &&
    item.variants.every((variant) =>
      live.some(
        (row) => lower(row.name) === lower(variant.name) && row.price === variant.price && row.sku === variant.sku,
      ),
    )
  );
}

function plan(items: ParsedItem[], existing: Awaited<ReturnType<typeof loadExisting>>): PlannedItem[] {
  const seenSkus = new Map<string, number>();
  const claimed = new Set<string>();
  return items.map((item) => {
    const reasons = [...item.problems.values()].flat();
    if (!item.name) reasons.push("missing_name");
    const firstRow = item.rows[0] ?? 0;
    const skuKey = item.sku.toLowerCase();
    if (seenSkus.has(skuKey)) reasons.push("duplicate_in_file");
    else seenSkus.set(skuKey, firstRow);
    // Matched by SKU first, then by name: re-importing a file makes no duplicates.
    const match =
      existing.products.find((product) => product.sku === item.sku && !claimed.has(product.id)) ??
      existing.products.find((product) => lower(product.name) === lower(item.name) && !claimed.has(product.id)) ??
      null;
    if (match) claimed.add(match.id);
    const productSkus = new Set(existing.products.filter((p) => p.id !== match?.id).map((p) => p.sku));
    if (productSkus.has(item.sku) || existing.variants.some((row) => row.sku === item.sku)) reasons.push("sku_taken");
    for (const variant of item.variants) {
      if (!variant.sku) continue;
      // A size's SKU is unique in the café like an item's: twice in the file is refused here, not by the database.
      const variantKey = variant.sku.toLowerCase();
      if (seenSkus.has(variantKey)) reasons.push("duplicate_in_file");
      else seenSkus.set(variantKey, firstRow);
      const owner = existing.variants.find((row) => row.sku === variant.sku);
      if ((owner && owner.productId !== match?.id) || productSkus.has(variant.sku)) reasons.push("sku_taken");
    }
    if (reasons.length > 0) return { item, action: "error", existing: match, reasons: [...new Set(reasons)] };
    const category = existing.categories.find((row) => lower(row.name) === lower(item.category));
    const unchanged = match && sameItem(match, item, category?.id ?? null);
    return { item, action: match ? (unchanged ? "unchanged" : "update") : "create", existing: match, reasons: [] };
  });
}

function report(
  fileName: string,
  bytes: Buffer,
  format: ImportFormat | null,
  planned: PlannedItem[],
  newCategories: number,
  fileError: string | null,
): ImportReport {
  const lines: ImportReportLine[] = [];
  for (const { item, action, reasons } of planned) {
    for (const row of item.rows) {
      const variant = item.variants.find((v) => v.row === row)?.name ?? null;
      const own = item.problems.get(row) ?? [];
      const warnings = item.warnings.get(row) ?? [];
      // Rows of an item with an error elsewhere are skipped, saying which row holds it.
      const rowAction: ImportRowAction =
        action === "error" ? (own.length > 0 || row === item.rows[0] ? "error" : "skip") : action;
      const rowReasons =
        action === "error"
          ? own.length > 0
            ? own
            : row === item.rows[0]
              ? reasons
              : ["item_has_errors"]
          : action === "unchanged"
            ? ["no_change"]
            : [];
      lines.push({
        row,
        action: rowAction,
        sku: item.sku,
        name: item.name,
        variant,
        reasons: [...rowReasons, ...warnings],
      });
    }
  }
  lines.sort((a, b) => a.row - b.row);
  const count = (action: ImportRowAction) => planned.filter((p) => p.action === action).length;
  return {
    format: format?.id ?? null,
    fileName,
    fileSha256: createHash("sha256").update(bytes).digest("hex"),
    fileError,
    lines,
    summary: {
      create: count("create"),
      update: count("update"),
      unchanged: count("unchanged"),
      skip: lines.filter((line) => line.action === "skip").length,
      error: count("error"),
      categories: newCategories,
    },
  };
}

async function prepare(tx: Tx, input: { fileName: string; bytes: Buffer; currency: string; defaultCategory?: string }) {
  const table = readTable(input.bytes);
  if ("error" in table) return { report: report(input.fileName, input.bytes, null, [], 0, table.error), planned: [] };
  const format = detectFormat(table.header);
  if (!format) return { report: report(input.fileName, input.bytes, null, [], 0, "unknown_format"), planned: [] };
  const items = groupItems(format, table.header, table.rows, minorUnitsOf(input.currency));
  const existing = await loadExisting(tx);
  const planned = plan(items, existing);
  const categoryNames = new Set(existing.categories.map((row) => lower(row.name)));
  const newCategories = new Set(
    planned
      .filter((p) => p.action === "create" || p.action === "update")
      .map((p) => lower(p.item.category || (input.defaultCategory ?? "")))
      .filter((name) => name && !categoryNames.has(name)),
  );
  return { report: report(input.fileName, input.bytes, format, planned, newCategories.size, null), planned, existing };
}

/**
 * The dry run: reads a menu file (the Zerno template, a Loyverse or a Square export, told apart
 * by the header) and says, row by row, what importing it would create, update, leave unchanged or
 * skip, and why. Changes nothing.
 */
export async function dryRunMenuImport(
  tx: Tx,
  input: { fileName: string; bytes: Buffer; currency: string; defaultCategory?: string },
): Promise<ImportReport> {
  return (await prepare(tx, input)).report;
}

/**
 * Applies a menu file as one batch, in the caller's transaction: everything or, on any failure,
 * nothing. Rows with errors are skipped as the dry run said. The plan is made again under the
 * café's import lock, so two applies of one file at once apply it once (the second finds
 * everything unchanged). Returns the report and the batch (null when nothing changed). Audited.
 */
export async function applyMenuImport(
  tx: Tx,
  input: {
    tenantId: string;
    fileName: string;
    bytes: Buffer;
    currency: string;
    /** The category of rows that name none (Square items may have none). */
    defaultCategory: string;
    actor: { userId: string; ip: string | null };
  },
): Promise<{ report: ImportReport; batchId: string | null }> {
  await lockName(tx, `menu-import:${input.tenantId}`);
  // The same lock as the editor's SKU checks: an editor cannot take a SKU the import is taking.
  await lockName(tx, `menu-sku:${input.tenantId}`);
  const prepared = await prepare(tx, input);
  const { report: result, planned } = prepared;
  const toApply = planned.filter((p) => p.action === "create" || p.action === "update");
  if (result.fileError || toApply.length === 0 || !prepared.existing) return { report: result, batchId: null };

  const changes: MenuImportChanges = {
    createdCategoryIds: [],
    createdProductIds: [],
    createdVariantIds: [],
    updatedProducts: [],
    updatedVariants: [],
  };
  const categories = new Map(prepared.existing.categories.map((row) => [lower(row.name), row.id]));
  const categorySlugs = new Set(prepared.existing.categories.map((row) => row.slug));
  let sortOrder = Math.max(-1, ...prepared.existing.categories.map((row) => row.sortOrder));
  const categoryOf = async (name: string) => {
    const wanted = name.trim() || input.defaultCategory;
    const known = categories.get(lower(wanted));
    if (known) return known;
    const slug = uniqueSlug(slugify(wanted), categorySlugs);
    categorySlugs.add(slug);
    const [row] = await tx
      .insert(menuCategories)
      .values({ tenantId: input.tenantId, slug, name: wanted, sortOrder: ++sortOrder })
      .returning({ id: menuCategories.id });
    if (!row) throw new Error("category insert returned nothing");
    categories.set(lower(wanted), row.id);
    changes.createdCategoryIds.push(row.id);
    return row.id;
  };

  for (const { item, existing } of toApply) {
    const categoryId = await categoryOf(item.category);
    const values = {
      categoryId,
      sku: item.sku,
      name: item.name,
      description: item.description,
      price: item.price,
      active: true,
      ...(Object.keys(item.translations).length > 0 ? { translations: item.translations } : {}),
      ...(item.prepMinutes !== null ? { prepMinutes: item.prepMinutes } : {}),
      ...(item.vatRate !== undefined ? { vatRate: item.vatRate } : {}),
    };
    let productId: string;
    if (existing) {
      productId = existing.id;
      changes.updatedProducts.push({
        id: existing.id,
        before: {
          categoryId: existing.categoryId,
          sku: existing.sku,
          name: existing.name,
          description: existing.description,
          price: existing.price,
          active: existing.active,
          translations: existing.translations,
          prepMinutes: existing.prepMinutes,
          vatRate: existing.vatRate,
        },
      });
      await tx.update(products).set(values).where(eq(products.id, existing.id));
    } else {
      const [row] = await tx
        .insert(products)
        .values({ tenantId: input.tenantId, ...values })
        .returning({ id: products.id });
      if (!row) throw new Error("product insert returned nothing");
      productId = row.id;
      changes.createdProductIds.push(row.id);
    }
    const live = existing?.variants ?? [];
    const kept = new Set<string>();
    const slugs = new Set(live.map((row) => row.slug));
    for (const [index, variant] of item.variants.entries()) {
      const match = live.find((row) => !kept.has(row.id) && lower(row.name) === lower(variant.name));
      const variantValues = {
        name: variant.name,
        sku: variant.sku,
        price: variant.price,
        sortOrder: index,
        archivedAt: null,
      };
      if (match) {
        kept.add(match.id);
        changes.updatedVariants.push({
          id: match.id,
          before: {
            name: match.name,
            sku: match.sku,
            price: match.price,
            sortOrder: match.sortOrder,
            archivedAt: match.archivedAt,
          },
        });
        await tx.update(productVariants).set(variantValues).where(eq(productVariants.id, match.id));
      } else {
        const slug = uniqueSlug(slugify(variant.name), slugs);
        slugs.add(slug);
        const [row] = await tx
          .insert(productVariants)
          .values({ tenantId: input.tenantId, productId, slug, ...variantValues })
          .returning({ id: productVariants.id });
        if (row) changes.createdVariantIds.push(row.id);
      }
    }
    // Sizes the file no longer lists are archived (orders may name them).
    for (const row of live.filter((row) => !kept.has(row.id) && row.archivedAt === null)) {
      changes.updatedVariants.push({ id: row.id, before: { archivedAt: row.archivedAt } });
      await tx.update(productVariants).set({ archivedAt: new Date() }).where(eq(productVariants.id, row.id));
    }
  }

  const summary = { ...result.summary };
  const [batch] = await tx
    .insert(menuImportBatches)
    .values({
      tenantId: input.tenantId,
      format: result.format ?? "unknown",
      fileName: input.fileName.slice(0, 200),
      fileSha256: result.fileSha256,
      summary,
      changes,
      createdBy: input.actor.userId,
    })
    .returning({ id: menuImportBatches.id });
  if (!batch) throw new Error("batch insert returned nothing");
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "menu.import_applied",
    targetType: "menu_import",
    targetId: batch.id,
    meta: { fileName: input.fileName, format: result.format, sha256: result.fileSha256, summary },
  });
  return { report: result, batchId: batch.id };
}

export type ImportBatchView = {
  id: string;
  format: string;
  fileName: string;
  summary: Record<string, number>;
  createdAt: Date;
  undoneAt: Date | null;
};

/** The café's menu imports, newest first. */
export function listMenuImports(tx: Tx): Promise<ImportBatchView[]> {
  return tx
    .select({
      id: menuImportBatches.id,
      format: menuImportBatches.format,
      fileName: menuImportBatches.fileName,
      summary: menuImportBatches.summary,
      createdAt: menuImportBatches.createdAt,
      undoneAt: menuImportBatches.undoneAt,
    })
    .from(menuImportBatches)
    .orderBy(desc(menuImportBatches.createdAt))
    .limit(50);
}

/**
 * Undoes an import batch as a whole: products, sizes and categories it created are deleted —
 * or archived where an order or receipt already names them — and what it changed gets its
 * previous values back. Only the newest batch not undone yet can be undone (a later one may
 * have changed the same rows). Audited with the counts.
 */
export async function undoMenuImport(
  tx: Tx,
  input: { tenantId: string; batchId: string; actor: { userId: string; ip: string | null } },
): Promise<{ deleted: number; archived: number; restored: number }> {
  await lockName(tx, `menu-import:${input.tenantId}`);
  const [batch] = await tx.select().from(menuImportBatches).where(eq(menuImportBatches.id, input.batchId));
  if (!batch) throw new AppError("not_found", "No such import", "import_not_found");
  if (batch.undoneAt) throw new AppError("conflict", "This import is already undone", "import_already_undone");
  const [newest] = await tx
    .select({ id: menuImportBatches.id })
    .from(menuImportBatches)
    .where(isNull(menuImportBatches.undoneAt))
    .orderBy(desc(menuImportBatches.createdAt))
    .limit(1);
  if (newest?.id !== batch.id) {
    throw new AppError("conflict", "Undo the newer imports first", "import_newer_first");
  }
  const counts = { deleted: 0, archived: 0, restored: 0 };
  const { changes } = batch;
  for (const { id, before } of changes.updatedProducts) {
    await tx
      .update(products)
      .set(before as Partial<typeof products.$inferInsert>)
      .where(eq(products.id, id));
    counts.restored++;
  }
  for (const { id, before } of changes.updatedVariants) {
    const values = { ...before } as Partial<typeof productVariants.$inferInsert> & { archivedAt?: unknown };
    if (typeof values.archivedAt === "string") values.archivedAt = new Date(values.archivedAt);
    await tx
      .update(productVariants)
      .set(values as Partial<typeof productVariants.$inferInsert>)
      .where(eq(productVariants.id, id));
    counts.restored++;
  }
  for (const id of changes.createdVariantIds) {
    const [variant] = await tx.select().from(productVariants).where(eq(productVariants.id, id));
    if (!variant) continue;
    if (changes.createdProductIds.includes(variant.productId)) continue;
    const [named] = await tx
      .select({ one: sql`1` })
      .from(orderItems)
      .where(and(eq(orderItems.productId, variant.productId), eq(orderItems.variantSlug, variant.slug)))
      .limit(1);
    if (named) {
      await tx.update(productVariants).set({ archivedAt: new Date() }).where(eq(productVariants.id, id));
      counts.archived++;
    } else {
      await tx.delete(productVariants).where(eq(productVariants.id, id));
      counts.deleted++;
    }
  }
  for (const id of changes.createdProductIds) {
    if (await productIsNamed(tx, id)) {
      // An order already names it: off the menu, kept for the order's sake.
      await tx.update(products).set({ active: false }).where(eq(products.id, id));
      counts.archived++;
    } else {
      await tx.delete(products).where(eq(products.id, id));
      counts.deleted++;
    }
  }
  if (changes.createdCategoryIds.length > 0) {
    const stillUsed = new Set(
      (
        await tx
          .select({ categoryId: products.categoryId })
          .from(products)
          .where(inArray(products.categoryId, changes.createdCategoryIds))
      ).map((row) => row.categoryId),
    );
    for (const id of changes.createdCategoryIds) {
      if (stillUsed.has(id)) {
        await tx.update(menuCategories).set({ archivedAt: new Date() }).where(eq(menuCategories.id, id));
        counts.archived++;
      } else {
        await tx.delete(menuCategories).where(eq(menuCategories.id, id));
        counts.deleted++;
      }
    }
  }
  await tx.update(menuImportBatches).set({ undoneAt: new Date() }).where(eq(menuImportBatches.id, batch.id));
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "menu.import_undone",
    targetType: "menu_import",
    targetId: batch.id,
    meta: { fileName: batch.fileName, ...counts },
  });
  return counts;
}

/** What each format expects, for the page's help and the report of an unknown file. */
export const FORMAT_SIGNATURES = IMPORT_FORMATS.map((format) => ({ id: format.id, columns: format.signature }));
