import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { membershipLocations, memberships, menuCategories, orders, products, receipts, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import type { Role } from "../auth/permissions";
import { createStaffSession } from "../auth/sessions";
import { applyEnv } from "../env";
import { enrolGuest } from "../loyalty/guests";
import { loadProgram } from "../loyalty/program";
import { createTenant } from "../tenants/create";
import { createCaller } from "../trpc/root";
import { placeOrder } from "./place";
import { isVisibleTo, type Listen, orderEventStream, orderStreamResponse, parseOrderEvent } from "./stream";
import { ORDERS_CHANNEL, type OrderEvent } from "./transitions";

const db = await testDatabase();
const listener = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
// The stream's route resolves the tenant and listens through the app's global pool (`appDb()`):
// point that pool at this file's database.
applyEnv({ APP_DATABASE_URL: db.appUrl });
afterAll(async () => {
  await listener.end();
  await (globalThis as { zernoDb?: { client: { end: () => Promise<void> } } }).zernoDb?.client.end();
});

/** 09:00 in Moscow on Monday 4 March 2030: far from the real clock, so the slots are deterministic. */
const morning = new Date(Date.UTC(2030, 2, 4, 6, 0));
let tenantId = "";
let locationA = "";
let locationB = "";
let orderCount = 0;

const callers: Partial<Record<string, ReturnType<typeof createCaller>>> = {};
const sessions: Partial<Record<string, { sid: string; userId: string; mfa: "verified" }>> = {};

function caller(name: string) {
  const found = callers[name];
  if (!found) throw new Error(`no caller ${name}`);
  return found;
}

async function member(name: string, role: Role, locationIds: string[]) {
  const [user] = await db.app
    .insert(users)
    .values({ email: `${name}@board.test`, name })
    .returning({ id: users.id });
  if (!user) throw new Error("no user");
  await withTenant(
    tenantId,
    async (tx) => {
      const [membership] = await tx.insert(memberships).values({ tenantId, userId: user.id, role }).returning();
      if (!membership) throw new Error("no membership");
      if (locationIds.length > 0) {
        await tx
          .insert(membershipLocations)
          .values(locationIds.map((locationId) => ({ tenantId, membershipId: membership.id, locationId })));
      }
    },
    db.app,
  );
  const sid = await createStaffSession(db.app, { userId: user.id, mfa: "verified" });
  sessions[name] = { sid, userId: user.id, mfa: "verified" };
  callers[name] = createCaller({
    db: db.app,
    requestId: "board-test",
    ip: null,
    headers: new Headers(),
    getStaffSession: async () => ({ sid, userId: user.id, mfa: "verified" }),
    tenantSlug: "board-cafe",
    response: { headers: {} },
  });
}

/** A guest's latte order at a location, as the storefront places it. */
async function placeAt(locationId: string, guestId: string, comment?: string) {
  orderCount += 1;
  const { order } = await withTenant(
    tenantId,
    async (tx) =>
      placeOrder(tx, await loadProgram(tx), {
        tenantId,
        guestId,
        locationId,
        items: [{ productSku: "latte", quantity: 2 }],
        pickup: "asap",
        pointsToUse: 0,
        idempotencyKey: `board-${orderCount}`,
        now: morning,
        ...(comment ? { comment } : {}),
      }),
    db.app,
  );
  return order;
}

/** Reads what is still queued (a ping, an event) until the stream ends; true when it did. */
async function drained(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
  for (let chunks = 0; chunks < 100; chunks += 1) {
    if ((await reader.read()).done) return true;
  }
  return false;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  throw new Error("expected a refusal");
}

let guestId = "";

beforeAll(async () => {
  const created = await db.app.transaction((tx) =>
    createTenant(tx, {
      slug: "board-cafe",
      name: "Board café",
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      locations: [
        { slug: "main", name: "Main", address: "Main st. 1" },
        { slug: "second", name: "Second", address: "Second st. 2" },
      ],
    }),
  );
  tenantId = created.tenant.id;
  const [main, second] = created.locations;
  if (!main || !second) throw new Error("no locations");
  locationA = main.id;
  locationB = second.id;
  guestId = await withTenant(
    tenantId,
    async (tx) => {
      const [category] = await tx.insert(menuCategories).values({ tenantId, slug: "coffee", name: "Кофе" }).returning();
      if (!category) throw new Error("no category");
      await tx
        .insert(products)
        .values({ tenantId, categoryId: category.id, sku: "latte", name: "Латте", price: 25_000, prepMinutes: 3 });
      const guest = await enrolGuest(tx, await loadProgram(tx), {
        tenantId,
        phone: "+79261112233",
        channel: "online",
        actor: { kind: "guest" },
      });
      return guest.id;
    },
    db.app,
  );
  await member("owner", "owner", []);
  await member("baristaA", "barista", [locationA]);
});

describe("orders router: the board and its moves", () => {
  it("a barista limited to location A neither sees nor moves an order of location B", async () => {
    const atA = await placeAt(locationA, guestId, "Без сахара");
    const atB = await placeAt(locationB, guestId);

    const mine = await caller("baristaA").orders.board();
    expect(mine.locations.map((place) => place.id)).toEqual([locationA]);
    const seen = Object.values(mine.columns)
      .flat()
      .map((order) => order.id);
    expect(seen).toContain(atA.id);
    expect(seen).not.toContain(atB.id);
    expect(mine.columns.new.find((order) => order.id === atA.id)).toMatchObject({
      comment: "Без сахара",
      toPay: 50_000,
      items: [expect.objectContaining({ name: "Латте", quantity: 2 })],
    });

    for (const to of ["accepted", "cancelled"] as const) {
      expect(await refusal(caller("baristaA").orders.advance({ orderId: atB.id, to, reason: "x" }))).toBe("NOT_FOUND");
    }
    const [untouched] = await db.admin.select().from(orders).where(eq(orders.id, atB.id));
    expect(untouched?.status).toBe("new");

    // The owner is not limited: both locations, both orders.
    const all = await caller("owner").orders.board();
    expect(all.locations.map((place) => place.id).sort()).toEqual([locationA, locationB].sort());
    expect(all.columns.new.map((order) => order.id)).toEqual(expect.arrayContaining([atA.id, atB.id]));

    // A cancel by the café needs a reason; with one, the order leaves the open columns.
    expect(await refusal(caller("owner").orders.advance({ orderId: atB.id, to: "cancelled" }))).toBe("BAD_REQUEST");
    const { order: cancelled } = await caller("owner").orders.advance({
      orderId: atB.id,
      to: "cancelled",
      reason: "Закончилось молоко",
    });
    expect(cancelled).toMatchObject({ status: "cancelled", cancelReason: "Закончилось молоко" });
    // An unknown order is NOT_FOUND too.
    expect(
      await refusal(
        caller("baristaA").orders.advance({ orderId: "00000000-0000-4000-8000-000000000000", to: "accepted" }),
      ),
    ).toBe("NOT_FOUND");
  });

  it("picked up through the router writes the online receipt; a skipped step is a conflict", async () => {
    const order = await placeAt(locationA, guestId);
    expect(await refusal(caller("baristaA").orders.advance({ orderId: order.id, to: "picked_up" }))).toBe("CONFLICT");
    for (const to of ["accepted", "ready"] as const) {
      const { order: moved } = await caller("baristaA").orders.advance({ orderId: order.id, to });
      expect(moved.status).toBe(to);
    }
    const board = await caller("baristaA").orders.board();
    expect(board.columns.ready.map((row) => row.id)).toContain(order.id);

    const { order: done } = await caller("baristaA").orders.advance({ orderId: order.id, to: "picked_up" });
    expect(done.status).toBe("picked_up");
    const [receipt] = await db.admin.select().from(receipts).where(eq(receipts.orderId, order.id));
    expect(receipt).toMatchObject({ channel: "online", guestId, locationId: locationA, total: 50_000 });
    expect(receipt?.pointsEarned).toBeGreaterThan(0);
  });

  it("a LISTEN client hears the NOTIFY of a move, with the tenant's id", async () => {
    const order = await placeAt(locationA, guestId);
    const events: OrderEvent[] = [];
    const subscription = await listener.listen(ORDERS_CHANNEL, (payload) => events.push(JSON.parse(payload)));
    try {
      await caller("baristaA").orders.advance({ orderId: order.id, to: "accepted" });
      await expect
        .poll(() => events.filter((event) => event.orderId === order.id))
        .toEqual([{ tenantId, locationId: locationA, orderId: order.id, status: "accepted" }]);
    } finally {
      await subscription.unlisten();
    }
  });

  it("the SSE stream forwards this board's notifications only, pings, and unlistens on abort", async () => {
    const abort = new AbortController();
    let unlistened = false;
    const listen: Listen = async (channel, onNotify) => {
      const subscription = await listener.listen(channel, onNotify);
      return {
        unlisten: async () => {
          unlistened = true;
          await subscription.unlisten();
        },
      };
    };
    const stream = orderEventStream({
      scope: { tenantId, locationIds: [locationA] },
      signal: abort.signal,
      listen,
      pingMs: 50,
    });
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(chunk.value);
      }
    };
    await readUntil(": connected");
    const atB = await placeAt(locationB, guestId);
    const atA = await placeAt(locationA, guestId);
    // Another café's and another location's notifications are not forwarded.
    await listener.notify(
      ORDERS_CHANNEL,
      JSON.stringify({
        tenantId: "00000000-0000-4000-8000-000000000001",
        locationId: locationA,
        orderId: "x",
        status: "new",
      }),
    );
    await readUntil(atA.id);
    await readUntil(": ping");
    expect(text).toContain(
      `event: order\ndata: ${JSON.stringify({ tenantId, locationId: locationA, orderId: atA.id, status: "new" })}\n\n`,
    );
    expect(text).not.toContain(atB.id);
    expect(text).not.toContain("00000000-0000-4000-8000-000000000001");

    abort.abort();
    await expect.poll(() => unlistened).toBe(true);
    expect(await drained(reader)).toBe(true);
  });
});

