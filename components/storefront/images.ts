/** The drawings in public/menu/, one per kind of product. */
const PLACEHOLDERS = ["cup", "filter", "cold", "tea", "croissant", "cake", "breakfast"] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

// Matched against the SKU first (a croissant in "desserts" is still a croissant), then the category.
const BY_WORD: [RegExp, Placeholder][] = [
  [/cold|iced|tonic|lemonade/, "cold"],
  [/filter|aeropress|v60|chemex|pour/, "filter"],
  [/tea|matcha|chai/, "tea"],
  [/croissant|bun|cinnabon|roll|bread|bakery|pastr/, "croissant"],
  [/cake|brownie|medovik|tart|dessert|cookie|muffin/, "cake"],
  [/breakfast|syrniki|omelette|porridge|toast|granola|shakshuka|egg|sandwich/, "breakfast"],
];

/** The picture of a product: its own image when the café set one, else a drawing of its kind. */
export function productImage(product: { sku: string; imagePath: string | null }, categorySlug: string): string {
  if (product.imagePath) return product.imagePath;
  for (const text of [product.sku, categorySlug]) {
    const match = BY_WORD.find(([pattern]) => pattern.test(text.toLowerCase()));
    if (match) return `/menu/${match[1]}.svg`;
  }
  return "/menu/cup.svg";
}
