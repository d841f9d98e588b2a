import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import {
  auditLog,
  membershipLocations,
  memberships,
  menuCategories,
  productAvailability,
  products,
  users,
} from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import type { Role } from "../auth/permissions";
import { createStaffSession } from "../auth/sessions";
import { applyEnv } from "../env";
import { AppError } from "../errors";
import { enrolGuest } from "../loyalty/guests";
import { loadProgram } from "../loyalty/program";
import { placeOrder } from "../orders/place";
import { localDateOf } from "../orders/slots";
import { createTenant } from "../tenants/create";
import { createCaller } from "../trpc/root";
import { getMenu } from "./menu";
import { setSoldOut, stopList } from "./stoplist";

const db = await testDatabase();
// staffProcedure resolves the tenant slug through the app's global pool (`appDb()`).
applyEnv({ APP_DATABASE_URL: db.appUrl });
afterAll(async () => {
  await (globalThis as { zernoDb?: { client: { end: () => Promise<void> } } }).zernoDb?.client.end();
});

/** 09:00 in Moscow on Monday 4 March 2030: far from the real clock, so slots are deterministic. */
const morning = new Date(Date.UTC(2030, 2, 4, 6, 0));

type Cafe = { tenantId: string; slug: string; moscow: string; vladivostok: string; latte: string; tart: string };
let cafe: Cafe;
let other: Cafe;
let guestId = "";
const callers = new Map<string, ReturnType<typeof createCaller>>();
const userIds = new Map<string, string>();

function caller(name: string) {
  const found = callers.get(name);
  if (!found) throw new Error(`no caller ${name}`);
  return found;
}

/** A café with a Moscow and a Vladivostok location (seven hours apart) and two products. */
async function makeCafe(slug: string): Promise<Cafe> {
  const created = await db.app.transaction((tx) =>
    createTenant(tx, {
      slug,
      name: `Café ${slug}`,
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      locations: [
        { slug: "moscow", name: "Москва", address: "Тверская, 1" },
        { slug: "vladivostok", name: "Владивосток", address: "Светланская, 1", timezone: "Asia/Vladivostok" },
      ],
    }),
  );
  const tenantId = created.tenant.id;
  const [moscow, vladivostok] = created.locations;
  if (!moscow || !vladivostok) throw new Error("no locations");
  return withTenant(
    tenantId,
    async (tx) => {
      const [category] = await tx.insert(menuCategories).values({ tenantId, slug: "coffee", name: "Кофе" }).returning();
      if (!category) throw new Error("no category");
      const rows = await tx
        .insert(products)
        .values([
          { tenantId, categoryId: category.id, sku: "latte", name: "Латте", price: 25_000, sortOrder: 1 },
          { tenantId, categoryId: category.id, sku: "tart", name: "Тарт", price: 30_000, sortOrder: 2 },
        ])
        .returning();
      const id = (sku: string) => rows.find((row) => row.sku === sku)?.id ?? "";
      return { tenantId, slug, moscow: moscow.id, vladivostok: vladivostok.id, latte: id("latte"), tart: id("tart") };
    },
    db.app,
  );
}

async function member(name: string, of: Cafe, role: Role, locationIds: string[]) {
  const [user] = await db.app
    .insert(users)
    .values({ email: `${name}@stoplist.test`, name })
    .returning({ id: users.id });
  if (!user) throw new Error("no user");
  await withTenant(
    of.tenantId,
    async (tx) => {
      const [membership] = await tx
        .insert(memberships)
        .values({ tenantId: of.tenantId, userId: user.id, role })
        .returning();
      if (!membership) throw new Error("no membership");
      if (locationIds.length > 0) {
        await tx
          .insert(membershipLocations)
          .values(
            locationIds.map((locationId) => ({ tenantId: of.tenantId, membershipId: membership.id, locationId })),
          );
      }
    },
    db.app,
  );
  const sid = await createStaffSession(db.app, { userId: user.id, mfa: "verified" });
  userIds.set(name, user.id);
  callers.set(
    name,
    createCaller({
      db: db.app,
      requestId: "stoplist-test",
      ip: "203.0.113.9",
      headers: new Headers(),
      getStaffSession: async () => ({ sid, userId: user.id, mfa: "verified" }),
      tenantSlug: of.slug,
      response: { headers: {} },
    }),
  );
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    if (error instanceof AppError) return error.reason ?? error.code;
    throw error;
  }
  throw new Error("expected a refusal");
}

async function stored(of: Cafe, locationId: string, productId: string) {
  const [row] = await db.admin
    .select()
    .from(productAvailability)
    .where(
      and(
        eq(productAvailability.tenantId, of.tenantId),
        eq(productAvailability.locationId, locationId),
        eq(productAvailability.productId, productId),
      ),
    );
  return row ?? null;
}

