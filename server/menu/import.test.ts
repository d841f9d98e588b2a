import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tx, withTenant } from "@/db/client";
import { auditLog, menuCategories, menuImportBatches, products, productVariants, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { applyEnv } from "../env";
import { AppError } from "../errors";
import { enrolGuest } from "../loyalty/guests";
import { loadProgram } from "../loyalty/program";
import { placeOrder } from "../orders/place";
import { createTenant } from "../tenants/create";
import { applyMenuImport, dryRunMenuImport, type ImportReport, undoMenuImport } from "./import";
import { getMenu } from "./menu";

const db = await testDatabase();
applyEnv({ APP_DATABASE_URL: db.appUrl });
afterAll(async () => {
  await (globalThis as { zernoDb?: { client: { end: () => Promise<void> } } }).zernoDb?.client.end();
});

const morning = new Date(Date.UTC(2030, 2, 4, 6, 0));
let tenantId = "";
let locationId = "";
let userId = "";

const inCafe = <T>(work: (tx: Tx) => Promise<T>) => withTenant(tenantId, work, db.app);
const csv = (lines: string[]) => Buffer.from(`${lines.join("\r\n")}\r\n`);
const dryRun = (bytes: Buffer, fileName = "menu.csv") =>
  inCafe((tx) => dryRunMenuImport(tx, { fileName, bytes, currency: "RUB", defaultCategory: "Без категории" }));
const apply = (bytes: Buffer, fileName = "menu.csv") =>
  inCafe((tx) =>
    applyMenuImport(tx, {
      tenantId,
      fileName,
      bytes,
      currency: "RUB",
      defaultCategory: "Без категории",
      actor: { userId, ip: "203.0.113.5" },
    }),
  );
const undo = (batchId: string) =>
  inCafe((tx) => undoMenuImport(tx, { tenantId, batchId, actor: { userId, ip: null } }));
const productRows = () => db.admin.select().from(products).where(eq(products.tenantId, tenantId));
const byRow = (report: ImportReport) => report.lines.map((line) => [line.row, line.action, ...line.reasons]);

async function reason(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.reason;
    throw error;
  }
  return "accepted";
}

const TEMPLATE = csv([
  "category,sku,name,name_en,description,description_en,size,size_sku,price,prep_minutes,vat_rate",
  "Кофе,LATTE,Латте,Latte,Эспрессо и молоко,Espresso and milk,0.3 л,,200,4,20",
  "Кофе,LATTE,Латте,Latte,Эспрессо и молоко,Espresso and milk,0.4 л,,250.50,4,20",
  'Выпечка,CROISSANT,Круассан,Croissant,,,,,"1 150,00",1,10',
]);

beforeAll(async () => {
  const created = await db.app.transaction((tx) =>
    createTenant(tx, {
      slug: "import-cafe",
      name: "Import café",
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      locations: [{ slug: "main", name: "Main", address: "1 Main" }],
    }),
  );
  tenantId = created.tenant.id;
  locationId = created.locations[0]?.id ?? "";
  const [user] = await db.app.insert(users).values({ email: "importer@import.test", name: "Importer" }).returning();
  userId = user?.id ?? "";
});

