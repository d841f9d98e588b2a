import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type Tx, withTenant } from "@/db/client";
import { guests, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { createPosTenant, posClient } from "../pos/testing";
import { compactCardCode, findGuestsAtCounter, lookupGuestAtCounter } from "./lookup";
import { setGuestOnlineAccess } from "./online-access";

const db = await testDatabase();
let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let guest: { id: string; cardCode: string };
const inCafe = <T>(work: (tx: Tx) => Promise<T>) => withTenant(cafe.tenantId, work, db.app);

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "lookup-cafe");
  const pos = posClient(db.app, cafe.key);
  const reply = await pos<{ guest: { id: string } }>("POST", "/guests", {
    phone: "+79161234567",
    name: "Алиса Воронцова",
    email: "alice.vorontsova@example.com",
    consent: true,
  });
  expect(reply.status).toBe(201);
  const [row] = await inCafe((tx) =>
    tx.select({ id: guests.id, cardCode: guests.cardCode }).from(guests).where(eq(guests.id, reply.body.guest.id)),
  );
  if (!row) throw new Error("no guest");
  guest = row;
  // Another guest whose name shares a part with hers, so a name search has two to choose from.
  expect((await pos("POST", "/guests", { phone: "+79169876543", name: "Борис Воронцов", consent: true })).status).toBe(
    201,
  );
});

/** The card code as the card and the cabinet print it: groups of three ("540 987 000"). */
const printed = (code: string) => code.replace(/(\d{3})(?=\d)/g, "$1 ");

describe("the counter look-up", () => {
  it("finds a guest by the card number as printed, with spaces or dashes, and as typed without them", async () => {
    for (const typed of [printed(guest.cardCode), guest.cardCode, printed(guest.cardCode).replaceAll(" ", "-")]) {
      const found = await inCafe((tx) => findGuestsAtCounter(tx, typed, { byContact: false }));
      expect(
        found.map((one) => one.id),
        typed,
      ).toEqual([guest.id]);
      expect(found[0]).toMatchObject({ name: "Алиса Воронцова", foundBy: "identifier" });
    }
  });

  it("finds a guest by the phone in any common form", async () => {
    for (const typed of ["+7 (916) 123-45-67", "8 916 123 45 67", "9161234567", "+79161234567", "8(916)1234567"]) {
      const found = await inCafe((tx) => lookupGuestAtCounter(tx, typed));
      expect(found?.id, typed).toBe(guest.id);
    }
  });

  it("answers only name, tier, balance and online access — no phone, email or card", async () => {
    const found = await inCafe((tx) => lookupGuestAtCounter(tx, printed(guest.cardCode)));
    expect(Object.keys(found ?? {}).sort()).toEqual(["balance", "foundBy", "id", "name", "onlineBlocked", "tier"]);
  });

  it("finds by name (any part) or email (its beginning) for owners and managers only", async () => {
    const byName = await inCafe((tx) => findGuestsAtCounter(tx, "воронцов", { byContact: true }));
    expect(byName.map((one) => one.name).sort()).toEqual(["Алиса Воронцова", "Борис Воронцов"]);
    expect(byName.every((one) => one.foundBy === "contact")).toBe(true);
    const byEmail = await inCafe((tx) => findGuestsAtCounter(tx, "Alice.Vorontsova@", { byContact: true }));
    expect(byEmail.map((one) => one.id)).toEqual([guest.id]);
    // A barista's look-up takes only what is in front of them: a card, a phone.
    expect(await inCafe((tx) => findGuestsAtCounter(tx, "воронцов", { byContact: false }))).toEqual([]);
    expect(await inCafe((tx) => findGuestsAtCounter(tx, "alice.vorontsova@", { byContact: false }))).toEqual([]);
  });

  it("treats LIKE wildcards in a name as text, and finds nobody for an unknown card", async () => {
    expect(await inCafe((tx) => findGuestsAtCounter(tx, "%", { byContact: true }))).toEqual([]);
    expect(await inCafe((tx) => findGuestsAtCounter(tx, "_о%", { byContact: true }))).toEqual([]);
    expect(await inCafe((tx) => findGuestsAtCounter(tx, "100 000 001", { byContact: true }))).toEqual([]);
  });

  it("closes online access for the guest named by the printed card number", async () => {
    const [owner] = await db.admin.insert(users).values({ email: "owner@lookup.test" }).returning();
    await inCafe((tx) =>
      setGuestOnlineAccess(tx, {
        tenantId: cafe.tenantId,
        identifier: printed(guest.cardCode),
        blocked: true,
        actor: { userId: owner?.id ?? "", ip: null },
      }),
    );
    expect(await inCafe((tx) => lookupGuestAtCounter(tx, guest.cardCode))).toMatchObject({ onlineBlocked: true });
  });
});

describe("compactCardCode", () => {
  it("drops the spaces and dashes a card is printed with, and nothing else", () => {
    expect(compactCardCode(" 540 987 000 ")).toBe("540987000");
    expect(compactCardCode("540-987-000")).toBe("540987000");
    expect(compactCardCode("Алиса")).toBeNull();
    expect(compactCardCode("+7 916")).toBeNull();
  });
});