const auditOf = (of: Cafe, productId: string) =>
  db.admin
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, of.tenantId), eq(auditLog.targetId, productId)))
    .orderBy(auditLog.createdAt);

beforeAll(async () => {
  cafe = await makeCafe("stoplist-cafe");
  other = await makeCafe("stoplist-other");
  guestId = await withTenant(
    cafe.tenantId,
    async (tx) => {
      const guest = await enrolGuest(tx, await loadProgram(tx), {
        tenantId: cafe.tenantId,
        phone: "+79261112244",
        channel: "online",
        actor: { kind: "guest" },
      });
      return guest.id;
    },
    db.app,
  );
  await member("owner", cafe, "owner", []);
  await member("manager", cafe, "manager", []);
  await member("baristaMoscow", cafe, "barista", [cafe.moscow]);
  await member("otherOwner", other, "owner", []);
});

describe("the stop-list", () => {
  it("a barista puts a product on the stop-list for today and takes it off again, both audited", async () => {
    const barista = caller("baristaMoscow");
    const today = localDateOf(new Date(), "Europe/Moscow");
    const put = await barista.menu.setSoldOut({ locationId: cafe.moscow, productId: cafe.latte, soldOut: true });
    expect(put).toEqual({ soldOutOn: today, changed: true });
    expect(await stored(cafe, cafe.moscow, cafe.latte)).toMatchObject({ soldOutOn: today, available: true });

    const view = await barista.menu.stopList();
    expect(view.canManage).toBe(false);
    expect(view.locations.map((place) => place.id)).toEqual([cafe.moscow]);
    const [coffee] = view.locations[0]?.categories ?? [];
    expect(coffee?.products.map((product) => [product.sku, product.soldOutToday, product.available])).toEqual([
      ["latte", true, true],
      ["tart", false, true],
    ]);

    // A second tap with the same value changes nothing and writes no second entry.
    expect(await barista.menu.setSoldOut({ locationId: cafe.moscow, productId: cafe.latte, soldOut: true })).toEqual({
      soldOutOn: today,
      changed: false,
    });
    const off = await barista.menu.setSoldOut({ locationId: cafe.moscow, productId: cafe.latte, soldOut: false });
    expect(off).toEqual({ soldOutOn: null, changed: true });
    expect((await stored(cafe, cafe.moscow, cafe.latte))?.soldOutOn).toBeNull();
    const entries = await auditOf(cafe, cafe.latte);
    expect(entries.map((entry) => [entry.action, entry.actorUserId, entry.ip, entry.meta])).toEqual([
      ["menu.sold_out", userIds.get("baristaMoscow"), "203.0.113.9", { locationId: cafe.moscow, date: today }],
      ["menu.back_in_stock", userIds.get("baristaMoscow"), "203.0.113.9", { locationId: cafe.moscow, date: today }],
    ]);
  });

  it("a barista limited to one location cannot touch another's, nor what a location offers", async () => {
    const barista = caller("baristaMoscow");
    for (const soldOut of [true, false]) {
      expect(
        await refusal(barista.menu.setSoldOut({ locationId: cafe.vladivostok, productId: cafe.tart, soldOut })),
      ).toBe("NOT_FOUND");
    }
    expect(
      await refusal(barista.menu.setAvailable({ locationId: cafe.moscow, productId: cafe.tart, available: false })),
    ).toBe("FORBIDDEN");
    expect(await stored(cafe, cafe.vladivostok, cafe.tart)).toBeNull();
    expect(await stored(cafe, cafe.moscow, cafe.tart)).toBeNull();

    // The manager (not limited) sees both locations and may change what each offers.
    const manager = caller("manager");
    const view = await manager.menu.stopList();
    expect(view.canManage).toBe(true);
    expect(view.locations.map((place) => place.id).sort()).toEqual([cafe.moscow, cafe.vladivostok].sort());
    expect(
      await manager.menu.setAvailable({ locationId: cafe.vladivostok, productId: cafe.tart, available: false }),
    ).toEqual({ available: false, changed: true });
    const vladivostok = (await manager.menu.stopList()).locations.find((place) => place.id === cafe.vladivostok);
    expect(vladivostok?.categories[0]?.products.find((product) => product.sku === "tart")?.available).toBe(false);
    // The storefront at that location leaves it out; Moscow still offers it.
    const skus = (menu: Awaited<ReturnType<typeof getMenu>>) =>
      menu.flatMap((category) => category.products.map((product) => product.sku));
    await withTenant(
      cafe.tenantId,
      async (tx) => {
        expect(skus(await getMenu(tx, { locationId: cafe.vladivostok }))).toEqual(["latte"]);
        expect(skus(await getMenu(tx, { locationId: cafe.moscow }))).toEqual(["latte", "tart"]);
      },
      db.app,
    );
    expect((await auditOf(cafe, cafe.tart)).map((entry) => entry.action)).toEqual(["menu.not_offered"]);
    await manager.menu.setAvailable({ locationId: cafe.vladivostok, productId: cafe.tart, available: true });
    expect((await stored(cafe, cafe.vladivostok, cafe.tart))?.available).toBe(true);
  });

  it("'today' is the location's own date: late evening in Moscow is already tomorrow in Vladivostok", async () => {
    // 23:30 in Moscow on 4 March 2030 is 06:30 on 5 March in Vladivostok.
    const lateEvening = new Date(Date.UTC(2030, 2, 4, 20, 30));
    const actor = { userId: userIds.get("owner") ?? "", locationIds: [], ip: null };
    await withTenant(
      cafe.tenantId,
      async (tx) => {
        for (const locationId of [cafe.moscow, cafe.vladivostok]) {
          await setSoldOut(tx, {
            tenantId: cafe.tenantId,
            locationId,
            productId: cafe.tart,
            soldOut: true,
            actor,
            now: lateEvening,
          });
        }
        const { locations: places } = await stopList(tx, { locationIds: [], now: lateEvening });
        expect(places.map((place) => [place.name, place.today])).toEqual([
          ["Владивосток", "2030-03-05"],
          ["Москва", "2030-03-04"],
        ]);
        for (const place of places) {
          expect(place.categories[0]?.products.find((product) => product.sku === "tart")?.soldOutToday).toBe(true);
        }
        // The next morning in Moscow the mark has lapsed there by itself.
        const { locations: nextDay } = await stopList(tx, {
          locationIds: [cafe.moscow],
          now: new Date(Date.UTC(2030, 2, 5, 6)),
        });
        expect(nextDay[0]?.categories[0]?.products.find((product) => product.sku === "tart")?.soldOutToday).toBe(false);
      },
      db.app,
    );
    expect((await stored(cafe, cafe.moscow, cafe.tart))?.soldOutOn).toBe("2030-03-04");
    expect((await stored(cafe, cafe.vladivostok, cafe.tart))?.soldOutOn).toBe("2030-03-05");
  });

  it("another café's product or location is NOT_FOUND, and nothing of it changes", async () => {
    const owner = caller("owner");
    const inputs = [
      { locationId: other.moscow, productId: other.latte },
      { locationId: cafe.moscow, productId: other.latte },
      { locationId: other.moscow, productId: cafe.latte },
      { locationId: cafe.moscow, productId: "00000000-0000-4000-8000-000000000000" },
    ];
    for (const input of inputs) {
      expect(await refusal(owner.menu.setSoldOut({ ...input, soldOut: true }))).toBe("NOT_FOUND");
      expect(await refusal(owner.menu.setAvailable({ ...input, available: false }))).toBe("NOT_FOUND");
    }
    const theirs = await db.admin
      .select()
      .from(productAvailability)
      .where(eq(productAvailability.tenantId, other.tenantId));
    expect(theirs).toEqual([]);
    expect(await auditOf(other, other.latte)).toEqual([]);
    // Their owner's view holds only their own café.
    const view = await caller("otherOwner").menu.stopList();
    expect(view.locations.map((place) => place.id).sort()).toEqual([other.moscow, other.vladivostok].sort());
  });

  it("a product sold out today cannot be ordered there; back on sale, it can", async () => {
    const actor = { userId: userIds.get("owner") ?? "", locationIds: [], ip: null };
    const order = (key: string) =>
      withTenant(
        cafe.tenantId,
        async (tx) =>
          placeOrder(tx, await loadProgram(tx), {
            tenantId: cafe.tenantId,
            guestId,
            locationId: cafe.moscow,
            items: [{ productSku: "latte", quantity: 1 }],
            pickup: "asap",
            pointsToUse: 0,
            idempotencyKey: key,
            now: morning,
          }),
        db.app,
      );
    const toggle = (soldOut: boolean) =>
      withTenant(
        cafe.tenantId,
        (tx) =>
          setSoldOut(tx, {
            tenantId: cafe.tenantId,
            locationId: cafe.moscow,
            productId: cafe.latte,
            soldOut,
            actor,
            now: morning,
          }),
        db.app,
      );
    await toggle(true);
    expect(await refusal(order("stoplist-1"))).toBe("product_sold_out");
    await toggle(false);
    const { order: placed } = await order("stoplist-2");
    expect(placed.status).toBe("new");
  });
});
