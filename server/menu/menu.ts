import { and, asc, eq, isNotNull, or } from "drizzle-orm";
import type { Tx } from "@/db/client";
import {
  menuCategories,
  modifierGroups,
  modifierOptions,
  productAvailability,
  productModifierGroups,
  products,
} from "@/db/schema";
import { loadLocation, localDateOf, localDayRange, orderedPortions } from "../orders/slots";

export type MenuOption = {
  id: string;
  slug: string;
  name: string;
  priceDelta: number;
  prepMinutesDelta: number;
  isDefault: boolean;
};
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
  /** Not orderable today at the chosen location: on its stop-list, or the day's portions are gone. */
  soldOut: boolean;
  modifierGroups: MenuModifierGroup[];
};
export type MenuCategory = { id: string; slug: string; name: string; products: MenuProduct[] };

/**
 * The active menu of the tenant bound to `tx`, by category. With `locationId`, products the
 * location does not offer are left out, and those it cannot sell today (its local "today": the
 * stop-list's `sold_out_on`, or a daily limit already ordered up) are marked `soldOut`.
 * An unknown location is a 404 (RLS makes another café's location unknown).
 */
export async function getMenu(tx: Tx, options: { locationId?: string; now?: Date } = {}): Promise<MenuCategory[]> {
  const [categoryRows, productRows, groupRows, optionRows, links] = await Promise.all([
    tx.select().from(menuCategories).orderBy(asc(menuCategories.sortOrder), asc(menuCategories.name)),
    tx.select().from(products).where(eq(products.active, true)).orderBy(asc(products.sortOrder), asc(products.name)),
    tx.select().from(modifierGroups).orderBy(asc(modifierGroups.sortOrder)),
    tx.select().from(modifierOptions).orderBy(asc(modifierOptions.sortOrder)),
    tx.select().from(productModifierGroups).orderBy(asc(productModifierGroups.sortOrder)),
  ]);
  let offered = productRows;
  let soldOut = new Set<string>();
  if (options.locationId) {
    const location = await loadLocation(tx, options.locationId);
    const today = localDateOf(options.now ?? new Date(), location.timezone);
    const rows = await tx
      .select()
      .from(productAvailability)
      .where(
        and(
          eq(productAvailability.locationId, location.id),
          or(eq(productAvailability.available, false), isNotNull(productAvailability.soldOutOn)),
        ),
      );
    const hidden = new Set(rows.filter((row) => !row.available).map((row) => row.productId));
    offered = productRows.filter((product) => !hidden.has(product.id));
    soldOut = new Set(rows.filter((row) => row.soldOutOn === today).map((row) => row.productId));
    for (const productId of await limitsReached(tx, {
      locationId: location.id,
      today,
      timezone: location.timezone,
      products: offered,
    })) {
      soldOut.add(productId);
    }
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
          .map(({ id, slug, name, priceDelta, prepMinutesDelta, isDefault }) => ({
            id,
            slug,
            name,
            priceDelta,
            prepMinutesDelta,
            isDefault,
          })),
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
          soldOut: soldOut.has(product.id),
          modifierGroups: groupsOf(product.id),
        })),
    }))
    .filter((category) => category.products.length > 0);
}

/**
 * Products with a daily limit whose portions for `today` at the location are all ordered (orders
 * not cancelled, picked up that local day) — the same count `placeOrder` enforces under its lock.
 */
async function limitsReached(
  tx: Tx,
  input: { locationId: string; today: string; timezone: string; products: { id: string; dailyLimit: number | null }[] },
): Promise<string[]> {
  const limited = input.products.filter((product) => product.dailyLimit !== null);
  if (limited.length === 0) return [];
  const ordered = await orderedPortions(
    tx,
    { locationId: input.locationId, ...localDayRange(input.today, input.timezone) },
    limited.map((product) => product.id),
  );
  return limited
    .filter((product) => (ordered.get(product.id) ?? 0) >= (product.dailyLimit ?? 0))
    .map((product) => product.id);
}