describe("menu import", () => {
  it("the template: a dry run says what it would do and changes nothing; applying makes it; re-importing duplicates nothing", async () => {
    const report = await dryRun(TEMPLATE);
    expect(report.format).toBe("zerno");
    expect(report.summary).toMatchObject({ create: 2, update: 0, error: 0, categories: 2 });
    expect(byRow(report)).toEqual([
      [2, "create"],
      [3, "create"],
      [4, "create"],
    ]);
    expect(await productRows()).toEqual([]);

    const applied = await apply(TEMPLATE);
    expect(applied.batchId).not.toBeNull();
    const menu = await inCafe((tx) => getMenu(tx, { locationId, now: morning, locale: "en" }));
    expect(menu.map((category) => category.name)).toEqual(["Кофе", "Выпечка"]);
    const latte = menu[0]?.products[0];
    expect(latte).toMatchObject({
      sku: "LATTE",
      name: "Latte",
      description: "Espresso and milk",
      prepMinutes: 4,
      vatRate: 20,
    });
    expect(latte?.variants.map((v) => [v.name, v.price])).toEqual([
      ["0.3 л", 20_000],
      ["0.4 л", 25_050],
    ]);
    expect(menu[1]?.products[0]).toMatchObject({ sku: "CROISSANT", price: 115_000, variants: [] });

    // The same file again: every row unchanged, no batch, no duplicate.
    const again = await apply(TEMPLATE);
    expect(again.batchId).toBeNull();
    expect(again.report.summary).toMatchObject({ create: 0, update: 0, unchanged: 2 });
    expect(byRow(again.report)).toEqual([
      [2, "unchanged", "no_change"],
      [3, "unchanged", "no_change"],
      [4, "unchanged", "no_change"],
    ]);
    expect(await productRows()).toHaveLength(2);
  });

  it("a Loyverse export: the rows of one Handle are one item, each option value a size; matched by SKU, then name", async () => {
    const loyverse = csv([
      "Handle,SKU,Name,Category,Description,Sold by weight,Option 1 name,Option 1 value,Default price,Cost",
      "cappuccino,10001,Капучино,Кофе,,N,Размер,S,180,40",
      "cappuccino,10002,,,,N,Размер,L,220,50",
      // Named like the template's croissant (another SKU): updated, not duplicated.
      "croissant,10003,Круассан,Выпечка,С маслом,N,,,120,30",
    ]);
    const report = await dryRun(loyverse, "export_items.csv");
    expect(report.format).toBe("loyverse");
    expect(byRow(report)).toEqual([
      [2, "create"],
      [3, "create"],
      [4, "update"],
    ]);
    await apply(loyverse, "export_items.csv");
    const rows = await productRows();
    expect(rows.map((row) => row.sku).sort()).toEqual(["10003", "CAPPUCCINO", "LATTE"]);
    const sizes = await db.admin.select().from(productVariants).where(eq(productVariants.tenantId, tenantId));
    expect(sizes.filter((v) => v.sku?.startsWith("1000")).map((v) => [v.name, v.sku, v.price])).toEqual([
      ["S", "10001", 18_000],
      ["L", "10002", 22_000],
    ]);
  });

  it("a Square export: variations of one item name are sizes, a lone 'Regular' is no size at all", async () => {
    const square = csv([
      "Token,Item Name,Variation Name,SKU,Description,Categories,Price,Tax - VAT (20%)",
      "A1,Флэт уайт,Regular,SQ-FLAT,,Кофе,230.00,Y",
      "B1,Раф,Маленький,SQ-RAF-S,,Кофе,260.00,Y",
      "B2,Раф,Большой,SQ-RAF-L,,Кофе,300.00,Y",
      "C1,Печенье,Regular,,,,90.00,Y",
    ]);
    const report = await dryRun(square, "square.csv");
    expect(report.format).toBe("square");
    expect(report.summary).toMatchObject({ create: 3, error: 0, categories: 1 });
    await apply(square, "square.csv");
    const menu = await inCafe((tx) => getMenu(tx, { locationId, now: morning }));
    const all = menu.flatMap((category) => category.products);
    expect(all.find((p) => p.name === "Флэт уайт")).toMatchObject({ sku: "SQ-FLAT", price: 23_000, variants: [] });
    expect(all.find((p) => p.name === "Раф")?.variants.map((v) => [v.name, v.sku])).toEqual([
      ["Маленький", "SQ-RAF-S"],
      ["Большой", "SQ-RAF-L"],
    ]);
    // No category in the file: the default one.
    expect(menu.find((c) => c.products.some((p) => p.name === "Печенье"))?.name).toBe("Без категории");
  });

  it("bad input gets a clear line: not CSV, empty, a spreadsheet, an unknown header", async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    expect((await dryRun(png, "menu.csv")).fileError).toBe("not_csv");
    expect((await dryRun(Buffer.alloc(0))).fileError).toBe("empty");
    expect((await dryRun(csv(["category,sku,name,price"]))).fileError).toBe("empty");
    expect((await dryRun(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), "menu.xlsx")).fileError).toBe("xlsx_not_csv");
    expect((await dryRun(csv(["Имя,Цена", "Латте,200"]))).fileError).toBe("unknown_format");
    const before = await productRows();
    expect((await apply(png)).batchId).toBeNull();
    expect(await productRows()).toEqual(before);
  });

  it("a negative price is an error row and is skipped; a formula is stored as plain text; nothing else is held back", async () => {
    const file = csv([
      "category,sku,name,price",
      "Напитки,LEMONADE,Лимонад,-150",
      'Напитки,LINK,"=HYPERLINK(""http://evil.example"",""click"")",100',
      "Напитки,TEA,Чай,abc",
      "Напитки,COCOA,Какао,190",
    ]);
    const report = await dryRun(file);
    expect(byRow(report)).toEqual([
      [2, "error", "price_negative"],
      [3, "create", "formula_as_text"],
      [4, "error", "price_invalid"],
      [5, "create"],
    ]);
    const { batchId } = await apply(file);
    expect(batchId).not.toBeNull();
    const rows = await productRows();
    expect(rows.find((row) => row.sku === "LINK")?.name).toBe('=HYPERLINK("http://evil.example","click")');
    expect(rows.map((row) => row.sku)).not.toContain("LEMONADE");
    expect(rows.map((row) => row.sku)).toContain("COCOA");
    await undo(batchId ?? "");
  });

  it("undo removes what the batch made and restores what it changed; what an order names is archived instead", async () => {
    const file = csv(["category,sku,name,price", "Кофе,LATTE,Латте,999", "Сезонное,PUMPKIN,Тыквенный латте,320"]);
    const { batchId } = await apply(file);
    if (!batchId) throw new Error("no batch");
    // The undo refuses while a newer batch stands in front of an older one.
    const older = (
      await db.admin.select().from(menuImportBatches).where(eq(menuImportBatches.tenantId, tenantId))
    ).find((batch) => batch.id !== batchId && !batch.undoneAt);
    if (older) expect(await reason(undo(older.id))).toBe("import_newer_first");

    const guestId = await inCafe(async (tx) => {
      const guest = await enrolGuest(tx, await loadProgram(tx), {
        tenantId,
        phone: "+79261119988",
        channel: "online",
        actor: { kind: "guest" },
      });
      await placeOrder(tx, await loadProgram(tx), {
        tenantId,
        guestId: guest.id,
        locationId,
        items: [{ productSku: "PUMPKIN", quantity: 1 }],
        pickup: "asap",
        pointsToUse: 0,
        idempotencyKey: "pumpkin",
        now: morning,
      });
      return guest.id;
    });
    expect(guestId).toBeTruthy();

    expect(await undo(batchId)).toMatchObject({ archived: 2 });
    const rows = await productRows();
    // Латте has its own price back (the template's sizes were untouched by this file).
    expect(rows.find((row) => row.sku === "LATTE")).toMatchObject({ name: "Латте", active: true });
    expect(rows.find((row) => row.sku === "LATTE")?.price).not.toBe(99_900);
    // The ordered pumpkin latte stays, archived, with its category archived too.
    expect(rows.find((row) => row.sku === "PUMPKIN")).toMatchObject({ active: false });
    const seasonal = await db.admin.select().from(menuCategories).where(eq(menuCategories.name, "Сезонное"));
    expect(seasonal[0]?.archivedAt).not.toBeNull();
    expect(await reason(undo(batchId))).toBe("import_already_undone");
    const audit = await db.admin
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.targetId, batchId));
    expect(audit.map((row) => row.action)).toEqual(["menu.import_applied", "menu.import_undone"]);
  });

  it("two applies of the same file at once apply it once", async () => {
    const file = csv(["category,sku,name,price", "Десерты,MEDOVIK,Медовик,350", "Десерты,NAPOLEON,Наполеон,330"]);
    const results = await Promise.all([apply(file, "a.csv"), apply(file, "b.csv")]);
    expect(results.filter((result) => result.batchId !== null)).toHaveLength(1);
    const rows = await productRows();
    expect(rows.filter((row) => row.sku === "MEDOVIK" || row.sku === "NAPOLEON")).toHaveLength(2);
  });
});
