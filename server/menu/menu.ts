import { and, asc, eq, isNotNull, isNull, or } from "drizzle-orm";
import type { Tx } from "@/db/client";
import {
  locationPrices,
  type MenuTranslations,
  menuCategories,
  modifierGroups,
  modifierOptionStopList,
  modifierOptions,
  productAvailability,
  productModifierGroups,
  products,
  productVariants,
} from "@/db/schema";
import { type LocalDate, loadLocation, localDateOf, localDayRange, orderedPortions } from "../orders/slots";

export type MenuOption = {
  id: string;
  slug: string;
  name: string;
  priceDelta: number;
  prepMinutesDelta: number;
  isDefault: boolean;
  /** On the location's modifier stop-list for the day (oat milk ran out): not selectable. */
  soldOut: boolean;
};
export type MenuModifierGroup = {
  id: string;
  slug: string;
  name: string;
  minSelect: number;
  maxSelect: number;
  /** How many of one option a line may take (syrup pumps); each counts towards maxSelect. */
  maxPerOption: number;
  options: MenuOption[];
};
/** A size with its own price (the location's, where it sets one). */
export type MenuVariant = {
  id: string;
  slug: string;
  name: string;
  sku: string | null;
  price: number;
  prepMinutesDelta: number;
};
export type MenuProduct = {
  id: string;
  sku: string;
  name: string;
  description: string;
  /** The price without sizes (the location's, where it sets one); with sizes, see `variants`. */
  price: number;
  vatRate: number | null;
  imagePath: string | null;
  /** An uploaded photo's content address (served from /media/menu/<key>-<width>.webp). */
  photoKey: string | null;
  prepMinutes: number;
  /** Not orderable today at the chosen location: on its stop-list, or the day's portions are gone. */
  soldOut: boolean;
  /** Sizes; when there are any, a line must name one. */
  variants: MenuVariant[];
  modifierGroups: MenuModifierGroup[];
};
export type MenuCategory = { id: string; slug: string; name: string; products: MenuProduct[] };

/** A product as the model reads it, before a location's offer is applied. */
export type ModelProduct = MenuProduct & {
  categoryId: string;
  dailyLimit: number | null;
  /** The location offers it at all (owners choose per location). */
  offered: boolean;
  /** On the location's stop-list for the date read. */
  stopListed: boolean;
};

export type MenuModel = {
  /** The date the stop-lists were read for (the location's), null without a location. */
  date: LocalDate | null;
  /** The location's time zone, null without a location. */
  timezone: string | null;
  categories: { id: string; slug: string; name: string }[];
  products: ModelProduct[];
};

/** The text of a row in `locale` ("en", "en-GB"), the café's own where it has no translation. */
export function localized(
  row: { name: string; description?: string; translations: MenuTranslations },
  locale: string | undefined,
): { name: string; description: string } {
  const language = locale?.slice(0, 2) as keyof MenuTranslations | undefined;
  const translated = language ? row.translations[language] : undefined;
  return {
    name: translated?.name?.trim() || row.name,
    description: translated?.description?.trim() || (row.description ?? ""),
  };
}

/**
 * The one menu model the storefront, the checkout, placed orders and the back-office read: the
 * active products of active categories with their sizes, modifier groups and options (archived
 * ones left out), each priced for `locationId` (its price overrides) and flagged with whether
 * the location offers it and whether it (or an option) is on the location's stop-list for `date`
 * (the location's today by default). Texts in `locale`, the café's own without it.
 */
