import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import {
  locationPrices,
  locations,
  type MenuTranslations,
  menuCategories,
  modifierGroups,
  modifierOptionStopList,
  modifierOptions,
  orderItems,
  productModifierGroups,
  products,
  productVariants,
  receiptLines,
} from "@/db/schema";
import type { AuditAction } from "../audit/actions";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { lockName } from "../locks";
import { localDateOf } from "../orders/slots";
import { transliterate } from "../transliterate";

/** Who changes the menu; a member limited to some locations acts only there (the stop-list). */
export type MenuActor = { userId: string; ip: string | null; locationIds?: string[] };
type Base = { tenantId: string; actor: MenuActor };

/** Square allows 250 sizes per item; so do we. */
export const MAX_VARIANTS = 250;
export const MAX_OPTIONS = 50;
export const MAX_PRICE = 100_000_000;

export type EditorVariant = {
  id: string;
  slug: string;
  name: string;
  translations: MenuTranslations;
  sku: string | null;
  price: number;
  prepMinutesDelta: number;
};
export type EditorProduct = {
  id: string;
  categoryId: string;
  sku: string;
  name: string;
  translations: MenuTranslations;
  description: string;
  price: number;
  vatRate: number | null;
  prepMinutes: number;
  photoKey: string | null;
  imagePath: string | null;
  archived: boolean;
  variants: EditorVariant[];
  groupIds: string[];
  /** The locations' own prices: of the product (`variantSlug` "") or of a size. */
  locationPrices: { locationId: string; variantSlug: string; price: number }[];
};
export type EditorCategory = {
  id: string;
  slug: string;
  name: string;
  translations: MenuTranslations;
  archived: boolean;
  products: EditorProduct[];
};
export type EditorOption = {
  id: string;
  slug: string;
  name: string;
  translations: MenuTranslations;
  priceDelta: number;
  prepMinutesDelta: number;
  isDefault: boolean;
};
export type EditorGroup = {
  id: string;
  slug: string;
  name: string;
  translations: MenuTranslations;
  minSelect: number;
  maxSelect: number;
  maxPerOption: number;
  archived: boolean;
  options: EditorOption[];
};
export type EditorView = {
  categories: EditorCategory[];
  groups: EditorGroup[];
  locations: { id: string; name: string }[];
};

