import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type Tx, withTenant } from "@/db/client";
import { productAvailability } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { AppError } from "../errors";
import { enrolGuest } from "../loyalty/guests";
import { loadProgram, type Program } from "../loyalty/program";
import { createPosTenant } from "../pos/testing";
import { placeOrder } from "./place";
import { reorderBasket } from "./reorder";
import { insertTestMenu } from "./testing";

const db = await testDatabase();

let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let productId: (sku: string) => string;
/** 10:00 in Moscow on Tuesday 5 March 2030: far from the real clock. */
const now = new Date("2030-03-05T07:00:00Z");

const inCafe = <T>(work: (tx: Tx, program: Program) => Promise<T>) =>
  withTenant(cafe.tenantId, async (tx) => work(tx, await loadProgram(tx)), db.app);

async function guestWithOrder(phone: string) {
  const guest = await inCafe((tx, program) =>
    enrolGuest(tx, program, { tenantId: cafe.tenantId, phone, channel: "online", actor: { kind: "guest" } }),
  );
  const { order } = await inCafe((tx, program) =>
    placeOrder(tx, program, {
      tenantId: cafe.tenantId,
      guestId: guest.id,
      locationId: cafe.locationId,
      items: [
        {
          productSku: "latte",
          quantity: 2,
          modifiers: [
            { groupSlug: "size", optionSlug: "l" },
            { groupSlug: "milk", optionSlug: "oat" },
          ],
        },
        { productSku: "croissant", quantity: 1, modifiers: [] },
      ],
      pickup: "asap",
      pointsToUse: 0,
      idempotencyKey: randomUUID(),
      now,
    }),
  );
  return { guestId: guest.id, orderId: order.id };
}

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "reorder-cafe");
  productId = await withTenant(
    cafe.tenantId,
    (tx) =>
      insertTestMenu(tx, cafe.tenantId, [
        { sku: "latte", name: "Латте", price: 25_000, prepMinutes: 3 },
        { sku: "croissant", name: "Круассан", price: 15_000, prepMinutes: 1 },
      ]),
    db.app,
  );
});

describe("order again", () => {
  it("puts the order's lines back as they were chosen when all are still sold", async () => {
    const { guestId, orderId } = await guestWithOrder("+79265550101");
    const again = await inCafe((tx) => reorderBasket(tx, { guestId, orderId, now }));
    expect(again.missing).toEqual([]);
    expect(again.items).toEqual([
      {
        productSku: "latte",
        quantity: 2,
        modifiers: [
          { groupSlug: "size", optionSlug: "l" },
          { groupSlug: "milk", optionSlug: "oat" },
        ],
      },
      { productSku: "croissant", quantity: 1, modifiers: [] },
    ]);
  });

  it("answers only the guest's own order", async () => {
    const { orderId } = await guestWithOrder("+79265550103");
    const stranger = await guestWithOrder("+79265550104");
    await expect(inCafe((tx) => reorderBasket(tx, { guestId: stranger.guestId, orderId, now }))).rejects.toThrow(
      AppError,
    );
  });

  it("leaves out what the chosen location does not sell today and names it", async () => {
    const { guestId, orderId } = await guestWithOrder("+79265550102");
    await withTenant(
      cafe.tenantId,
      (tx) =>
        tx.insert(productAvailability).values([
          {
            tenantId: cafe.tenantId,
            locationId: cafe.locationId,
            productId: productId("croissant"),
            soldOutOn: "2030-03-05",
          },
          {
            tenantId: cafe.tenantId,
            locationId: cafe.secondLocationId,
            productId: productId("latte"),
            available: false,
          },
        ]),
      db.app,
    );
    // At the order's own location the croissant is sold out today.
    const here = await inCafe((tx) => reorderBasket(tx, { guestId, orderId, now }));
    expect(here.items.map((item) => item.productSku)).toEqual(["latte"]);
    expect(here.missing).toEqual(["Круассан"]);
    // At the guest's chosen second location the latte is not offered at all.
    const there = await inCafe((tx) => reorderBasket(tx, { guestId, orderId, locationId: cafe.secondLocationId, now }));
    expect(there.items.map((item) => item.productSku)).toEqual(["croissant"]);
    expect(there.missing).toEqual(["Латте"]);
  });
});