describe("the stream's response", () => {
  it("answers 401 signed out, 404 outside the café, and a live event stream to a member", async () => {
    const request = (signal?: AbortSignal) => new Request("http://localhost/api/orders/stream/board-cafe", { signal });
    expect((await orderStreamResponse(request(), "board-cafe", null)).status).toBe(401);
    const session = sessions.baristaA;
    if (!session) throw new Error("no session");
    expect((await orderStreamResponse(request(), "no-such-cafe", session)).status).toBe(404);
    const stranger = { ...session, userId: "00000000-0000-4000-8000-000000000002" };
    expect((await orderStreamResponse(request(), "board-cafe", stranger)).status).toBe(404);

    const abort = new AbortController();
    const response = await orderStreamResponse(request(abort.signal), "board-cafe", session);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes(": connected")) text += decoder.decode((await reader.read()).value);
    // ": connected" comes once LISTEN (through the app's pool) is in place.
    const order = await placeAt(locationA, guestId);
    while (!text.includes(order.id)) text += decoder.decode((await reader.read()).value);
    expect(text).toContain("event: order\n");
    abort.abort();
    expect(await drained(reader)).toBe(true);
  });
});

describe("the stream's filter (pure)", () => {
  const event: OrderEvent = { tenantId: "t1", locationId: "l1", orderId: "o1", status: "new" };

  it("passes the tenant's notifications of the member's locations, or of every location when not limited", () => {
    expect(isVisibleTo(event, { tenantId: "t1", locationIds: [] })).toBe(true);
    expect(isVisibleTo(event, { tenantId: "t1", locationIds: ["l1", "l2"] })).toBe(true);
    expect(isVisibleTo(event, { tenantId: "t1", locationIds: ["l2"] })).toBe(false);
    expect(isVisibleTo(event, { tenantId: "t2", locationIds: [] })).toBe(false);
    expect(isVisibleTo(event, { tenantId: "t2", locationIds: ["l1"] })).toBe(false);
  });

  it("parses a well-formed payload and nothing else", () => {
    expect(parseOrderEvent(JSON.stringify({ ...event, extra: 1 }))).toEqual(event);
    expect(parseOrderEvent("not json")).toBeNull();
    expect(parseOrderEvent("null")).toBeNull();
    expect(parseOrderEvent(JSON.stringify({ ...event, status: "eaten" }))).toBeNull();
    expect(parseOrderEvent(JSON.stringify({ ...event, tenantId: 5 }))).toBeNull();
  });
});