/** Everything the editor shows: categories in order (archived last), their products, groups, locations. */
export async function menuEditorView(tx: Tx): Promise<EditorView> {
  const [categoryRows, productRows, variantRows, groupRows, optionRows, links, overrides, places] = await Promise.all([
    tx.select().from(menuCategories).orderBy(asc(menuCategories.sortOrder), asc(menuCategories.name)),
    tx.select().from(products).orderBy(asc(products.sortOrder), asc(products.name)),
    tx.select().from(productVariants).where(isNull(productVariants.archivedAt)).orderBy(asc(productVariants.sortOrder)),
    tx.select().from(modifierGroups).orderBy(asc(modifierGroups.sortOrder), asc(modifierGroups.name)),
    tx.select().from(modifierOptions).where(isNull(modifierOptions.archivedAt)).orderBy(asc(modifierOptions.sortOrder)),
    tx.select().from(productModifierGroups).orderBy(asc(productModifierGroups.sortOrder)),
    tx.select().from(locationPrices),
    tx
      .select({ id: locations.id, name: locations.name })
      .from(locations)
      .where(isNull(locations.archivedAt))
      .orderBy(asc(locations.name)),
  ]);
  const productView = (product: (typeof productRows)[number]): EditorProduct => ({
    id: product.id,
    categoryId: product.categoryId,
    sku: product.sku,
    name: product.name,
    translations: product.translations,
    description: product.description,
    price: product.price,
    vatRate: product.vatRate,
    prepMinutes: product.prepMinutes,
    photoKey: product.photoKey,
    imagePath: product.imagePath,
    archived: !product.active,
    variants: variantRows
      .filter((variant) => variant.productId === product.id)
      .map(({ id, slug, name, translations, sku, price, prepMinutesDelta }) => ({
        id,
        slug,
        name,
        translations,
        sku,
        price,
        prepMinutesDelta,
      })),
    groupIds: links.filter((link) => link.productId === product.id).map((link) => link.groupId),
    locationPrices: overrides
      .filter((row) => row.productId === product.id)
      .map(({ locationId, variantSlug, price }) => ({ locationId, variantSlug, price })),
  });
  const categories = categoryRows.map((category) => ({
    id: category.id,
    slug: category.slug,
    name: category.name,
    translations: category.translations,
    archived: category.archivedAt !== null,
    products: productRows.filter((product) => product.categoryId === category.id).map(productView),
  }));
  return {
    categories: [...categories.filter((c) => !c.archived), ...categories.filter((c) => c.archived)],
    groups: groupRows.map((group) => ({
      id: group.id,
      slug: group.slug,
      name: group.name,
      translations: group.translations,
      minSelect: group.minSelect,
      maxSelect: group.maxSelect,
      maxPerOption: group.maxPerOption,
      archived: group.archivedAt !== null,
      options: optionRows
        .filter((option) => option.groupId === group.id)
        .map(({ id, slug, name, translations, priceDelta, prepMinutesDelta, isDefault }) => ({
          id,
          slug,
          name,
          translations,
          priceDelta,
          prepMinutesDelta,
          isDefault,
        })),
    })),
    locations: places,
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** A URL-safe slug of a name in Latin letters ("Сироп ваниль" → "sirop-vanil"); "item" when nothing is left. */
export function slugify(name: string): string {
  const slug = transliterate(name)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
  return slug || "item";
}

/** `base`, or `base-2`, `base-3`… — the first that `taken` does not hold. */
export function uniqueSlug(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** A refusal naming the field the form should mark. */
export const fieldError = (
  field: string,
  reason: string,
  message: string,
  code: "unprocessable" | "conflict" | "not_found" = "unprocessable",
) => new AppError(code, message, reason, [{ path: field, message }]);

const notFound = (what: string) => new AppError("not_found", `No such ${what}`, `${what}_not_found`);

function cleanTranslations(translations: MenuTranslations | undefined): MenuTranslations {
  const clean: MenuTranslations = {};
  for (const [language, text] of Object.entries(translations ?? {}) as [
    keyof MenuTranslations,
    { name?: string; description?: string },
  ][]) {
    const name = text?.name?.trim();
    const description = text?.description?.trim();
    if (name || description) clean[language] = { ...(name ? { name } : {}), ...(description ? { description } : {}) };
  }
  return clean;
}

function checkMoney(field: string, value: number, allowNegative = false): void {
  if (!Number.isSafeInteger(value) || Math.abs(value) > MAX_PRICE || (!allowNegative && value < 0)) {
    throw fieldError(field, "price_invalid", "A price is a whole number of minor units, not negative");
  }
}

function checkName(field: string, name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 120) {
    throw fieldError(field, "name_invalid", "A name of 1 to 120 characters");
  }
  return trimmed;
}

async function audit(
  tx: Tx,
  input: Base,
  action: AuditAction,
  target: { type: string; id: string },
  meta: Record<string, unknown>,
) {
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action,
    targetType: target.type,
    targetId: target.id,
    meta,
  });
}

/** The fields that differ, as `{ field: [before, after] }`, for the audit trail. */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [field, value] of Object.entries(after)) {
    if (JSON.stringify(before[field]) !== JSON.stringify(value)) changes[field] = [before[field] ?? null, value];
  }
  return changes;
}

// ---------------------------------------------------------------------------------------------
// Categories

/** Creates a category (last in the order) or renames one. Audited. */
export async function saveCategory(
  tx: Tx,
  input: Base & { id?: string; name: string; translations?: MenuTranslations },
): Promise<{ id: string }> {
  const name = checkName("name", input.name);
  const translations = cleanTranslations(input.translations);
  if (input.id) {
    const [before] = await tx.select().from(menuCategories).where(eq(menuCategories.id, input.id)).for("update");
    if (!before) throw notFound("category");
    await tx.update(menuCategories).set({ name, translations }).where(eq(menuCategories.id, input.id));
    await audit(
      tx,
      input,
      "menu.category_saved",
      { type: "category", id: input.id },
      {
        changes: changedFields(before, { name, translations }),
      },
    );
    return { id: input.id };
  }
  const existing = await tx
    .select({ slug: menuCategories.slug, sortOrder: menuCategories.sortOrder })
    .from(menuCategories);
  const slug = uniqueSlug(slugify(name), new Set(existing.map((row) => row.slug)));
  const sortOrder = Math.max(-1, ...existing.map((row) => row.sortOrder)) + 1;
  const [row] = await tx
    .insert(menuCategories)
    .values({ tenantId: input.tenantId, slug, name, translations, sortOrder })
    .returning({ id: menuCategories.id });
  if (!row) throw new Error("category insert returned nothing");
  await audit(tx, input, "menu.category_saved", { type: "category", id: row.id }, { created: true, name });
  return row;
}

