import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type Tx, withTenant } from "@/db/client";
import { auditLog, guestStats, guests, loyaltyTiers, memberships, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { localDateOf } from "../orders/slots";
import { createPosTenant } from "../pos/testing";
import {
  countGuests,
  DEFAULT_GUEST_COLUMNS,
  type DirectoryFilters,
  type DirectoryPageInput,
  GUEST_SORTS,
  type GuestRow,
  guestColumns,
  guestVisible,
  listGuests,
  saveGuestColumns,
} from "./directory";
import { exportGuestsCsv } from "./export";

const db = await testDatabase();
let cafe: Awaited<ReturnType<typeof createPosTenant>>;
const inCafe = <T>(work: (tx: Tx) => Promise<T>) => withTenant(cafe.tenantId, work, db.app);

type Seeded = {
  id: string;
  name: string | null;
  balance: number;
  tierId: string;
  stats: null | {
    visits: number;
    spend: number;
    lastVisitAt: Date;
    posVisits: number;
    onlineVisits: number;
    locationIds: string[];
    segment: string;
  };
};

const DAY = 86_400_000;
/** Noon UTC a few days ago: the same instant for several guests makes ties. */
const daysAgo = (days: number) => new Date(Date.UTC(2026, 10, 20, 12) - days * DAY);

let tiers: { id: string; minSpend: number }[];
const seeded: Seeded[] = [];
let deletedId: string;
const named: Record<string, string> = {};

async function addGuest(options: {
  name?: string | null;
  phone?: string;
  email?: string;
  cardCode?: string;
  balance?: number;
  tier?: number;
  marketing?: boolean;
  birthday?: string;
  deleted?: boolean;
  stats?: Seeded["stats"];
}): Promise<string> {
  const tierId = tiers[options.tier ?? 0]?.id ?? "";
  const [guest] = await db.admin
    .insert(guests)
    .values({
      tenantId: cafe.tenantId,
      name: options.name === undefined ? null : options.name,
      phone: options.phone ?? null,
      email: options.email ?? null,
      cardCode: options.cardCode ?? String(100_000_000 + seeded.length * 7919 + Math.floor(Math.random() * 1000)),
      qrSecret: "JBSWY3DPEHPK3PXP",
      tierId,
      balance: options.balance ?? 0,
      marketingOptIn: options.marketing ?? false,
      birthday: options.birthday ?? null,
      deletedAt: options.deleted ? new Date() : null,
    })
    .returning({ id: guests.id });
  if (!guest) throw new Error("no guest");
  if (options.stats) {
    await db.admin.insert(guestStats).values({
      tenantId: cafe.tenantId,
      guestId: guest.id,
      visits: options.stats.visits,
      posVisits: options.stats.posVisits,
      onlineVisits: options.stats.onlineVisits,
      firstVisitAt: new Date(options.stats.lastVisitAt.getTime() - 100 * DAY),
      lastVisitAt: options.stats.lastVisitAt,
      spend: options.stats.spend,
      locationIds: options.stats.locationIds,
      segment: options.stats.segment,
    });
  }
  if (!options.deleted) {
    seeded.push({
      id: guest.id,
      name: options.name ?? null,
      balance: options.balance ?? 0,
      tierId,
      stats: options.stats ?? null,
    });
  }
  return guest.id;
}

const SEGMENTS = ["new", "regular", "loyal", "sleeping", "lost"];

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "directory-cafe");
  tiers = await db.admin
    .select({ id: loyaltyTiers.id, minSpend: loyaltyTiers.minSpend })
    .from(loyaltyTiers)
    .where(eq(loyaltyTiers.tenantId, cafe.tenantId))
    .orderBy(loyaltyTiers.minSpend);
  // 45 guests with visits, their values repeating so every sort has long runs of ties; names
  // in two cases and some missing; 6 guests with no visit at all; one deleted guest.
  const names = ["anna", "Anna", "boris", "vera", "Vera", null, "gleb"];
  for (let i = 0; i < 45; i++) {
    const location =
      i % 3 === 0
        ? [cafe.secondLocationId]
        : i % 3 === 1
          ? [cafe.locationId]
          : [cafe.locationId, cafe.secondLocationId];
    await addGuest({
      name: names[i % names.length] ?? null,
      balance: (i % 4) * 10,
      tier: i % 2,
      marketing: i % 5 === 0,
      stats: {
        visits: 1 + (i % 3),
        spend: (i % 4) * 50_000,
        lastVisitAt: daysAgo(i % 5),
        posVisits: i % 4 === 3 ? 0 : 1,
        onlineVisits: i % 4 === 0 || i % 4 === 3 ? 1 : 0,
        locationIds: location,
        segment: SEGMENTS[i % SEGMENTS.length] ?? "regular",
      },
    });
  }
  for (let i = 0; i < 6; i++) {
    await addGuest({ name: i % 2 === 0 ? "zoya" : null, balance: i % 2 === 0 ? 10 : 0, tier: 0 });
  }
  named.card = await addGuest({
    name: "Карточкин",
    cardCode: "540987000",
    stats: {
      visits: 7,
      spend: 123_400,
      lastVisitAt: daysAgo(40),
      posVisits: 7,
      onlineVisits: 0,
      locationIds: [cafe.locationId],
      segment: "sleeping",
    },
  });
  named.phone = await addGuest({ name: "Иван Петров", phone: "+79161234567", email: "Ivan.Petrov@Example.com" });
  deletedId = await addGuest({ name: "anna", deleted: true });
});

