import { and, asc, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import {
  menuCategories,
  modifierGroups,
  modifierOptions,
  productAvailability,
  productModifierGroups,
  products,
} from "@/db/schema";

export type MenuOption = { id: string; slug: string; name: string; priceDelta: number; isDefault: boolean };
export type MenuModifierGroup = {
  id: string;
  slug: string;
  name: string;
  minSelect: number;
  maxSelect: number;
  options: MenuOption[];
};
export type MenuProduct = {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: number;
  imagePath: string | null;
  prepMinutes: number;
  modifierGroups: MenuModifierGroup[];
};
export type MenuCategory = { id: string; slug: string; name: string; products: MenuProduct[] };

/**
 * The active menu of the tenant bound to `tx`, by category. With `locationId`, products the
 * location does not offer are left out.
 */
export async function getMenu(tx: Tx, options: { locationId?: string } = {}): Promise<MenuCategory[]> {
  const [categoryRows, productRows, groupRows, optionRows, links] = await Promise.all([
    tx.select().from(menuCategories).orderBy(asc(menuCategories.sortOrder), asc(menuCategories.name)),
    tx.select().from(products).where(eq(products.active, true)).orderBy(asc(products.sortOrder), asc(products.name)),
    tx.select().from(modifierGroups).orderBy(asc(modifierGroups.sortOrder)),
    tx.select().from(modifierOptions).orderBy(asc(modifierOptions.sortOrder)),
    tx.select().from(productModifierGroups).orderBy(asc(productModifierGroups.sortOrder)),
  ]);
  let offered = productRows;
  if (options.locationId) {
    const unavailable = await tx
      .select({ productId: productAvailability.productId })
      .from(productAvailability)
      .where(and(eq(productAvailability.locationId, options.locationId), eq(productAvailability.available, false)));
    const hidden = new Set(unavailable.map((row) => row.productId));
    offered = productRows.filter((product) => !hidden.has(product.id));
  }
  const groups = new Map<string, MenuModifierGroup>(
    groupRows.map((group) => [
      group.id,
      {
        id: group.id,
        slug: group.slug,
        name: group.name,
        minSelect: group.minSelect,
        maxSelect: group.maxSelect,
        options: optionRows
          .filter((option) => option.groupId === group.id)
          .map(({ id, slug, name, priceDelta, isDefault }) => ({ id, slug, name, priceDelta, isDefault })),
      },
    ]),
  );
  const groupsOf = (productId: string) =>
    links.flatMap((link) => {
      const group = link.productId === productId ? groups.get(link.groupId) : undefined;
      return group ? [group] : [];
    });
  return categoryRows
    .map((category) => ({
      id: category.id,
      slug: category.slug,
      name: category.name,
      products: offered
        .filter((product) => product.categoryId === category.id)
        .map((product) => ({
          id: product.id,
          sku: product.sku,
          name: product.name,
          description: product.description,
          price: product.price,
          imagePath: product.imagePath,
          prepMinutes: product.prepMinutes,
          modifierGroups: groupsOf(product.id),
        })),
    }))
    .filter((category) => category.products.length > 0);
}
