import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { locations, menuCategories, modifierGroups, modifierOptions, productAvailability, products } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { type LocalDate, localDateOf } from "../orders/slots";
import { optionsSoldOutToday } from "./editor";

export type StopListProduct = {
  id: string;
  sku: string;
  name: string;
  price: number;
  /** The location offers the product at all (owner and manager decide). */
  available: boolean;
  /** On the location's stop-list for its today (the barista's toggle). */
  soldOutToday: boolean;
};
export type StopListCategory = { id: string; name: string; products: StopListProduct[] };
export type StopListLocation = {
  id: string;
  name: string;
  timezone: string;
  /** The location's own calendar date, the day "sold out today" is about. */
  today: LocalDate;
  categories: StopListCategory[];
  /** Modifier options on the location's stop-list for its today (oat milk ran out). */
  soldOutOptionIds: string[];
};

/** Modifier groups with their live options, for the options' stop-list. */
export type StopListOptionGroup = { id: string; name: string; options: { id: string; name: string }[] };

/** Who toggles: a member limited to some locations (non-empty `locationIds`) acts only there. */
export type StopListActor = { userId: string; locationIds: string[]; ip: string | null };

type Target = { tenantId: string; locationId: string; productId: string; actor: StopListActor; now?: Date };

/**
 * The stop-list of the tenant bound to `tx`: every active product by category, per location,
 * with whether the location offers it and whether it is sold out on the location's today.
 * `locationIds` limits it to those locations (a member limited to some); empty means all.
 */
export async function stopList(
  tx: Tx,
  options: { locationIds: string[]; now?: Date },
): Promise<{ locations: StopListLocation[]; optionGroups: StopListOptionGroup[] }> {
  const now = options.now ?? new Date();
  const limited = options.locationIds;
  const [places, categoryRows, productRows] = await Promise.all([
    tx
      .select({ id: locations.id, name: locations.name, timezone: locations.timezone })
      .from(locations)
      .where(limited.length > 0 ? inArray(locations.id, limited) : undefined)
      .orderBy(asc(locations.name)),
    tx
      .select({ id: menuCategories.id, name: menuCategories.name })
      .from(menuCategories)
      .where(isNull(menuCategories.archivedAt))
      .orderBy(asc(menuCategories.sortOrder), asc(menuCategories.name)),
    tx
      .select({
        id: products.id,
        categoryId: products.categoryId,
        sku: products.sku,
        name: products.name,
        price: products.price,
      })
      .from(products)
      .where(eq(products.active, true))
      .orderBy(asc(products.sortOrder), asc(products.name)),
  ]);
  if (places.length === 0) return { locations: [], optionGroups: [] };
  const rows = await tx
    .select()
    .from(productAvailability)
    .where(
      inArray(
        productAvailability.locationId,
        places.map((place) => place.id),
      ),
    );
  const availability = new Map(rows.map((row) => [`${row.locationId}:${row.productId}`, row]));
  const todays = places.map((place) => ({ id: place.id, today: localDateOf(now, place.timezone) }));
  const [optionsOut, groupRows, optionRows] = await Promise.all([
    optionsSoldOutToday(tx, todays),
    tx
      .select({ id: modifierGroups.id, name: modifierGroups.name })
      .from(modifierGroups)
      .where(isNull(modifierGroups.archivedAt))
      .orderBy(asc(modifierGroups.sortOrder)),
    tx
      .select({ id: modifierOptions.id, groupId: modifierOptions.groupId, name: modifierOptions.name })
      .from(modifierOptions)
      .where(isNull(modifierOptions.archivedAt))
      .orderBy(asc(modifierOptions.sortOrder)),
  ]);
  const optionGroups = groupRows
    .map((group) => ({
      ...group,
      options: optionRows.filter((option) => option.groupId === group.id).map(({ id, name }) => ({ id, name })),
    }))
    .filter((group) => group.options.length > 0);
  const view = places.map((place) => {
    const today = localDateOf(now, place.timezone);
    const categories = categoryRows
      .map((category) => ({
        id: category.id,
        name: category.name,
        products: productRows
          .filter((product) => product.categoryId === category.id)
          .map(({ id, sku, name, price }) => {
            const row = availability.get(`${place.id}:${id}`);
            return { id, sku, name, price, available: row?.available ?? true, soldOutToday: row?.soldOutOn === today };
          }),
      }))
      .filter((category) => category.products.length > 0);
    const soldOutOptionIds = optionRows
      .filter((option) => optionsOut.has(`${place.id}:${option.id}`))
      .map((option) => option.id);
    return { ...place, today, categories, soldOutOptionIds };
  });
  return { locations: view, optionGroups };
}

