/**
 * Pure basket arithmetic over a menu read from the server: the product page's live total, the
 * cart's prices and the checkout quote all use it, so the guest sees what `placeOrder` will
 * charge. Integers in minor units; no imports beyond types, so client components may use it.
 */
import type { MenuCategory, MenuProduct } from "./menu";

export type ChosenModifier = { groupSlug: string; optionSlug: string };

/** A basket line as the client keeps it: what, how many, which options — never a price. */
export type BasketItem = { productSku: string; quantity: number; modifiers: ChosenModifier[] };

/** Why a line cannot be ordered as it is: gone from the menu, sold out today, or options no longer valid. */
export type LineProblem = "not_found" | "sold_out" | "options";

export type PricedLine = {
  productSku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  prepMinutes: number;
  modifiers: (ChosenModifier & { name: string; priceDelta: number })[];
  problem: LineProblem | null;
};

export type PricedBasket = {
  lines: PricedLine[];
  /** Sum of the orderable lines only. */
  subtotal: number;
  prepMinutes: number;
  /** Every line can be ordered as it is. */
  orderable: boolean;
};

export const MAX_QUANTITY = 99;

export function findProduct(menu: MenuCategory[], sku: string): MenuProduct | undefined {
  for (const category of menu) {
    const product = category.products.find((candidate) => candidate.sku === sku);
    if (product) return product;
  }
  return undefined;
}

/** The options a product starts with: each group's defaults, topped up where a group requires more. */
export function defaultModifiers(product: MenuProduct): ChosenModifier[] {
  return product.modifierGroups.flatMap((group) => {
    let chosen = group.options.filter((option) => option.isDefault).slice(0, group.maxSelect);
    // A required group without (enough) defaults starts on its first options, so "add" works at once.
    if (chosen.length < group.minSelect) chosen = group.options.slice(0, group.minSelect);
    return chosen.map((option) => ({ groupSlug: group.slug, optionSlug: option.slug }));
  });
}

/** The first group whose selection breaks its min/max, or holds an unknown option; null when valid. */
export function selectionProblem(product: MenuProduct, modifiers: ChosenModifier[]): string | null {
  const seen = new Set<string>();
  for (const modifier of modifiers) {
    const group = product.modifierGroups.find((g) => g.slug === modifier.groupSlug);
    if (!group?.options.some((option) => option.slug === modifier.optionSlug)) return modifier.groupSlug;
    const key = `${modifier.groupSlug}/${modifier.optionSlug}`;
    if (seen.has(key)) return modifier.groupSlug;
    seen.add(key);
  }
  for (const group of product.modifierGroups) {
    const count = modifiers.filter((modifier) => modifier.groupSlug === group.slug).length;
    if (count < group.minSelect || count > group.maxSelect) return group.slug;
  }
  return null;
}

/** One line priced from the menu: base + option deltas, times the quantity. */
export function priceItem(menu: MenuCategory[], item: BasketItem): PricedLine {
  const product = findProduct(menu, item.productSku);
  const quantity = Math.min(MAX_QUANTITY, Math.max(1, Math.trunc(item.quantity) || 1));
  if (!product) {
    return {
      productSku: item.productSku,
      name: item.productSku,
      quantity,
      unitPrice: 0,
      amount: 0,
      prepMinutes: 0,
      modifiers: [],
      problem: "not_found",
    };
  }
  const modifiers = item.modifiers.flatMap((modifier) => {
    const group = product.modifierGroups.find((g) => g.slug === modifier.groupSlug);
    const option = group?.options.find((o) => o.slug === modifier.optionSlug);
    return option
      ? [{ ...modifier, name: option.name, priceDelta: option.priceDelta, prep: option.prepMinutesDelta }]
      : [];
  });
  const unitPrice = product.price + modifiers.reduce((sum, modifier) => sum + modifier.priceDelta, 0);
  const unitPrep = Math.max(0, product.prepMinutes + modifiers.reduce((sum, modifier) => sum + modifier.prep, 0));
  const problem: LineProblem | null = product.soldOut
    ? "sold_out"
    : selectionProblem(product, item.modifiers) !== null
      ? "options"
      : null;
  return {
    productSku: product.sku,
    name: product.name,
    quantity,
    unitPrice,
    amount: unitPrice * quantity,
    prepMinutes: unitPrep * quantity,
    modifiers: modifiers.map(({ prep: _prep, ...modifier }) => modifier),
    problem,
  };
}

/** The basket priced from the menu; lines that cannot be ordered are flagged and left out of the sums. */
export function priceBasket(menu: MenuCategory[], items: BasketItem[]): PricedBasket {
  const lines = items.map((item) => priceItem(menu, item));
  const orderable = lines.filter((line) => line.problem === null);
  return {
    lines,
    subtotal: orderable.reduce((sum, line) => sum + line.amount, 0),
    prepMinutes: orderable.reduce((sum, line) => sum + line.prepMinutes, 0),
    orderable: lines.length > 0 && orderable.length === lines.length,
  };
}

/** The lowest price a product can have (base + the cheapest way to satisfy each required group). */
export function fromPrice(product: MenuProduct): number {
  return (
    product.price +
    product.modifierGroups.reduce((sum, group) => {
      if (group.minSelect === 0) return sum;
      const cheapest = group.options
        .map((option) => option.priceDelta)
        .sort((a, b) => a - b)
        .slice(0, group.minSelect);
      return sum + cheapest.reduce((total, delta) => total + delta, 0);
    }, 0)
  );
}
