import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { auditLog, membershipLocations, memberships, orderItems, products, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import type { Role } from "../auth/permissions";
import { createStaffSession } from "../auth/sessions";
import { applyEnv } from "../env";
import { AppError } from "../errors";
import { enrolGuest } from "../loyalty/guests";
import { loadProgram } from "../loyalty/program";
import { checkoutQuote } from "../orders/checkout";
import { type PlaceOrderInput, placeOrder } from "../orders/place";
import { createTenant } from "../tenants/create";
import { createCaller } from "../trpc/root";
import { getMenu } from "./menu";
import { priceBasket } from "./pricing";

const db = await testDatabase();
applyEnv({ APP_DATABASE_URL: db.appUrl });
afterAll(async () => {
  await (globalThis as { zernoDb?: { client: { end: () => Promise<void> } } }).zernoDb?.client.end();
});

/** 09:00 in Moscow on Monday 4 March 2030: far from the real clock, so slots are deterministic. */
const morning = new Date(Date.UTC(2030, 2, 4, 6, 0));

type Cafe = { tenantId: string; slug: string; tverskaya: string; arbat: string };
let cafe: Cafe;
let guestId = "";
const callers = new Map<string, ReturnType<typeof createCaller>>();

function caller(name: string) {
  const found = callers.get(name);
  if (!found) throw new Error(`no caller ${name}`);
  return found;
}

async function member(name: string, of: Cafe, role: Role, locationIds: string[]) {
  const [user] = await db.app
    .insert(users)
    .values({ email: `${name}@editor.test`, name })
    .returning({ id: users.id });
  if (!user) throw new Error("no user");
  await withTenant(
    of.tenantId,
    async (tx) => {
      const [membership] = await tx
        .insert(memberships)
        .values({ tenantId: of.tenantId, userId: user.id, role })
        .returning();
      if (!membership) throw new Error("no membership");
      if (locationIds.length > 0) {
        await tx
          .insert(membershipLocations)
          .values(
            locationIds.map((locationId) => ({ tenantId: of.tenantId, membershipId: membership.id, locationId })),
          );
      }
    },
    db.app,
  );
  const sid = await createStaffSession(db.app, { userId: user.id, mfa: "verified" });
  callers.set(
    name,
    createCaller({
      db: db.app,
      requestId: "editor-test",
      ip: "203.0.113.7",
      headers: new Headers(),
      getStaffSession: async () => ({ sid, userId: user.id, mfa: "verified" }),
      tenantSlug: of.slug,
      response: { headers: {} },
    }),
  );
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) {
      return error.cause instanceof AppError ? (error.cause.reason ?? error.cause.code) : error.code;
    }
    if (error instanceof AppError) return error.reason ?? error.code;
    throw error;
  }
  throw new Error("expected a refusal");
}

const inCafe = <T>(work: Parameters<typeof withTenant<T>>[1]) => withTenant(cafe.tenantId, work, db.app);

const order = (items: PlaceOrderInput["items"], key: string, locationId = cafe.tverskaya) =>
  inCafe(async (tx) =>
    placeOrder(tx, await loadProgram(tx), {
      tenantId: cafe.tenantId,
      guestId,
      locationId,
      items,
      pickup: "asap",
      pointsToUse: 0,
      idempotencyKey: key,
      now: morning,
    }),
  );

beforeAll(async () => {
  const created = await db.app.transaction((tx) =>
    createTenant(tx, {
      slug: "editor-cafe",
      name: "Editor café",
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      locations: [
        { slug: "tverskaya", name: "Тверская", address: "Тверская, 1" },
        { slug: "arbat", name: "Арбат", address: "Арбат, 1" },
      ],
    }),
  );
  const [tverskaya, arbat] = created.locations;
  if (!tverskaya || !arbat) throw new Error("no locations");
  cafe = { tenantId: created.tenant.id, slug: "editor-cafe", tverskaya: tverskaya.id, arbat: arbat.id };
  guestId = await inCafe(async (tx) => {
    const guest = await enrolGuest(tx, await loadProgram(tx), {
      tenantId: cafe.tenantId,
      phone: "+79261112255",
      channel: "online",
      actor: { kind: "guest" },
    });
    return guest.id;
  });
  await member("owner", cafe, "owner", []);
  await member("manager", cafe, "manager", []);
  await member("barista", cafe, "barista", [cafe.tverskaya]);
});