export async function readMenu(
  tx: Tx,
  options: { locationId?: string; date?: LocalDate; now?: Date; locale?: string } = {},
): Promise<MenuModel> {
  const [categoryRows, productRows, variantRows, groupRows, optionRows, links] = await Promise.all([
    tx
      .select()
      .from(menuCategories)
      .where(isNull(menuCategories.archivedAt))
      .orderBy(asc(menuCategories.sortOrder), asc(menuCategories.name)),
    tx.select().from(products).where(eq(products.active, true)).orderBy(asc(products.sortOrder), asc(products.name)),
    tx
      .select()
      .from(productVariants)
      .where(isNull(productVariants.archivedAt))
      .orderBy(asc(productVariants.sortOrder), asc(productVariants.price)),
    tx.select().from(modifierGroups).where(isNull(modifierGroups.archivedAt)).orderBy(asc(modifierGroups.sortOrder)),
    tx.select().from(modifierOptions).where(isNull(modifierOptions.archivedAt)).orderBy(asc(modifierOptions.sortOrder)),
    tx.select().from(productModifierGroups).orderBy(asc(productModifierGroups.sortOrder)),
  ]);
  let date: LocalDate | null = null;
  let timezone: string | null = null;
  const hidden = new Set<string>();
  const stopListed = new Set<string>();
  const optionsOut = new Set<string>();
  const prices = new Map<string, number>();
  if (options.locationId) {
    const location = await loadLocation(tx, options.locationId);
    timezone = location.timezone;
    date = options.date ?? localDateOf(options.now ?? new Date(), location.timezone);
    const [availability, overrides, optionStops] = await Promise.all([
      tx
        .select()
        .from(productAvailability)
        .where(
          and(
            eq(productAvailability.locationId, location.id),
            or(eq(productAvailability.available, false), isNotNull(productAvailability.soldOutOn)),
          ),
        ),
      tx.select().from(locationPrices).where(eq(locationPrices.locationId, location.id)),
      tx
        .select()
        .from(modifierOptionStopList)
        .where(and(eq(modifierOptionStopList.locationId, location.id), eq(modifierOptionStopList.soldOutOn, date))),
    ]);
    for (const row of availability) {
      if (!row.available) hidden.add(row.productId);
      if (row.soldOutOn === date) stopListed.add(row.productId);
    }
    for (const row of overrides) prices.set(`${row.productId}/${row.variantSlug}`, row.price);
    for (const row of optionStops) optionsOut.add(row.optionId);
  }
  const groups = new Map<string, MenuModifierGroup>(
    groupRows.map((group) => [
      group.id,
      {
        id: group.id,
        slug: group.slug,
        name: localized(group, options.locale).name,
        minSelect: group.minSelect,
        maxSelect: group.maxSelect,
        maxPerOption: group.maxPerOption,
        options: optionRows
          .filter((option) => option.groupId === group.id)
          .map((option) => ({
            id: option.id,
            slug: option.slug,
            name: localized(option, options.locale).name,
            priceDelta: option.priceDelta,
            prepMinutesDelta: option.prepMinutesDelta,
            isDefault: option.isDefault,
            soldOut: optionsOut.has(option.id),
          })),
      },
    ]),
  );
  const liveCategories = new Set(categoryRows.map((category) => category.id));
  return {
    date,
    timezone,
    categories: categoryRows.map((category) => ({
      id: category.id,
      slug: category.slug,
      name: localized(category, options.locale).name,
    })),
    products: productRows
      .filter((product) => liveCategories.has(product.categoryId))
      .map((product) => {
        const text = localized(product, options.locale);
        return {
          id: product.id,
          categoryId: product.categoryId,
          sku: product.sku,
          name: text.name,
          description: text.description,
          price: prices.get(`${product.id}/`) ?? product.price,
          vatRate: product.vatRate,
          imagePath: product.imagePath,
          photoKey: product.photoKey,
          prepMinutes: product.prepMinutes,
          dailyLimit: product.dailyLimit,
          offered: !hidden.has(product.id),
          stopListed: stopListed.has(product.id),
          soldOut: stopListed.has(product.id),
          variants: variantRows
            .filter((variant) => variant.productId === product.id)
            .map((variant) => ({
              id: variant.id,
              slug: variant.slug,
              name: localized(variant, options.locale).name,
              sku: variant.sku,
              price: prices.get(`${product.id}/${variant.slug}`) ?? variant.price,
              prepMinutesDelta: variant.prepMinutesDelta,
            })),
          modifierGroups: links.flatMap((link) => {
            const group = link.productId === product.id ? groups.get(link.groupId) : undefined;
            return group ? [group] : [];
          }),
        };
      }),
  };
}

/**
 * The active menu of the tenant bound to `tx`, by category, as the storefront shows it. With
 * `locationId`, products the location does not offer are left out, prices are the location's,
 * and products it cannot sell today (its local "today": the stop-list's `sold_out_on`, or a
 * daily limit already ordered up) are marked `soldOut`, options on its stop-list likewise.
 * An unknown location is a 404 (RLS makes another café's location unknown).
 */
export async function getMenu(
  tx: Tx,
  options: { locationId?: string; now?: Date; locale?: string } = {},
): Promise<MenuCategory[]> {
  const model = await readMenu(tx, options);
  const offered = model.products.filter((product) => product.offered);
  const soldOut = new Set(offered.filter((product) => product.stopListed).map((product) => product.id));
  if (options.locationId && model.date && model.timezone) {
    for (const productId of await limitsReached(tx, {
      locationId: options.locationId,
      today: model.date,
      timezone: model.timezone,
      products: offered,
    })) {
      soldOut.add(productId);
    }
  }
  return model.categories
    .map((category) => ({
      ...category,
      products: offered
        .filter((product) => product.categoryId === category.id)
        .map(
          ({ categoryId: _c, dailyLimit: _d, offered: _o, stopListed: _s, ...product }): MenuProduct => ({
            ...product,
            soldOut: soldOut.has(product.id),
          }),
        ),
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

/** What the till can send as a SKU, as the back-office offers it: each item, and each size with a SKU of its own. */
export type SkuChoice = { sku: string; name: string };

/** The menu's SKUs with their names ("Латте", "Латте — 0,4 л"), in menu order: what hint rules pick from. */
export async function menuSkuChoices(tx: Tx): Promise<SkuChoice[]> {
  const model = await readMenu(tx);
  return model.categories.flatMap((category) =>
    model.products
      .filter((product) => product.categoryId === category.id)
      .flatMap((product) => [
        { sku: product.sku, name: product.name },
        ...product.variants.flatMap((variant) =>
          variant.sku ? [{ sku: variant.sku, name: `${product.name} — ${variant.name}` }] : [],
        ),
      ]),
  );
}
