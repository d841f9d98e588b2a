import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { guests, ledgerEntries } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { flushPosRequests } from "../pos/request-log";
import { createPosTenant, posClient } from "../pos/testing";
import { birthdaysAround, grantBirthdayBonuses } from "./birthday";
import { loadProgram } from "./program";

const db = await testDatabase();
let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let pos: ReturnType<typeof posClient>;
let counter = 0;

/** A guest enrolled at the till, with the given birthday (or none). */
async function guestBornOn(birthday: string | null) {
  counter += 1;
  const reply = await pos<{ guest: { id: string } }>("POST", "/guests", {
    phone: `+7926${String(1_000_000 + counter).slice(-7)}`,
    consent: true,
  });
  const id = reply.body.guest.id;
  await db.admin.update(guests).set({ birthday }).where(eq(guests.id, id));
  return id;
}

const bonusesOf = async (guestId: string) =>
  (await db.admin.select().from(ledgerEntries).where(eq(ledgerEntries.guestId, guestId)))
    .filter((entry) => entry.kind === "birthday_bonus")
    .map((entry) => [entry.delta, entry.note]);

afterAll(() => flushPosRequests());

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "birthday-cafe");
  pos = posClient(db.app, cafe.key);
});

describe("birthday week", () => {
  it("covers three days either side, across New Year, and 29 February in common years", () => {
    expect(birthdaysAround("2026-12-30")).toEqual([
      { monthDay: "12-27", year: 2026 },
      { monthDay: "12-28", year: 2026 },
      { monthDay: "12-29", year: 2026 },
      { monthDay: "12-30", year: 2026 },
      { monthDay: "12-31", year: 2026 },
      { monthDay: "01-01", year: 2027 },
      { monthDay: "01-02", year: 2027 },
    ]);
    expect(birthdaysAround("2027-03-01").map((day) => day.monthDay)).toContain("02-29");
    expect(birthdaysAround("2028-03-03").map((day) => day.monthDay)).not.toContain("02-28");
  });
});

describe("birthday bonuses", () => {
  it("are given in the birthday week in the café's zone, once per year, also when jobs race", async () => {
    const program = await withTenant(cafe.tenantId, (tx) => loadProgram(tx), db.app);
    expect(program.birthdayBonus).toBeGreaterThan(0);
    // 01:30 on 10 June in Moscow, still 9 June in UTC: the week is the café's.
    const now = new Date("2026-06-09T22:30:00Z");
    const inWeek = await guestBornOn("1990-06-12");
    const lastDay = await guestBornOn("1985-06-07");
    const outside = await guestBornOn("1990-06-14");
    const moscowOnly = await guestBornOn("1992-06-13");
    const utcOnly = await guestBornOn("1993-06-06");
    const noBirthday = await guestBornOn(null);
    const deleted = await guestBornOn("1991-06-10");
    await db.admin.update(guests).set({ deletedAt: new Date() }).where(eq(guests.id, deleted));

    const runs = await Promise.all([grantBirthdayBonuses(db.app, now), grantBirthdayBonuses(db.app, now)]);
    expect(runs.reduce((sum, run) => sum + (run["birthday-cafe"] ?? 0), 0)).toBe(3);
    expect(await bonusesOf(moscowOnly)).toEqual([[program.birthdayBonus, "birthday:2026"]]);
    expect(await bonusesOf(utcOnly)).toEqual([]);
    expect(await bonusesOf(inWeek)).toEqual([[program.birthdayBonus, "birthday:2026"]]);
    expect(await bonusesOf(lastDay)).toEqual([[program.birthdayBonus, "birthday:2026"]]);
    for (const guest of [outside, noBirthday, deleted]) expect(await bonusesOf(guest)).toEqual([]);

    // The next day, and the next hour: nothing more for this year; next year again.
    expect((await grantBirthdayBonuses(db.app, new Date("2026-06-11T09:00:00Z")))["birthday-cafe"]).toBe(1);
    expect(await bonusesOf(inWeek)).toHaveLength(1);
    await grantBirthdayBonuses(db.app, new Date("2027-06-10T09:00:00Z"));
    expect((await bonusesOf(inWeek)).map(([, note]) => note)).toEqual(["birthday:2026", "birthday:2027"]);
  });

  it("the ledger refuses a second bonus for the same birthday year", async () => {
    const guest = await guestBornOn("1990-01-01");
    const entry = { tenantId: cafe.tenantId, guestId: guest, kind: "birthday_bonus" as const, delta: 10 };
    await db.admin.insert(ledgerEntries).values({ ...entry, note: "birthday:2030" });
    await expect(db.admin.insert(ledgerEntries).values({ ...entry, note: "birthday:2030" })).rejects.toMatchObject({
      cause: { constraint_name: "ledger_birthday_once" },
    });
  });
});