describe("the menu editor", () => {
  let coffee = "";
  let syrups = "";
  let milk = "";
  let latte = "";

  it("creates categories and orders them with up and down, each move audited", async () => {
    const owner = caller("owner");
    coffee = (await owner.menu.saveCategory({ name: "Кофе", translations: { en: { name: "Coffee" } } })).id;
    const pastry = (await owner.menu.saveCategory({ name: "Выпечка" })).id;
    const tea = (await owner.menu.saveCategory({ name: "Чай" })).id;
    const order = async () => (await owner.menu.editor()).categories.map((category) => category.name);
    expect(await order()).toEqual(["Кофе", "Выпечка", "Чай"]);
    expect(await owner.menu.moveCategory({ id: tea, direction: "up" })).toEqual({ moved: true });
    expect(await order()).toEqual(["Кофе", "Чай", "Выпечка"]);
    await owner.menu.moveCategory({ id: coffee, direction: "down" });
    expect(await order()).toEqual(["Чай", "Кофе", "Выпечка"]);
    // At the top nothing moves, and nothing is audited.
    expect(await owner.menu.moveCategory({ id: tea, direction: "up" })).toEqual({ moved: false });
    const moves = await db.admin
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, cafe.tenantId), eq(auditLog.action, "menu.category_moved")));
    expect(moves).toHaveLength(2);
    await owner.menu.setCategoryArchived({ id: pastry, archived: true });
    expect((await owner.menu.editor()).categories.at(-1)).toMatchObject({ name: "Выпечка", archived: true });
  });

  it("a product with sizes and a syrup group of up to two pumps shows on the storefront and prices alike everywhere", async () => {
    const manager = caller("manager");
    syrups = (
      await manager.menu.saveModifierGroup({
        name: "Сироп",
        translations: { en: { name: "Syrup" } },
        minSelect: 0,
        maxSelect: 3,
        maxPerOption: 2,
        options: [
          { name: "Ваниль", priceDelta: 4_000 },
          { name: "Карамель", priceDelta: 4_000, prepMinutesDelta: 1 },
        ],
      })
    ).id;
    milk = (
      await manager.menu.saveModifierGroup({
        name: "Молоко",
        minSelect: 1,
        maxSelect: 1,
        maxPerOption: 1,
        options: [
          { name: "Обычное", priceDelta: 0, isDefault: true },
          { name: "Овсяное", priceDelta: 6_000 },
        ],
      })
    ).id;
    latte = (
      await manager.menu.saveProduct({
        categoryId: coffee,
        sku: "LATTE",
        name: "Латте",
        translations: { en: { name: "Latte", description: "Espresso and milk" } },
        description: "Эспрессо и молоко",
        price: 20_000,
        prepMinutes: 4,
        vatRate: 20,
        variants: [
          { name: "0,3 л", price: 20_000 },
          { name: "0,4 л", price: 25_000, prepMinutesDelta: 1 },
        ],
        groupIds: [milk, syrups],
      })
    ).id;

    const menu = await inCafe((tx) => getMenu(tx, { locationId: cafe.tverskaya, now: morning, locale: "en" }));
    const product = menu[0]?.products[0];
    expect(menu[0]?.name).toBe("Coffee");
    expect(product).toMatchObject({ sku: "LATTE", name: "Latte", description: "Espresso and milk", vatRate: 20 });
    expect(product?.variants.map((v) => [v.name, v.price])).toEqual([
      ["0,3 л", 20_000],
      ["0,4 л", 25_000],
    ]);
    expect(product?.modifierGroups.map((g) => [g.name, g.maxPerOption])).toEqual([
      ["Молоко", 1],
      ["Syrup", 2],
    ]);
    // In Russian, the café's own texts.
    const russian = await inCafe((tx) => getMenu(tx, { locationId: cafe.tverskaya, now: morning }));
    expect(russian[0]?.products[0]?.name).toBe("Латте");

    const line = {
      productSku: "LATTE",
      variantSlug: "0-4-l",
      quantity: 2,
      modifiers: [
        { groupSlug: "moloko", optionSlug: "ovsyanoe" },
        { groupSlug: "sirop", optionSlug: "vanil", quantity: 2 },
      ],
    };
    // 250 ₽ + oat 60 ₽ + two pumps of vanilla 2 × 40 ₽ = 390 ₽; two of them.
    expect(priceBasket(menu, [line]).subtotal).toBe(78_000);
    const placed = await order([line], "two-pumps");
    expect(placed.order.subtotal).toBe(78_000);
    expect(placed.order.items[0]).toMatchObject({ variantName: "0,4 л", unitPrice: 39_000 });
    expect(placed.order.items[0]?.modifiers).toEqual([
      { groupSlug: "moloko", optionSlug: "ovsyanoe", name: "Овсяное", priceDelta: 6_000 },
      { groupSlug: "sirop", optionSlug: "vanil", name: "Ваниль", priceDelta: 4_000, quantity: 2 },
    ]);

    // Three pumps of one syrup, or no size, are refused the same way the storefront flags them.
    expect(
      await refusal(
        order(
          [
            {
              ...line,
              modifiers: [{ groupSlug: "sirop", optionSlug: "vanil", quantity: 3 }, line.modifiers[0] as never],
            },
          ],
          "three",
        ),
      ),
    ).toBe("modifier_invalid");
    expect(await refusal(order([{ ...line, variantSlug: undefined }], "no-size"))).toBe("variant_invalid");
    expect(priceBasket(menu, [{ ...line, variantSlug: undefined }]).lines[0]?.problem).toBe("options");
  });

  it("changing a price never changes an order already placed", async () => {
    const manager = caller("manager");
    const before = await order(
      [
        {
          productSku: "LATTE",
          variantSlug: "0-3-l",
          quantity: 1,
          modifiers: [{ groupSlug: "moloko", optionSlug: "obychnoe" }],
        },
      ],
      "before-price",
    );
    expect(before.order.subtotal).toBe(20_000);
    const editor = await manager.menu.editor();
    const product = editor.categories.flatMap((c) => c.products).find((p) => p.id === latte);
    if (!product) throw new Error("no latte");
    await manager.menu.saveProduct({
      ...product,
      variants: product.variants.map((v) => ({ id: v.id, name: v.name, price: v.price + 3_000 })),
    });
    const stored = await db.admin.select().from(orderItems).where(eq(orderItems.orderId, before.order.id));
    expect(stored.map((row) => [row.unitPrice, row.amount])).toEqual([[20_000, 20_000]]);
    const after = await order(
      [
        {
          productSku: "LATTE",
          variantSlug: "0-3-l",
          quantity: 1,
          modifiers: [{ groupSlug: "moloko", optionSlug: "obychnoe" }],
        },
      ],
      "after-price",
    );
    expect(after.order.subtotal).toBe(23_000);
    const audit = await db.admin
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.tenantId, cafe.tenantId),
          eq(auditLog.action, "menu.product_saved"),
          eq(auditLog.targetId, latte),
        ),
      );
    expect(JSON.stringify(audit.at(-1)?.meta)).toContain("20000 → 23000");
  });

  it("a location's own price is what its menu shows, its checkout quotes and its orders charge", async () => {
    const owner = caller("owner");
    await owner.menu.setLocationPrice({
      locationId: cafe.arbat,
      productId: latte,
      variantSlug: "0-3-l",
      price: 21_000,
    });
    const items = [
      {
        productSku: "LATTE",
        variantSlug: "0-3-l",
        quantity: 1,
        modifiers: [{ groupSlug: "moloko", optionSlug: "obychnoe" }],
      },
    ];
    const arbatMenu = await inCafe((tx) => getMenu(tx, { locationId: cafe.arbat, now: morning }));
    expect(arbatMenu[0]?.products[0]?.variants[0]?.price).toBe(21_000);
    const quote = await inCafe(async (tx) =>
      checkoutQuote(tx, await loadProgram(tx), { guestId, locationId: cafe.arbat, items, now: morning }),
    );
    expect(quote.subtotal).toBe(21_000);
    expect((await order(items, "arbat", cafe.arbat)).order.subtotal).toBe(21_000);
    expect((await order(items, "tverskaya-still", cafe.tverskaya)).order.subtotal).toBe(23_000);
  });

  it("oat milk on the stop-list at one location is not choosable there today, and still is elsewhere", async () => {
    const barista = caller("barista");
    const oat = (await caller("owner").menu.editor()).groups
      .find((group) => group.id === milk)
      ?.options.find((option) => option.name === "Овсяное");
    if (!oat) throw new Error("no oat");
    expect(
      await barista.menu.setOptionSoldOut({ locationId: cafe.tverskaya, optionId: oat.id, soldOut: true }),
    ).toEqual({
      changed: true,
    });
    // A barista of Тверская cannot touch Арбат.
    expect(
      await refusal(barista.menu.setOptionSoldOut({ locationId: cafe.arbat, optionId: oat.id, soldOut: true })),
    ).toBe("option_not_found");
    const oatLine = [
      {
        productSku: "LATTE",
        variantSlug: "0-3-l",
        quantity: 1,
        modifiers: [{ groupSlug: "moloko", optionSlug: "ovsyanoe" }],
      },
    ];
    // The stop-list is by the location's real today: this order is for today.
    const today = await inCafe((tx) => getMenu(tx, { locationId: cafe.tverskaya }));
    expect(today[0]?.products[0]?.modifierGroups[0]?.options.find((o) => o.slug === "ovsyanoe")?.soldOut).toBe(true);
    expect(priceBasket(today, oatLine).lines[0]?.problem).toBe("options");
    const elsewhere = await inCafe((tx) => getMenu(tx, { locationId: cafe.arbat }));
    expect(elsewhere[0]?.products[0]?.modifierGroups[0]?.options.find((o) => o.slug === "ovsyanoe")?.soldOut).toBe(
      false,
    );
    const view = await barista.menu.stopList();
    expect(view.locations[0]?.soldOutOptionIds).toEqual([oat.id]);
    await barista.menu.setOptionSoldOut({ locationId: cafe.tverskaya, optionId: oat.id, soldOut: false });
    const actions = await db.admin
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, cafe.tenantId), eq(auditLog.targetId, oat.id)));
    expect(actions.map((row) => row.action)).toEqual(["menu.option_sold_out", "menu.option_back_in_stock"]);
  });

  it("a product an order names is archived, not deleted; an unnamed one may be deleted", async () => {
    const owner = caller("owner");
    expect(await refusal(owner.menu.deleteProduct({ id: latte }))).toBe("product_in_use");
    await owner.menu.setProductArchived({ id: latte, archived: true });
    const menu = await inCafe((tx) => getMenu(tx, { locationId: cafe.tverskaya, now: morning }));
    expect(menu.flatMap((c) => c.products).map((p) => p.sku)).not.toContain("LATTE");
    expect(
      await refusal(order([{ productSku: "LATTE", variantSlug: "0-3-l", quantity: 1, modifiers: [] }], "archived")),
    ).toBe("product_not_found");
    await owner.menu.setProductArchived({ id: latte, archived: false });

    const typo = await owner.menu.saveProduct({
      categoryId: coffee,
      sku: "LATEE",
      name: "Латее",
      price: 1,
      prepMinutes: 1,
      vatRate: null,
    });
    await owner.menu.deleteProduct({ id: typo.id });
    expect(await db.admin.select().from(products).where(eq(products.id, typo.id))).toEqual([]);
  });

  it("SKUs are unique in the café across products and sizes; bad rules name their field", async () => {
    const owner = caller("owner");
    const base = { categoryId: coffee, name: "Флэт уайт", price: 22_000, prepMinutes: 3, vatRate: 20 };
    expect(await refusal(owner.menu.saveProduct({ ...base, sku: "LATTE" }))).toBe("sku_taken");
    expect(
      await refusal(
        owner.menu.saveProduct({ ...base, sku: "FLAT", variants: [{ name: "S", sku: "LATTE", price: 1 }] }),
      ),
    ).toBe("sku_taken");
    expect(
      await refusal(
        owner.menu.saveModifierGroup({
          name: "Ошибка",
          minSelect: 3,
          maxSelect: 2,
          maxPerOption: 1,
          options: [{ name: "А", priceDelta: 0 }],
        }),
      ),
    ).toBe("min_select_invalid");
    expect(
      await refusal(
        owner.menu.saveModifierGroup({
          name: "Ошибка",
          minSelect: 2,
          maxSelect: 2,
          maxPerOption: 1,
          options: [{ name: "А", priceDelta: 0 }],
        }),
      ),
    ).toBe("min_select_unreachable");
  });

  it("a barista cannot edit the menu", async () => {
    const barista = caller("barista");
    expect(await refusal(barista.menu.editor())).toBe("FORBIDDEN");
    expect(await refusal(barista.menu.saveCategory({ name: "Бариста" }))).toBe("FORBIDDEN");
  });
});