/**
 * Moves a category one place up or down among the live ones (the keyboard's way to reorder):
 * renumbers them 0…n in their current order, then swaps the two. At either end nothing moves.
 */
export async function moveCategory(
  tx: Tx,
  input: Base & { id: string; direction: "up" | "down" },
): Promise<{ moved: boolean }> {
  // Two editors moving at once queue here, so the order they see is the order they change.
  const rows = await tx
    .select({ id: menuCategories.id })
    .from(menuCategories)
    .where(isNull(menuCategories.archivedAt))
    .orderBy(asc(menuCategories.sortOrder), asc(menuCategories.name))
    .for("update");
  const index = rows.findIndex((row) => row.id === input.id);
  if (index < 0) throw notFound("category");
  const other = input.direction === "up" ? index - 1 : index + 1;
  if (other < 0 || other >= rows.length) return { moved: false };
  const order = rows.map((row) => row.id);
  [order[index], order[other]] = [order[other] as string, order[index] as string];
  await tx
    .update(menuCategories)
    .set({
      sortOrder: sql`case ${menuCategories.id} ${sql.join(
        order.map((id, position) => sql`when ${id}::uuid then ${position}::int`),
        sql` `,
      )} end`,
    })
    .where(inArray(menuCategories.id, order));
  await audit(
    tx,
    input,
    "menu.category_moved",
    { type: "category", id: input.id },
    {
      direction: input.direction,
      position: other + 1,
    },
  );
  return { moved: true };
}

/** Archives a category (off the storefront with its products) or brings it back. Audited when it changes. */
export async function setCategoryArchived(
  tx: Tx,
  input: Base & { id: string; archived: boolean },
): Promise<{ changed: boolean }> {
  const [row] = await tx.select().from(menuCategories).where(eq(menuCategories.id, input.id)).for("update");
  if (!row) throw notFound("category");
  if ((row.archivedAt !== null) === input.archived) return { changed: false };
  await tx
    .update(menuCategories)
    .set({ archivedAt: input.archived ? new Date() : null })
    .where(eq(menuCategories.id, input.id));
  await audit(
    tx,
    input,
    input.archived ? "menu.category_archived" : "menu.category_restored",
    { type: "category", id: input.id },
    { name: row.name },
  );
  return { changed: true };
}

// ---------------------------------------------------------------------------------------------
// Products

export type VariantInput = {
  id?: string;
  name: string;
  translations?: MenuTranslations;
  sku?: string | null;
  price: number;
  prepMinutesDelta?: number;
};

export type ProductInput = Base & {
  id?: string;
  categoryId: string;
  sku: string;
  name: string;
  translations?: MenuTranslations;
  description?: string;
  price: number;
  prepMinutes: number;
  vatRate: number | null;
  variants?: VariantInput[];
  groupIds?: string[];
};

/** SKUs are one namespace per café: products' and sizes' alike (the POS sends either). */
async function assertSkuFree(tx: Tx, sku: string, field: string, own: { productId?: string; variantId?: string }) {
  const [product] = await tx
    .select({ id: products.id })
    .from(products)
    .where(own.productId ? and(eq(products.sku, sku), ne(products.id, own.productId)) : eq(products.sku, sku));
  const [variant] = await tx
    .select({ id: productVariants.id })
    .from(productVariants)
    .where(
      own.variantId
        ? and(eq(productVariants.sku, sku), ne(productVariants.id, own.variantId))
        : eq(productVariants.sku, sku),
    );
  if (product || variant) throw fieldError(field, "sku_taken", `The SKU ${sku} is already used`, "conflict");
}

/**
 * Creates or updates a product with its sizes and modifier groups. Sizes are matched by id (or
 * by name, which brings an archived size back); sizes left out are archived, never deleted, so
 * placed orders keep naming them. Prices are integers in minor units. A price change applies to
 * new orders only: placed orders keep their snapshot. Audited with what changed.
 */
