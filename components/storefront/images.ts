import { getImageProps, type ImageLoader } from "next/image";
import { PHOTO_WIDTHS, photoUrl } from "@/server/storage/photo-urls";

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

/**
 * The stored widths stand in for Next's optimiser: a width asked for is served by the smallest
 * stored one at least as wide (the largest when none is), already WebP, with immutable caching.
 */
const storedWidthLoader: ImageLoader = ({ src, width }) =>
  photoUrl(src, PHOTO_WIDTHS.find((stored) => stored >= width) ?? LARGEST);
const LARGEST = PHOTO_WIDTHS[PHOTO_WIDTHS.length - 1] as number;

/**
 * `<img>` attributes for a product's picture: an uploaded photo gets a srcset of its stored WebP
 * widths through next/image's `getImageProps` (a plain function, so the menu ships no image
 * component to the browser), anything else its single URL. `sizes` says how wide it is shown.
 */
export function productImageProps(
  product: { sku: string; imagePath: string | null; photoKey: string | null },
  categorySlug: string,
  shown: { width: number; sizes: string; priority?: boolean },
): { src: string; srcSet?: string; sizes?: string; width: number; height: number } {
  if (!product.photoKey) {
    return { src: productImage(product, categorySlug), width: shown.width, height: shown.width };
  }
  const { props } = getImageProps({
    src: product.photoKey,
    loader: storedWidthLoader,
    alt: "",
    width: shown.width,
    height: shown.width,
    sizes: shown.sizes,
    priority: shown.priority,
  });
  return { src: props.src, srcSet: props.srcSet, sizes: props.sizes, width: shown.width, height: shown.width };
}
