import { boolean, date, foreignKey, integer, pgTable, primaryKey, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, idColumn, money, tenantIdColumn } from "./columns";
import { tenants } from "./platform";
import { locations } from "./tenancy";

export const menuCategories = pgTable(
  "menu_categories",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    sortOrder: integer("sort_order").notNull().default(0),
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
    price: money("price").notNull(),
    imagePath: text("image_path"),
    /** Minutes of barista work; pick-up slots fill by these, not by order count. */
    prepMinutes: integer("prep_minutes").notNull().default(3),
    /** Portions available per location per day (null = unlimited). */
    dailyLimit: integer("daily_limit"),
    sortOrder: integer("sort_order").notNull().default(0),
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
    minSelect: integer("min_select").notNull().default(0),
    maxSelect: integer("max_select").notNull().default(1),
    sortOrder: integer("sort_order").notNull().default(0),
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
    priceDelta: money("price_delta").notNull().default(0),
    prepMinutesDelta: integer("prep_minutes_delta").notNull().default(0),
    isDefault: boolean("is_default").notNull().default(false),
    sortOrder: integer("sort_order").notNull().default(0),
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