export async function saveProduct(tx: Tx, input: ProductInput): Promise<{ id: string }> {
  const name = checkName("name", input.name);
  const sku = input.sku.trim();
  if (sku.length === 0 || sku.length > 64 || /\s/.test(sku)) {
    throw fieldError("sku", "sku_invalid", "A SKU of 1 to 64 characters without spaces");
  }
  checkMoney("price", input.price);
  if (!Number.isInteger(input.prepMinutes) || input.prepMinutes < 0 || input.prepMinutes > 240) {
    throw fieldError("prepMinutes", "prep_minutes_invalid", "Preparation takes 0 to 240 whole minutes");
  }
  if (input.vatRate !== null && (!Number.isInteger(input.vatRate) || input.vatRate < 0 || input.vatRate > 100)) {
    throw fieldError("vatRate", "vat_rate_invalid", "VAT is a whole percent from 0 to 100");
  }
  const description = (input.description ?? "").trim();
  if (description.length > 1000) throw fieldError("description", "description_invalid", "At most 1000 characters");
  const variants = input.variants ?? [];
  if (variants.length > MAX_VARIANTS) {
    throw fieldError("variants", "too_many_variants", `At most ${MAX_VARIANTS} sizes`);
  }
  const variantNames = new Set<string>();
  variants.forEach((variant, index) => {
    const variantName = checkName(`variants.${index}.name`, variant.name).toLowerCase();
    if (variantNames.has(variantName)) {
      throw fieldError(`variants.${index}.name`, "variant_duplicate", "Two sizes of one product have the same name");
    }
    variantNames.add(variantName);
    checkMoney(`variants.${index}.price`, variant.price);
  });
  const [category] = await tx
    .select({ id: menuCategories.id })
    .from(menuCategories)
    .where(eq(menuCategories.id, input.categoryId));
  if (!category) throw fieldError("categoryId", "category_not_found", "No such category", "not_found");
  const groupIds = [...new Set(input.groupIds ?? [])];
  if (groupIds.length > 0) {
    const found = await tx
      .select({ id: modifierGroups.id })
      .from(modifierGroups)
      .where(inArray(modifierGroups.id, groupIds));
    if (found.length !== groupIds.length)
      throw fieldError("groupIds", "group_not_found", "No such modifier group", "not_found");
  }
  // One editor at a time per café decides SKUs, so two saves cannot both take a free one.
  await lockName(tx, `menu-sku:${input.tenantId}`);
  await assertSkuFree(tx, sku, "sku", { productId: input.id });

  const values = {
    categoryId: input.categoryId,
    sku,
    name,
    translations: cleanTranslations(input.translations),
    description,
    price: input.price,
    prepMinutes: input.prepMinutes,
    vatRate: input.vatRate,
  };
  let productId: string;
  let changes: Record<string, [unknown, unknown]> | null = null;
  if (input.id) {
    const [before] = await tx.select().from(products).where(eq(products.id, input.id)).for("update");
    if (!before) throw notFound("product");
    await tx.update(products).set(values).where(eq(products.id, input.id));
    productId = input.id;
    changes = changedFields(before, values);
  } else {
    const [last] = await tx
      .select({ sortOrder: sql<number>`coalesce(max(${products.sortOrder}), -1)` })
      .from(products)
      .where(eq(products.categoryId, input.categoryId));
    const [row] = await tx
      .insert(products)
      .values({ tenantId: input.tenantId, ...values, sortOrder: Number(last?.sortOrder ?? -1) + 1 })
      .returning({ id: products.id });
    if (!row) throw new Error("product insert returned nothing");
    productId = row.id;
  }
  const variantChanges = await saveVariants(tx, { ...input, productId, variants });
  await tx.delete(productModifierGroups).where(eq(productModifierGroups.productId, productId));
  if (groupIds.length > 0) {
    await tx
      .insert(productModifierGroups)
      .values(groupIds.map((groupId, sortOrder) => ({ tenantId: input.tenantId, productId, groupId, sortOrder })));
  }
  await audit(
    tx,
    input,
    "menu.product_saved",
    { type: "product", id: productId },
    {
      sku,
      ...(changes ? { changes } : { created: true, price: input.price }),
      ...(variantChanges.length > 0 ? { variants: variantChanges } : {}),
      groupIds,
    },
  );
  return { id: productId };
}

