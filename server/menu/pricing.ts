/**
 * Pure basket arithmetic over a menu read from the server: the product page's live total, the
 * cart's prices and the checkout quote all use it, so the guest sees what `placeOrder` will
 * charge. Integers in minor units; no imports beyond types, so client components may use it.
 */
import type { MenuCategory, MenuProduct, MenuVariant } from "./menu";

/** An option chosen for a line; `quantity` (default 1) up to its group's `maxPerOption`. */
export type ChosenModifier = { groupSlug: string; optionSlug: string; quantity?: number };

/**
 * A basket line as the client keeps it: what, which size (for a product with sizes), how many,
 * which options — never a price.
 */
export type BasketItem = { productSku: string; variantSlug?: string; quantity: number; modifiers: ChosenModifier[] };

/** The most of one option a line can take, whatever a group says (ten pumps of syrup is plenty). */
export const MAX_OPTION_QUANTITY = 10;

const quantityOf = (modifier: ChosenModifier) => modifier.quantity ?? 1;

/** Why a line cannot be ordered as it is: gone from the menu, sold out today, or options no longer valid. */
export type LineProblem = "not_found" | "sold_out" | "options";

export type PricedLine = {
  productSku: string;
  name: string;
  variantSlug: string | null;
  variantName: string | null;
  quantity: number;
  unitPrice: number;
  amount: number;
  prepMinutes: number;
  modifiers: (ChosenModifier & { name: string; priceDelta: number; quantity: number })[];
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
    const selectable = group.options.filter((option) => !option.soldOut);
    let chosen = selectable.filter((option) => option.isDefault).slice(0, group.maxSelect);
    // A required group without (enough) defaults starts on its first options, so "add" works at once.
    if (chosen.length < group.minSelect) chosen = selectable.slice(0, group.minSelect);
    return chosen.map((option) => ({ groupSlug: group.slug, optionSlug: option.slug }));
  });
}

/** The size a product starts with: the first (sizes are listed smallest first); null without sizes. */
export function defaultVariant(product: MenuProduct): MenuVariant | null {
  return product.variants[0] ?? null;
}

/**
 * The first group whose selection breaks its min/max (options counted with their quantities),
 * takes more of one option than it allows, holds an unknown option or one sold out today; null
 * when valid.
 */
export function selectionProblem(product: MenuProduct, modifiers: ChosenModifier[]): string | null {
  const seen = new Set<string>();
  for (const modifier of modifiers) {
    const group = product.modifierGroups.find((g) => g.slug === modifier.groupSlug);
    const option = group?.options.find((candidate) => candidate.slug === modifier.optionSlug);
    if (!group || !option || option.soldOut) return modifier.groupSlug;
    const quantity = quantityOf(modifier);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > Math.min(group.maxPerOption, MAX_OPTION_QUANTITY)) {
      return group.slug;
    }
    const key = `${modifier.groupSlug}/${modifier.optionSlug}`;
    if (seen.has(key)) return modifier.groupSlug;
    seen.add(key);
  }
  for (const group of product.modifierGroups) {
    const count = modifiers
      .filter((modifier) => modifier.groupSlug === group.slug)
      .reduce((sum, modifier) => sum + quantityOf(modifier), 0);
    if (count < group.minSelect || count > group.maxSelect) return group.slug;
  }
  return null;
}

/** The size a line names, or why it cannot: a product with sizes needs one of them, one without none. */
export function variantOf(
  product: MenuProduct,
  variantSlug: string | undefined,
): { variant: MenuVariant | null; valid: boolean } {
  if (product.variants.length === 0) return { variant: null, valid: !variantSlug };
  const variant = product.variants.find((candidate) => candidate.slug === variantSlug) ?? null;
  return { variant, valid: variant !== null };
}

/** One line priced from the menu: the size's price (or the product's) + option deltas × their quantities, times the quantity. */
export function priceItem(menu: MenuCategory[], item: BasketItem): PricedLine {
  const product = findProduct(menu, item.productSku);
  const quantity = Math.min(MAX_QUANTITY, Math.max(1, Math.trunc(item.quantity) || 1));
  if (!product) {
    return {
      productSku: item.productSku,
      name: item.productSku,
      variantSlug: item.variantSlug ?? null,
      variantName: null,
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
      ? [
          {
            groupSlug: modifier.groupSlug,
            optionSlug: modifier.optionSlug,
            quantity: quantityOf(modifier),
            name: option.name,
            priceDelta: option.priceDelta,
            prep: option.prepMinutesDelta,
          },
        ]
      : [];
  });
  const { variant, valid } = variantOf(product, item.variantSlug);
  const unitPrice =
    (variant?.price ?? product.price) +
    modifiers.reduce((sum, modifier) => sum + modifier.priceDelta * modifier.quantity, 0);
  const unitPrep = Math.max(
    0,
    product.prepMinutes +
      (variant?.prepMinutesDelta ?? 0) +
      modifiers.reduce((sum, modifier) => sum + modifier.prep * modifier.quantity, 0),
  );
  const problem: LineProblem | null = product.soldOut
    ? "sold_out"
    : !valid || selectionProblem(product, item.modifiers) !== null
      ? "options"
      : null;
  return {
    productSku: product.sku,
    name: product.name,
    variantSlug: variant?.slug ?? null,
    variantName: variant?.name ?? null,
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

/** The lowest price a product can have (its cheapest size + the cheapest way to satisfy each required group). */
export function fromPrice(product: MenuProduct): number {
  const base = product.variants.length > 0 ? Math.min(...product.variants.map((v) => v.price)) : product.price;
  return (
    base +
    product.modifierGroups.reduce((sum, group) => {
      if (group.minSelect === 0) return sum;
      // The cheapest options, each as many times as the group allows, until the minimum is met.
      const cheapest = group.options
        .filter((option) => !option.soldOut)
        .map((option) => option.priceDelta)
        .sort((a, b) => a - b)
        .flatMap((delta) => Array.from({ length: Math.min(group.maxPerOption, MAX_OPTION_QUANTITY) }, () => delta))
        .slice(0, group.minSelect);
      return sum + cheapest.reduce((total, delta) => total + delta, 0);
    }, 0)
  );
}

/** A line's choices as one short text: "0,4 л, Ваниль ×2, Овсяное молоко" (size first). */
export function describeChoice(line: {
  variantName?: string | null;
  modifiers: { name: string; quantity?: number }[];
}): string {
  return [
    ...(line.variantName ? [line.variantName] : []),
    ...line.modifiers.map((m) => ((m.quantity ?? 1) > 1 ? `${m.name} ×${m.quantity}` : m.name)),
  ].join(", ");
}