async function allPages(input: DirectoryPageInput, scope: string[] = []): Promise<GuestRow[]> {
  const rows: GuestRow[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await inCafe((tx) => listGuests(tx, { ...input, cursor, staffLocationIds: scope }));
    rows.push(...result.rows);
    if (!result.nextCursor) return rows;
    cursor = result.nextCursor;
  }
  throw new Error("more than 100 pages");
}

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);
const visible = () => seeded.map((guest) => guest.id).sort();

type Sorted = (typeof GUEST_SORTS)[number];
const sortValue = (row: GuestRow, sort: Sorted): number | string | null => {
  switch (sort) {
    case "lastVisit":
      return row.lastVisitAt ? Date.parse(row.lastVisitAt) : null;
    case "visits":
      return row.lastVisitAt ? row.visits : null;
    case "spend":
      return row.lastVisitAt ? row.spend : null;
    case "name":
      return row.name?.toLowerCase() ?? null;
    case "balance":
      return row.balance;
  }
};

describe("the guests table's pages (keyset)", () => {
  for (const sort of GUEST_SORTS) {
    for (const direction of ["desc", "asc"] as const) {
      it(`sorted by ${sort} ${direction}: pages of 7 neither repeat nor skip a guest, ties broken by id, no value last`, async () => {
        const rows = await allPages({ sort, direction, limit: 7 });
        expect(ids(rows)).toHaveLength(new Set(ids(rows)).size);
        expect([...ids(rows)].sort()).toEqual(visible());
        expect(ids(rows)).not.toContain(deletedId);
        const sign = direction === "desc" ? -1 : 1;
        for (let i = 1; i < rows.length; i++) {
          const [before, after] = [rows[i - 1] as GuestRow, rows[i] as GuestRow];
          const [a, b] = [sortValue(before, sort), sortValue(after, sort)];
          if (a === null) {
            // Guests without a value come last, by id.
            expect(b, `${sort} ${direction} at ${i}`).toBeNull();
            expect(Math.sign(after.id.localeCompare(before.id))).toBe(sign);
          } else if (b !== null) {
            if (a === b) expect(Math.sign(after.id.localeCompare(before.id))).toBe(sign);
            else expect(Math.sign(a < b ? 1 : -1), `${sort} ${direction} at ${i}: ${a} then ${b}`).toBe(sign);
          }
        }
      });
    }
  }

  it("walks back with previous cursors through the same pages", async () => {
    const input = { sort: "visits", direction: "desc", limit: 6 } as const;
    const forward: string[][] = [];
    const previous: (string | null)[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await inCafe((tx) => listGuests(tx, { ...input, cursor, staffLocationIds: [] }));
      forward.push(ids(page.rows));
      previous.push(page.previousCursor);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(previous[0]).toBeNull();
    // From the last page, "previous" again and again gives every earlier page in turn.
    let back = previous[previous.length - 1] ?? null;
    for (let index = forward.length - 2; index >= 0; index--) {
      expect(back).not.toBeNull();
      const page = await inCafe((tx) =>
        listGuests(tx, { ...input, cursor: back ?? undefined, backward: true, staffLocationIds: [] }),
      );
      expect(ids(page.rows)).toEqual(forward[index]);
      back = page.previousCursor;
    }
    expect(back).toBeNull();
  });

  it("jumps to a value of the sorted column without reading the pages before it", async () => {
    const visits = await inCafe((tx) =>
      listGuests(tx, { sort: "visits", direction: "desc", from: "2", limit: 100, staffLocationIds: [] }),
    );
    expect(visits.rows[0]?.visits).toBe(2);
    expect(visits.rows.filter((row) => row.lastVisitAt).every((row) => row.visits <= 2)).toBe(true);
    const names = await inCafe((tx) =>
      listGuests(tx, { sort: "name", direction: "asc", from: "V", limit: 100, staffLocationIds: [] }),
    );
    expect(names.rows[0]?.name?.toLowerCase()).toBe("vera");
    const descending = await inCafe((tx) =>
      listGuests(tx, { sort: "name", direction: "desc", from: "b", limit: 3, staffLocationIds: [] }),
    );
    expect(descending.rows[0]?.name).toBe("boris");
    await expect(
      inCafe((tx) => listGuests(tx, { sort: "lastVisit", from: "yesterday", staffLocationIds: [] })),
    ).rejects.toMatchObject({ reason: "invalid_request" });
  });

  it("refuses a cursor that was tampered with instead of failing in SQL", async () => {
    const forged = Buffer.from(JSON.stringify({ p: 0, v: "not a date", i: randomUUID() })).toString("base64url");
    await expect(
      inCafe((tx) => listGuests(tx, { sort: "lastVisit", cursor: forged, staffLocationIds: [] })),
    ).rejects.toMatchObject({ reason: "invalid_cursor" });
    await expect(
      inCafe((tx) => listGuests(tx, { sort: "visits", cursor: "garbage", staffLocationIds: [] })),
    ).rejects.toMatchObject({ reason: "invalid_cursor" });
  });
});

describe("the guests table's filters", () => {
  const matching = (predicate: (guest: Seeded) => boolean) =>
    seeded
      .filter(predicate)
      .map((guest) => guest.id)
      .sort();
  const found = async (filters: DirectoryFilters, scope: string[] = []) => {
    const rows = await allPages({ ...filters, limit: 100 }, scope);
    const count = await inCafe((tx) => countGuests(tx, { ...filters, staffLocationIds: scope }));
    expect(count).toBe(rows.length);
    return ids(rows).sort();
  };

  it("by segment, tier, marketing consent and location", async () => {
    expect(await found({ segment: "sleeping" })).toEqual(matching((g) => g.stats?.segment === "sleeping"));
    expect(await found({ tierId: tiers[1]?.id })).toEqual(matching((g) => g.tierId === tiers[1]?.id));
    expect(await found({ marketing: true })).toEqual(
      matching((g) => seeded.indexOf(g) < 45 && seeded.indexOf(g) % 5 === 0),
    );
    expect(await found({ locationId: cafe.secondLocationId })).toEqual(
      matching((g) => g.stats?.locationIds.includes(cafe.secondLocationId) === true),
    );
  });

  it("by last visit, visits and lifetime spend ranges (inclusive)", async () => {
    const zone = "Europe/Moscow";
    const from = localDateOf(daysAgo(3), zone);
    const to = localDateOf(daysAgo(1), zone);
    expect(await found({ lastVisitFrom: from, lastVisitTo: to })).toEqual(
      matching((g) => g.stats !== null && g.stats.lastVisitAt >= daysAgo(3) && g.stats.lastVisitAt <= daysAgo(1)),
    );
    expect(await found({ visitsMin: 2, visitsMax: 3 })).toEqual(
      matching((g) => (g.stats?.visits ?? 0) >= 2 && (g.stats?.visits ?? 0) <= 3),
    );
    // "At most one visit" includes those with none.
    expect(await found({ visitsMax: 1 })).toEqual(matching((g) => (g.stats?.visits ?? 0) <= 1));
    expect(await found({ spendMin: 50_000, spendMax: 100_000 })).toEqual(
      matching((g) => (g.stats?.spend ?? 0) >= 50_000 && (g.stats?.spend ?? 0) <= 100_000),
    );
  });

  it("by channel: only at the till, only online, or both", async () => {
    expect(await found({ channel: "pos" })).toEqual(
      matching((g) => (g.stats?.posVisits ?? 0) > 0 && g.stats?.onlineVisits === 0),
    );
    expect(await found({ channel: "online" })).toEqual(
      matching((g) => (g.stats?.onlineVisits ?? 0) > 0 && g.stats?.posVisits === 0),
    );
    expect(await found({ channel: "both" })).toEqual(
      matching((g) => (g.stats?.onlineVisits ?? 0) > 0 && (g.stats?.posVisits ?? 0) > 0),
    );
  });

  it("by birthday this week, in the café's time zone", async () => {
    const today = localDateOf(new Date(), "Europe/Moscow");
    const inWeek = await addGuest({ name: "именинник", birthday: `1990-${today.slice(5)}` });
    const monthLater = new Date(Date.now() + 40 * DAY);
    await addGuest({ name: "не сейчас", birthday: `1990-${localDateOf(monthLater, "Europe/Moscow").slice(5)}` });
    expect(await found({ segment: "birthday" })).toEqual([inWeek]);
  });

  it("finds by card code with or without spaces, by phone in any common form, by email and by part of a name", async () => {
    expect(await found({ q: "540 987 000" })).toEqual([named.card]);
    expect(await found({ q: "540987000" })).toEqual([named.card]);
    expect(await found({ q: "+7 (916) 123-45-67" })).toEqual([named.phone]);
    expect(await found({ q: "8 916 123 45 67" })).toEqual([named.phone]);
    expect(await found({ q: "89161234567" })).toEqual([named.phone]);
    expect(await found({ q: "ivan.petrov@example.com" })).toEqual([named.phone]);
    expect(await found({ q: "ПЕТРОВ" })).toEqual([named.phone]);
    expect(await found({ q: "4567" })).toEqual([named.phone]);
    expect(await found({ q: "100%_" })).toEqual([]);
  });

  it("a member limited to locations sees only the guests who visited one of them", async () => {
    const scope = [cafe.secondLocationId];
    const expected = matching((g) => g.stats?.locationIds.includes(cafe.secondLocationId) === true);
    expect(await found({}, scope)).toEqual(expected);
    // Sorted by name, guests without a visit are not in the tail either.
    const byName = await allPages({ sort: "name", direction: "asc", limit: 9 }, scope);
    expect(ids(byName).sort()).toEqual(expected);
    const outside = seeded.find((g) => g.stats && !g.stats.locationIds.includes(cafe.secondLocationId));
    const inside = seeded.find((g) => g.stats?.locationIds.includes(cafe.secondLocationId));
    const noVisit = seeded.find((g) => g.stats === null);
    const visibleTo = (guestId: string | undefined, staffLocationIds: string[]) =>
      inCafe((tx) => guestVisible(tx, { guestId: guestId ?? "", staffLocationIds }));
    expect(await visibleTo(inside?.id, scope)).toBe(true);
    expect(await visibleTo(outside?.id, scope)).toBe(false);
    expect(await visibleTo(noVisit?.id, scope)).toBe(false);
    expect(await visibleTo(noVisit?.id, [])).toBe(true);
    expect(await visibleTo(deletedId, [])).toBe(false);
  });
});

describe("the member's columns", () => {
  it("are the default until chosen, then each member's own", async () => {
    const members = [];
    for (const role of ["owner", "manager"] as const) {
      const [user] = await db.admin
        .insert(users)
        .values({ email: `${role}@directory.test` })
        .returning();
      const [membership] = await db.admin
        .insert(memberships)
        .values({ tenantId: cafe.tenantId, userId: user?.id ?? "", role })
        .returning();
      members.push(membership?.id ?? "");
    }
    const [owner, manager] = members as [string, string];
    expect(await inCafe((tx) => guestColumns(tx, { membershipId: owner }))).toEqual(DEFAULT_GUEST_COLUMNS);
    await inCafe((tx) =>
      saveGuestColumns(tx, { tenantId: cafe.tenantId, membershipId: owner, columns: ["segment", "name", "email"] }),
    );
    // Kept in the table's order; the manager still has the default.
    expect(await inCafe((tx) => guestColumns(tx, { membershipId: owner }))).toEqual(["name", "email", "segment"]);
    expect(await inCafe((tx) => guestColumns(tx, { membershipId: manager }))).toEqual(DEFAULT_GUEST_COLUMNS);
    await expect(
      inCafe((tx) => saveGuestColumns(tx, { tenantId: cafe.tenantId, membershipId: owner, columns: [] })),
    ).rejects.toMatchObject({ reason: "invalid_request" });
  });
});

describe("the export of the table's view", () => {
  it("holds the filtered guests only, contacts only when allowed, scoped to the member's locations, and is audited", async () => {
    const [user] = await db.admin.insert(users).values({ email: "exporter@directory.test" }).returning();
    const exportCsv = (withContacts: boolean, filters: DirectoryFilters, scope: string[] = []) =>
      inCafe((tx) =>
        exportGuestsCsv(tx, {
          tenantId: cafe.tenantId,
          actorUserId: user?.id ?? "",
          ip: "10.0.0.1",
          filters,
          withContacts,
          staffLocationIds: scope,
        }),
      );
    const parse = (csv: string) => {
      const [header, ...lines] = csv.replace("\uFEFF", "").trim().split("\r\n");
      const columns = header?.split(",") ?? [];
      return lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [columns[i], cell])));
    };
    const withContacts = parse(await exportCsv(true, { q: "+7 916 123-45-67" }));
    expect(withContacts).toHaveLength(1);
    expect(withContacts[0]).toMatchObject({
      id: `"${named.phone}"`,
      phone: '"+79161234567"',
      email: '"Ivan.Petrov@Example.com"',
    });
    const without = parse(await exportCsv(false, { q: "+7 916 123-45-67" }));
    expect(without[0]).toMatchObject({ id: `"${named.phone}"`, phone: "", email: "", name: '"Иван Петров"' });
    const sleeping = parse(await exportCsv(false, { segment: "sleeping" }, [cafe.secondLocationId]));
    expect(sleeping.map((row) => row.id?.replaceAll('"', "")).sort()).toEqual(
      seeded
        .filter((g) => g.stats?.segment === "sleeping" && g.stats.locationIds.includes(cafe.secondLocationId))
        .map((g) => g.id)
        .sort(),
    );
    const audits = await db.admin.select().from(auditLog).where(eq(auditLog.action, "guests.exported"));
    expect(audits).toHaveLength(3);
    expect(audits.map((entry) => entry.meta)).toContainEqual(
      expect.objectContaining({ count: sleeping.length, withContacts: false, filters: { segment: "sleeping" } }),
    );
  });
});