async function saveVariants(tx: Tx, input: Base & { productId: string; variants: VariantInput[] }): Promise<string[]> {
  const existing = await tx
    .select()
    .from(productVariants)
    .where(eq(productVariants.productId, input.productId))
    .for("update");
  const kept = new Set<string>();
  const log: string[] = [];
  const taken = new Set(existing.map((row) => row.slug));
  for (const [index, variant] of input.variants.entries()) {
    const name = variant.name.trim();
    const sku = variant.sku?.trim() || null;
    if (sku) await assertSkuFree(tx, sku, `variants.${index}.sku`, { variantId: variant.id });
    const match =
      existing.find((row) => variant.id && row.id === variant.id) ??
      existing.find((row) => !kept.has(row.id) && row.name.toLowerCase() === name.toLowerCase());
    if (variant.id && !match) throw fieldError(`variants.${index}`, "variant_not_found", "No such size", "not_found");
    const values = {
      name,
      translations: cleanTranslations(variant.translations),
      sku,
      price: variant.price,
      prepMinutesDelta: variant.prepMinutesDelta ?? 0,
      sortOrder: index,
      archivedAt: null,
    };
    if (match) {
      kept.add(match.id);
      await tx.update(productVariants).set(values).where(eq(productVariants.id, match.id));
      if (match.price !== variant.price || match.archivedAt) log.push(`${name}: ${match.price} → ${variant.price}`);
    } else {
      const slug = uniqueSlug(slugify(name), taken);
      taken.add(slug);
      const [row] = await tx
        .insert(productVariants)
        .values({ tenantId: input.tenantId, productId: input.productId, slug, ...values })
        .returning({ id: productVariants.id });
      if (row) kept.add(row.id);
      log.push(`${name}: + ${variant.price}`);
    }
  }
  const dropped = existing.filter((row) => !kept.has(row.id) && row.archivedAt === null);
  if (dropped.length > 0) {
    // Archived, not deleted: an order placed for this size still names it.
    await tx
      .update(productVariants)
      .set({ archivedAt: new Date() })
      .where(
        inArray(
          productVariants.id,
          dropped.map((row) => row.id),
        ),
      );
    for (const row of dropped) log.push(`${row.name}: archived`);
  }
  return log;
}

/** Archives a product (off every menu, kept for orders and receipts) or brings it back. Audited. */
export async function setProductArchived(
  tx: Tx,
  input: Base & { id: string; archived: boolean },
): Promise<{ changed: boolean }> {
  const [row] = await tx.select().from(products).where(eq(products.id, input.id)).for("update");
  if (!row) throw notFound("product");
  if (row.active === !input.archived) return { changed: false };
  await tx.update(products).set({ active: !input.archived }).where(eq(products.id, input.id));
  await audit(
    tx,
    input,
    input.archived ? "menu.product_archived" : "menu.product_restored",
    { type: "product", id: input.id },
    { sku: row.sku, name: row.name },
  );
  return { changed: true };
}

/** Whether any order line or POS receipt line names the product (by id, or by its or its sizes' SKUs). */
export async function productIsNamed(tx: Tx, productId: string): Promise<boolean> {
  const [product] = await tx.select({ sku: products.sku }).from(products).where(eq(products.id, productId));
  if (!product) return false;
  const variantSkus = (
    await tx.select({ sku: productVariants.sku }).from(productVariants).where(eq(productVariants.productId, productId))
  ).flatMap((row) => (row.sku ? [row.sku] : []));
  const [ordered] = await tx
    .select({ one: sql`1` })
    .from(orderItems)
    .where(eq(orderItems.productId, productId))
    .limit(1);
  if (ordered) return true;
  const [received] = await tx
    .select({ one: sql`1` })
    .from(receiptLines)
    .where(inArray(receiptLines.sku, [product.sku, ...variantSkus]))
    .limit(1);
  return Boolean(received);
}

/**
 * Deletes a product no order or receipt names (a typo made a minute ago). One that is named is
 * refused with `product_in_use`: archive it instead. Audited.
 */
export async function deleteProduct(tx: Tx, input: Base & { id: string }): Promise<void> {
  const [row] = await tx.select().from(products).where(eq(products.id, input.id)).for("update");
  if (!row) throw notFound("product");
  if (await productIsNamed(tx, input.id)) {
    throw new AppError("conflict", "Orders or receipts name this product: archive it instead", "product_in_use");
  }
  await tx.delete(products).where(eq(products.id, input.id));
  await audit(tx, input, "menu.product_deleted", { type: "product", id: input.id }, { sku: row.sku, name: row.name });
}