/**
 * Puts a product on a location's stop-list for the location's today, or takes it off (clearing
 * the date). Audited in the same transaction when it changes anything. Another café's product
 * or location, an inactive product, or a location the actor is not assigned to → not_found.
 */
export async function setSoldOut(
  tx: Tx,
  input: Target & { soldOut: boolean },
): Promise<{ soldOutOn: LocalDate | null; changed: boolean }> {
  const { location, previous } = await loadTarget(tx, input);
  const soldOutOn = input.soldOut ? localDateOf(input.now ?? new Date(), location.timezone) : null;
  if ((previous?.soldOutOn ?? null) === soldOutOn) return { soldOutOn, changed: false };
  await upsert(tx, input, { soldOutOn });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    action: input.soldOut ? "menu.sold_out" : "menu.back_in_stock",
    targetType: "product",
    targetId: input.productId,
    ip: input.actor.ip,
    meta: { locationId: input.locationId, date: soldOutOn ?? previous?.soldOutOn ?? null },
  });
  return { soldOutOn, changed: true };
}

/**
 * Whether a location offers a product at all (a location without an oven skips the pastries).
 * Audited in the same transaction when it changes anything; not_found as for `setSoldOut`.
 */
export async function setAvailable(
  tx: Tx,
  input: Target & { available: boolean },
): Promise<{ available: boolean; changed: boolean }> {
  const { previous } = await loadTarget(tx, input);
  if ((previous?.available ?? true) === input.available) return { available: input.available, changed: false };
  await upsert(tx, input, { available: input.available });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    action: input.available ? "menu.offered" : "menu.not_offered",
    targetType: "product",
    targetId: input.productId,
    ip: input.actor.ip,
    meta: { locationId: input.locationId },
  });
  return { available: input.available, changed: true };
}

/**
 * The location and product of a toggle, and the availability row locked for the change. RLS
 * already hides other cafés' rows; the actor's locations are checked here, and all refusals look
 * alike so that a limited member learns nothing about the other locations.
 */
async function loadTarget(tx: Tx, input: Target) {
  const notFound = () => new AppError("not_found", "No such product at this location");
  const limited = input.actor.locationIds;
  if (limited.length > 0 && !limited.includes(input.locationId)) throw notFound();
  const [[location], [product]] = await Promise.all([
    tx
      .select({ id: locations.id, timezone: locations.timezone })
      .from(locations)
      .where(eq(locations.id, input.locationId)),
    tx
      .select({ id: products.id })
      .from(products)
      .where(and(eq(products.id, input.productId), eq(products.active, true))),
  ]);
  if (!location || !product) throw notFound();
  // Two members toggling the same stored row queue here, so each audit entry matches a real change.
  const [previous] = await tx
    .select()
    .from(productAvailability)
    .where(
      and(eq(productAvailability.locationId, input.locationId), eq(productAvailability.productId, input.productId)),
    )
    .for("update");
  return { location, previous };
}

async function upsert(
  tx: Tx,
  input: Target,
  change: { soldOutOn: LocalDate | null } | { available: boolean },
): Promise<void> {
  await tx
    .insert(productAvailability)
    .values({ tenantId: input.tenantId, locationId: input.locationId, productId: input.productId, ...change })
    .onConflictDoUpdate({
      target: [productAvailability.tenantId, productAvailability.locationId, productAvailability.productId],
      set: "soldOutOn" in change ? { soldOutOn: sql`excluded.sold_out_on` } : { available: sql`excluded.available` },
    });
}
