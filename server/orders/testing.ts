import type { Tx } from "@/db/client";
import { menuCategories, modifierGroups, modifierOptions, productModifierGroups, products } from "@/db/schema";

type TestProduct = Omit<typeof products.$inferInsert, "tenantId" | "categoryId">;

/**
 * For tests: a "coffee" category with `items` in the café bound to `tx`, the latte among them
 * taking a size (S by default, L +100 ₽ and +1 minute) and a milk (oat +60 ₽; with `regularMilk`,
 * regular milk is the default). Returns the products' ids by SKU.
 */
export async function insertTestMenu(
  tx: Tx,
  tenantId: string,
  items: TestProduct[],
  options: { regularMilk?: boolean } = {},
): Promise<(sku: string) => string> {
  const [category] = await tx.insert(menuCategories).values({ tenantId, slug: "coffee", name: "Кофе" }).returning();
  if (!category) throw new Error("no category");
  const rows = await tx
    .insert(products)
    .values(items.map((item) => ({ ...item, tenantId, categoryId: category.id })))
    .returning();
  const id = (sku: string) => rows.find((row) => row.sku === sku)?.id ?? "";
  const [size, milk] = await tx
    .insert(modifierGroups)
    .values([
      { tenantId, slug: "size", name: "Объём", minSelect: 1, maxSelect: 1 },
      { tenantId, slug: "milk", name: "Молоко", minSelect: 0, maxSelect: 1, sortOrder: 1 },
    ])
    .returning();
  if (!size || !milk) throw new Error("no groups");
  await tx
    .insert(modifierOptions)
    .values([
      { tenantId, groupId: size.id, slug: "s", name: "S", priceDelta: 0, isDefault: true },
      { tenantId, groupId: size.id, slug: "l", name: "L", priceDelta: 10_000, prepMinutesDelta: 1, sortOrder: 1 },
      ...(options.regularMilk
        ? [{ tenantId, groupId: milk.id, slug: "regular", name: "Обычное", priceDelta: 0, isDefault: true }]
        : []),
      { tenantId, groupId: milk.id, slug: "oat", name: "Овсяное", priceDelta: 6_000, sortOrder: 1 },
    ]);
  await tx.insert(productModifierGroups).values([
    { tenantId, productId: id("latte"), groupId: size.id },
    { tenantId, productId: id("latte"), groupId: milk.id, sortOrder: 1 },
  ]);
  return id;
}
