// The demo menu: categories, products, modifiers and where each is sold.

import { randomUUID } from "node:crypto";
import type { Tx } from "../client";
import {
  menuCategories,
  modifierGroups,
  modifierOptions,
  productAvailability,
  productModifierGroups,
  products,
} from "../schema";
import { must } from "./helpers";
import type { CategorySpec, ModifierGroupSpec, ProductSpec, TenantSpec } from "./spec";
import type { LocationRef } from "./tenant";

/** A product as the simulation sees it: its spec, its row id, its category and modifier groups. */
export type MenuProduct = ProductSpec & {
  id: string;
  category: CategorySpec;
  groups: ModifierGroupSpec[];
};

export async function insertMenu(
  tx: Tx,
  tenantId: string,
  menu: TenantSpec["menu"],
  locations: LocationRef[],
): Promise<MenuProduct[]> {
  const groupIds = new Map(menu.modifierGroups.map((group) => [group.slug, randomUUID()]));
  await tx.insert(modifierGroups).values(
    menu.modifierGroups.map((group, sortOrder) => ({
      tenantId,
      id: must(groupIds.get(group.slug)),
      slug: group.slug,
      name: group.name,
      minSelect: group.minSelect,
      maxSelect: group.maxSelect,
      sortOrder,
    })),
  );
  await tx.insert(modifierOptions).values(
    menu.modifierGroups.flatMap((group) =>
      group.options.map((option, sortOrder) => ({
        tenantId,
        groupId: must(groupIds.get(group.slug)),
        slug: option.slug,
        name: option.name,
        priceDelta: option.priceDelta,
        prepMinutesDelta: option.prepMinutesDelta ?? 0,
        isDefault: option.isDefault ?? false,
        sortOrder,
      })),
    ),
  );

  const categoryIds = menu.categories.map(() => randomUUID());
  await tx.insert(menuCategories).values(
    menu.categories.map((category, index) => ({
      tenantId,
      id: must(categoryIds[index]),
      slug: category.slug,
      name: category.name,
      sortOrder: index,
    })),
  );
  const catalogue: MenuProduct[] = menu.categories.flatMap((category) =>
    category.products.map((product) => ({
      ...product,
      id: randomUUID(),
      category,
      groups: (product.modifiers ?? []).map((slug) => must(menu.modifierGroups.find((group) => group.slug === slug))),
    })),
  );
  await tx.insert(products).values(
    catalogue.map((product, sortOrder) => ({
      tenantId,
      id: product.id,
      categoryId: must(categoryIds[menu.categories.indexOf(product.category)]),
      sku: product.sku,
      name: product.name,
      description: product.description,
      price: product.price,
      prepMinutes: product.prepMinutes,
      dailyLimit: product.dailyLimit ?? null,
      sortOrder,
    })),
  );
  const attachments = catalogue.flatMap((product) =>
    product.groups.map((group, sortOrder) => ({
      tenantId,
      productId: product.id,
      groupId: must(groupIds.get(group.slug)),
      sortOrder,
    })),
  );
  if (attachments.length > 0) await tx.insert(productModifierGroups).values(attachments);
  await tx.insert(productAvailability).values(
    locations.flatMap((location) =>
      catalogue.map((product) => ({
        tenantId,
        locationId: location.id,
        productId: product.id,
        available: !product.unavailableAt?.includes(location.spec.slug),
      })),
    ),
  );
  return catalogue;
}
