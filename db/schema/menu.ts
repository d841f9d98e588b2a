import {
  boolean,
  date,
  foreignKey,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { at, createdAt, idColumn, money, tenantIdColumn } from "./columns";
import { tenants, users } from "./platform";
import { locations } from "./tenancy";

/** The languages a menu is written in (the UI's); `name`/`description` hold the café's own text. */
export const MENU_LANGUAGES = ["ru", "en"] as const;
export type MenuLanguage = (typeof MENU_LANGUAGES)[number];
/** Texts in other languages than the café's own: `{ en: { name: "Cappuccino" } }`. */
export type MenuTranslations = Partial<Record<MenuLanguage, { name?: string; description?: string }>>;
const translations = () => jsonb("translations").$type<MenuTranslations>().notNull().default({});

export const menuCategories = pgTable(
  "menu_categories",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    translations: translations(),
    sortOrder: integer("sort_order").notNull().default(0),
    /** Archived: hidden with its products from the storefront, kept for the history. */
    archivedAt: at("archived_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), unique("menu_categories_slug_key").on(t.tenantId, t.slug)],
);

export const products = pgTable(
  "products",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    categoryId: uuid("category_id").notNull(),
    /** The SKU the POS sends in receipt lines. */
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    translations: translations(),
    /** The price of a product without sizes; with sizes each variant has its own. */
    price: money("price").notNull(),
    /** VAT in whole percent (20, 10, 0); null: not subject to VAT. */
    vatRate: integer("vat_rate"),
    /** An external or bundled picture (the seed's drawings); an uploaded photo is `photoKey`. */
    imagePath: text("image_path"),
    /** Content address of an uploaded photo in the storage (server/storage): `<sha256>`. */
    photoKey: text("photo_key"),
    /** Minutes of barista work; pick-up slots fill by these, not by order count. */
    prepMinutes: integer("prep_minutes").notNull().default(3),
    /** Portions available per location per day (null = unlimited). */
    dailyLimit: integer("daily_limit"),
    sortOrder: integer("sort_order").notNull().default(0),
    /** false = archived: off the menu, kept because orders and receipts name it. */
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("products_sku_key").on(t.tenantId, t.sku),
    foreignKey({ columns: [t.tenantId, t.categoryId], foreignColumns: [menuCategories.tenantId, menuCategories.id] }),
  ],
);

export const modifierGroups = pgTable(
  "modifier_groups",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    translations: translations(),
    minSelect: integer("min_select").notNull().default(0),
    maxSelect: integer("max_select").notNull().default(1),
    /** How many of the same option one line may take (two pumps of syrup: 2); counted in maxSelect. */
    maxPerOption: integer("max_per_option").notNull().default(1),
    sortOrder: integer("sort_order").notNull().default(0),
    archivedAt: at("archived_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), unique("modifier_groups_slug_key").on(t.tenantId, t.slug)],
);

export const modifierOptions = pgTable(
  "modifier_options",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    groupId: uuid("group_id").notNull(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    translations: translations(),
    priceDelta: money("price_delta").notNull().default(0),
    prepMinutesDelta: integer("prep_minutes_delta").notNull().default(0),
    isDefault: boolean("is_default").notNull().default(false),
    sortOrder: integer("sort_order").notNull().default(0),
    archivedAt: at("archived_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("modifier_options_slug_key").on(t.tenantId, t.groupId, t.slug),
    foreignKey({
      columns: [t.tenantId, t.groupId],
      foreignColumns: [modifierGroups.tenantId, modifierGroups.id],
    }).onDelete("cascade"),
  ],
);

export const productModifierGroups = pgTable(
  "product_modifier_groups",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    productId: uuid("product_id").notNull(),
    groupId: uuid("group_id").notNull(),
    sortOrder: integer("sort_order").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.productId, t.groupId] }),
    foreignKey({ columns: [t.tenantId, t.productId], foreignColumns: [products.tenantId, products.id] }).onDelete(
      "cascade",
    ),
    foreignKey({
      columns: [t.tenantId, t.groupId],
      foreignColumns: [modifierGroups.tenantId, modifierGroups.id],
    }).onDelete("cascade"),
  ],
);

/** Per-location availability and the stop-list: a row with soldOutOn = today hides the product for today. */
export const productAvailability = pgTable(
  "product_availability",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    locationId: uuid("location_id").notNull(),
    productId: uuid("product_id").notNull(),
    available: boolean("available").notNull().default(true),
    soldOutOn: date("sold_out_on"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.locationId, t.productId] }),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.tenantId, t.productId], foreignColumns: [products.tenantId, products.id] }).onDelete(
      "cascade",
    ),
  ],
);

/**
 * Sizes of a product (0,3 л / 0,4 л), each with its own price: a product with variants is
 * ordered as one of them. Archived, never deleted, once an order names it.
 */
export const productVariants = pgTable(
  "product_variants",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    productId: uuid("product_id").notNull(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    translations: translations(),
    /** The POS's SKU of this size, when the till sells sizes as items of their own. */
    sku: text("sku"),
    price: money("price").notNull(),
    prepMinutesDelta: integer("prep_minutes_delta").notNull().default(0),
    sortOrder: integer("sort_order").notNull().default(0),
    archivedAt: at("archived_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("product_variants_slug_key").on(t.tenantId, t.productId, t.slug),
    unique("product_variants_sku_key").on(t.tenantId, t.sku),
    foreignKey({ columns: [t.tenantId, t.productId], foreignColumns: [products.tenantId, products.id] }).onDelete(
      "cascade",
    ),
  ],
);

/**
 * A location's own price of a product (`variantSlug` "") or of one of its sizes. The storefront,
 * the checkout and placed orders all price from it.
 */
export const locationPrices = pgTable(
  "location_prices",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    locationId: uuid("location_id").notNull(),
    productId: uuid("product_id").notNull(),
    variantSlug: text("variant_slug").notNull().default(""),
    price: money("price").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.locationId, t.productId, t.variantSlug] }),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.tenantId, t.productId], foreignColumns: [products.tenantId, products.id] }).onDelete(
      "cascade",
    ),
  ],
);

/** The stop-list of modifiers: oat milk ran out at a location on `soldOutOn` (its local date). */
export const modifierOptionStopList = pgTable(
  "modifier_option_stop_list",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    locationId: uuid("location_id").notNull(),
    optionId: uuid("option_id").notNull(),
    soldOutOn: date("sold_out_on").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.locationId, t.optionId] }),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }).onDelete(
      "cascade",
    ),
    foreignKey({
      columns: [t.tenantId, t.optionId],
      foreignColumns: [modifierOptions.tenantId, modifierOptions.id],
    }).onDelete("cascade"),
  ],
);

/** What undoing an import puts back: rows it created, and the previous values of rows it changed. */
export type MenuImportChanges = {
  createdCategoryIds: string[];
  createdProductIds: string[];
  createdVariantIds: string[];
  updatedProducts: { id: string; before: Record<string, unknown> }[];
  updatedVariants: { id: string; before: Record<string, unknown> }[];
};

/** One applied menu import (CSV template, Loyverse or Square export), undoable as a whole. */
export const menuImportBatches = pgTable(
  "menu_import_batches",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    format: text("format").notNull(),
    fileName: text("file_name").notNull(),
    fileSha256: text("file_sha256").notNull(),
    summary: jsonb("summary").$type<Record<string, number>>().notNull(),
    changes: jsonb("changes").$type<MenuImportChanges>().notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    undoneAt: at("undone_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