/** Sets (or with null removes) a product's uploaded photo, stored already by `storeProductPhoto`. Audited. */
export async function setProductPhoto(
  tx: Tx,
  input: Base & { productId: string; photoKey: string | null },
): Promise<void> {
  const [row] = await tx.select().from(products).where(eq(products.id, input.productId)).for("update");
  if (!row) throw notFound("product");
  await tx.update(products).set({ photoKey: input.photoKey }).where(eq(products.id, input.productId));
  await audit(
    tx,
    input,
    "menu.photo_set",
    { type: "product", id: input.productId },
    {
      before: row.photoKey,
      after: input.photoKey,
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Modifier groups

export type OptionInput = {
  id?: string;
  name: string;
  translations?: MenuTranslations;
  priceDelta: number;
  prepMinutesDelta?: number;
  isDefault?: boolean;
};

/**
 * Creates or updates a modifier group ("Сироп": choose 0 to 3, up to 2 pumps of each) and its
 * options; options left out are archived. The rules must be satisfiable: min ≤ max, the defaults
 * within max, and enough options (× pumps) to reach min. Audited.
 */
export async function saveModifierGroup(
  tx: Tx,
  input: Base & {
    id?: string;
    name: string;
    translations?: MenuTranslations;
    minSelect: number;
    maxSelect: number;
    maxPerOption: number;
    options: OptionInput[];
  },
): Promise<{ id: string }> {
  const name = checkName("name", input.name);
  const whole = (value: number) => Number.isInteger(value) && value >= 0;
  if (!whole(input.maxSelect) || input.maxSelect < 1 || input.maxSelect > 50) {
    throw fieldError("maxSelect", "max_select_invalid", "Choose at most 1 to 50");
  }
  if (!whole(input.minSelect) || input.minSelect > input.maxSelect) {
    throw fieldError("minSelect", "min_select_invalid", "The minimum is between 0 and the maximum");
  }
  if (!whole(input.maxPerOption) || input.maxPerOption < 1 || input.maxPerOption > 10) {
    throw fieldError("maxPerOption", "max_per_option_invalid", "From 1 to 10 of one option");
  }
  if (input.options.length === 0 || input.options.length > MAX_OPTIONS) {
    throw fieldError("options", "options_count", `From 1 to ${MAX_OPTIONS} options`);
  }
  if (input.options.length * input.maxPerOption < input.minSelect) {
    throw fieldError("minSelect", "min_select_unreachable", "Fewer options than the minimum to choose");
  }
  if (input.options.filter((option) => option.isDefault).length > input.maxSelect) {
    throw fieldError("options", "too_many_defaults", "More defaults than may be chosen");
  }
  const optionNames = new Set<string>();
  input.options.forEach((option, index) => {
    const optionName = checkName(`options.${index}.name`, option.name).toLowerCase();
    if (optionNames.has(optionName)) {
      throw fieldError(`options.${index}.name`, "option_duplicate", "Two options have the same name");
    }
    optionNames.add(optionName);
    // An option may make a line cheaper (no milk: −20 ₽), within the same bounds.
    checkMoney(`options.${index}.priceDelta`, option.priceDelta, true);
    const prep = option.prepMinutesDelta ?? 0;
    if (!Number.isInteger(prep) || Math.abs(prep) > 60) {
      throw fieldError(`options.${index}.prepMinutesDelta`, "prep_minutes_invalid", "−60 to 60 whole minutes");
    }
  });
  const values = {
    name,
    translations: cleanTranslations(input.translations),
    minSelect: input.minSelect,
    maxSelect: input.maxSelect,
    maxPerOption: input.maxPerOption,
  };
  let groupId: string;
  let changes: Record<string, [unknown, unknown]> | null = null;
  if (input.id) {
    const [before] = await tx.select().from(modifierGroups).where(eq(modifierGroups.id, input.id)).for("update");
    if (!before) throw notFound("group");
    await tx.update(modifierGroups).set(values).where(eq(modifierGroups.id, input.id));
    groupId = input.id;
    changes = changedFields(before, values);
  } else {
    const existing = await tx
      .select({ slug: modifierGroups.slug, sortOrder: modifierGroups.sortOrder })
      .from(modifierGroups);
    const [row] = await tx
      .insert(modifierGroups)
      .values({
        tenantId: input.tenantId,
        slug: uniqueSlug(slugify(name), new Set(existing.map((group) => group.slug))),
        sortOrder: Math.max(-1, ...existing.map((group) => group.sortOrder)) + 1,
        ...values,
      })
      .returning({ id: modifierGroups.id });
    if (!row) throw new Error("group insert returned nothing");
    groupId = row.id;
  }
  const existing = await tx.select().from(modifierOptions).where(eq(modifierOptions.groupId, groupId)).for("update");
  const kept = new Set<string>();
  const taken = new Set(existing.map((row) => row.slug));
  const optionLog: string[] = [];
  for (const [index, option] of input.options.entries()) {
    const optionName = option.name.trim();
    const match =
      existing.find((row) => option.id && row.id === option.id) ??
      existing.find((row) => !kept.has(row.id) && row.name.toLowerCase() === optionName.toLowerCase());
    if (option.id && !match) throw fieldError(`options.${index}`, "option_not_found", "No such option", "not_found");
    const optionValues = {
      name: optionName,
      translations: cleanTranslations(option.translations),
      priceDelta: option.priceDelta,
      prepMinutesDelta: option.prepMinutesDelta ?? 0,
      isDefault: option.isDefault ?? false,
      sortOrder: index,
      archivedAt: null,
    };
    if (match) {
      kept.add(match.id);
      await tx.update(modifierOptions).set(optionValues).where(eq(modifierOptions.id, match.id));
      if (match.priceDelta !== option.priceDelta)
        optionLog.push(`${optionName}: ${match.priceDelta} → ${option.priceDelta}`);
    } else {
      const slug = uniqueSlug(slugify(optionName), taken);
      taken.add(slug);
      const [row] = await tx
        .insert(modifierOptions)
        .values({ tenantId: input.tenantId, groupId, slug, ...optionValues })
        .returning({ id: modifierOptions.id });
      if (row) kept.add(row.id);
      optionLog.push(`${optionName}: + ${option.priceDelta}`);
    }
  }
  const dropped = existing.filter((row) => !kept.has(row.id) && row.archivedAt === null);
  if (dropped.length > 0) {
    await tx
      .update(modifierOptions)
      .set({ archivedAt: new Date(), isDefault: false })
      .where(
        inArray(
          modifierOptions.id,
          dropped.map((row) => row.id),
        ),
      );
    for (const row of dropped) optionLog.push(`${row.name}: archived`);
  }
  await audit(
    tx,
    input,
    "menu.modifier_group_saved",
    { type: "modifier_group", id: groupId },
    {
      ...(changes ? { changes } : { created: true, ...values }),
      ...(optionLog.length > 0 ? { options: optionLog } : {}),
    },
  );
  return { id: groupId };
}

/** Archives a modifier group (no product offers it any more) or brings it back. Audited. */
export async function setModifierGroupArchived(
  tx: Tx,
  input: Base & { id: string; archived: boolean },
): Promise<{ changed: boolean }> {
  const [row] = await tx.select().from(modifierGroups).where(eq(modifierGroups.id, input.id)).for("update");
  if (!row) throw notFound("group");
  if ((row.archivedAt !== null) === input.archived) return { changed: false };
  await tx
    .update(modifierGroups)
    .set({ archivedAt: input.archived ? new Date() : null })
    .where(eq(modifierGroups.id, input.id));
  await audit(
    tx,
    input,
    "menu.modifier_group_archived",
    { type: "modifier_group", id: input.id },
    {
      name: row.name,
      archived: input.archived,
    },
  );
  return { changed: true };
}

// ---------------------------------------------------------------------------------------------
// Per location

/**
 * A location's own price of a product (`variantSlug` "") or of one of its sizes; null goes back
 * to the menu's price. Audited with the price before and after.
 */
export async function setLocationPrice(
  tx: Tx,
  input: Base & { locationId: string; productId: string; variantSlug: string; price: number | null },
): Promise<void> {
  if (input.price !== null) checkMoney("price", input.price);
  // A member limited to some locations prices only those.
  const limited = input.actor.locationIds ?? [];
  if (limited.length > 0 && !limited.includes(input.locationId)) throw notFound("product");
  const [[location], [product]] = await Promise.all([
    tx.select({ id: locations.id }).from(locations).where(eq(locations.id, input.locationId)),
    tx.select({ id: products.id }).from(products).where(eq(products.id, input.productId)),
  ]);
  if (!location || !product) throw notFound("product");
  if (input.variantSlug) {
    const [variant] = await tx
      .select({ id: productVariants.id })
      .from(productVariants)
      .where(and(eq(productVariants.productId, input.productId), eq(productVariants.slug, input.variantSlug)));
    if (!variant) throw fieldError("variantSlug", "variant_not_found", "No such size", "not_found");
  }
  const where = and(
    eq(locationPrices.locationId, input.locationId),
    eq(locationPrices.productId, input.productId),
    eq(locationPrices.variantSlug, input.variantSlug),
  );
  const [before] = await tx.select().from(locationPrices).where(where).for("update");
  if ((before?.price ?? null) === input.price) return;
  if (input.price === null) {
    await tx.delete(locationPrices).where(where);
  } else {
    await tx
      .insert(locationPrices)
      .values({
        tenantId: input.tenantId,
        locationId: input.locationId,
        productId: input.productId,
        variantSlug: input.variantSlug,
        price: input.price,
      })
      .onConflictDoUpdate({
        target: [
          locationPrices.tenantId,
          locationPrices.locationId,
          locationPrices.productId,
          locationPrices.variantSlug,
        ],
        set: { price: input.price },
      });
  }
  await audit(
    tx,
    input,
    "menu.location_price_set",
    { type: "product", id: input.productId },
    {
      locationId: input.locationId,
      variantSlug: input.variantSlug || null,
      before: before?.price ?? null,
      after: input.price,
    },
  );
}

/**
 * Puts a modifier option on a location's stop-list for the location's today (oat milk ran out at
 * Тверская), or takes it off. A member limited to some locations acts only there. Audited.
 */
export async function setOptionSoldOut(
  tx: Tx,
  input: Base & { locationId: string; optionId: string; soldOut: boolean; now?: Date },
): Promise<{ changed: boolean }> {
  const limited = input.actor.locationIds ?? [];
  if (limited.length > 0 && !limited.includes(input.locationId)) throw notFound("option");
  const [[location], [option]] = await Promise.all([
    tx
      .select({ id: locations.id, timezone: locations.timezone })
      .from(locations)
      .where(eq(locations.id, input.locationId)),
    tx
      .select({ id: modifierOptions.id, name: modifierOptions.name })
      .from(modifierOptions)
      .where(and(eq(modifierOptions.id, input.optionId), isNull(modifierOptions.archivedAt))),
  ]);
  if (!location || !option) throw notFound("option");
  const today = localDateOf(input.now ?? new Date(), location.timezone);
  const where = and(eq(modifierOptionStopList.locationId, location.id), eq(modifierOptionStopList.optionId, option.id));
  const [before] = await tx.select().from(modifierOptionStopList).where(where).for("update");
  const wasOut = before?.soldOutOn === today;
  if (wasOut === input.soldOut) return { changed: false };
  if (input.soldOut) {
    await tx
      .insert(modifierOptionStopList)
      .values({ tenantId: input.tenantId, locationId: location.id, optionId: option.id, soldOutOn: today })
      .onConflictDoUpdate({
        target: [modifierOptionStopList.tenantId, modifierOptionStopList.locationId, modifierOptionStopList.optionId],
        set: { soldOutOn: today },
      });
  } else {
    await tx.delete(modifierOptionStopList).where(where);
  }
  await audit(
    tx,
    input,
    input.soldOut ? "menu.option_sold_out" : "menu.option_back_in_stock",
    { type: "modifier_option", id: option.id },
    { locationId: location.id, date: today, name: option.name },
  );
  return { changed: true };
}

/** Options on each location's stop-list today, for the stop-list page: `${locationId}:${optionId}`. */
export async function optionsSoldOutToday(tx: Tx, places: { id: string; today: string }[]): Promise<Set<string>> {
  if (places.length === 0) return new Set();
  const rows = await tx
    .select()
    .from(modifierOptionStopList)
    .where(
      inArray(
        modifierOptionStopList.locationId,
        places.map((place) => place.id),
      ),
    );
  const todayOf = new Map(places.map((place) => [place.id, place.today]));
  return new Set(
    rows
      .filter((row) => todayOf.get(row.locationId) === row.soldOutOn)
      .map((row) => `${row.locationId}:${row.optionId}`),
  );
}
