import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { guests, ledgerEntries, loyaltyPrograms, redemptions } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { createPosTenant, posClient } from "../pos/testing";
import { expireInactivePoints } from "./expiry";
import { releaseExpiredHolds } from "./sweeper";

const db = await testDatabase();
let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let pos: ReturnType<typeof posClient>;
let phone = 0;

async function enrol() {
  phone += 1;
  const reply = await pos<{ guest: { id: string } }>("POST", "/guests", {
    phone: `+7925${String(1_000_000 + phone).slice(-7)}`,
    consent: true,
  });
  return reply.body.guest.id;
}

async function balanceOf(guestId: string) {
  const [guest] = await db.admin.select({ balance: guests.balance }).from(guests).where(eq(guests.id, guestId));
  return guest?.balance;
}

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "jobs-cafe");
  pos = posClient(db.app, cafe.key);
});

describe("the hold sweeper", () => {
  it("releases holds whose time ran out, in every tenant, and leaves live holds alone", async () => {
    const idle = await enrol();
    const busy = await enrol();
    const stale = await pos<{ redemption: { id: string } }>("POST", "/redemptions", {
      guestId: idle,
      points: 40,
      checkTotal: 100000,
    });
    await pos("POST", "/redemptions", { guestId: busy, points: 30, checkTotal: 100000 });
    await db.admin
      .update(redemptions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(redemptions.id, stale.body.redemption.id));
    expect(await balanceOf(idle)).toBe(60);

    expect(await releaseExpiredHolds(db.app)).toBe(1);
    expect(await balanceOf(idle)).toBe(100);
    expect(await balanceOf(busy)).toBe(70);
    const [hold] = await db.admin.select().from(redemptions).where(eq(redemptions.id, stale.body.redemption.id));
    expect(hold?.status).toBe("expired");
    expect(await releaseExpiredHolds(db.app)).toBe(0);
  });
});

describe("points expiry after inactivity", () => {
  it("expires the whole balance of guests who stopped coming, with one ledger entry each", async () => {
    const sleeping = await enrol();
    const regular = await enrol();
    const atTheTill = await enrol();
    await pos("POST", "/redemptions", { guestId: atTheTill, points: 10, checkTotal: 100000 });
    await db.admin
      .update(guests)
      .set({ lastVisitAt: sql`now() - interval '40 days'` })
      .where(sql`${guests.id} in (${sleeping}, ${atTheTill})`);
    await db.admin.update(guests).set({ lastVisitAt: sql`now() - interval '10 days'` }).where(eq(guests.id, regular));

    // No expiry configured: nothing happens.
    expect((await expireInactivePoints(db.app))["jobs-cafe"]).toBe(0);
    await withTenant(cafe.tenantId, (tx) => tx.update(loyaltyPrograms).set({ expireAfterInactiveDays: 30 }), db.app);

    expect((await expireInactivePoints(db.app))["jobs-cafe"]).toBe(1);
    expect(await balanceOf(sleeping)).toBe(0);
    expect(await balanceOf(regular)).toBe(100);
    expect(await balanceOf(atTheTill)).toBe(90);
    const entries = await db.admin.select().from(ledgerEntries).where(eq(ledgerEntries.guestId, sleeping));
    expect(entries.map((entry) => [entry.kind, entry.delta])).toEqual([
      ["welcome_bonus", 100],
      ["expiry", -100],
    ]);
    // Run again: nothing left to expire.
    expect((await expireInactivePoints(db.app))["jobs-cafe"]).toBe(0);
  });
});
