import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { auditLog, locations, users } from "@/db/schema";
import type { OpeningHours } from "@/db/schema/tenancy";
import { testDatabase } from "@/db/testing/database";
import { pickupSlots, slotStarts, slotsForDay, zonedTime } from "../orders/slots";
import { createPosTenant } from "../pos/testing";
import { locationStatus } from "./hours";
import { type LocationSettings, updateLocation } from "./locations";

const db = await testDatabase();
const ZONE = "Europe/Moscow";
const week = (day: [string, string][]): OpeningHours => ({
  "1": day,
  "2": day,
  "3": day,
  "4": day,
  "5": day,
  "6": [],
  "7": [],
});
const LUNCH_BREAK = week([
  ["08:00", "13:00"],
  ["14:00", "18:00"],
]);
// 2030-03-04 is a Monday; 2030-03-08 (Friday) a holiday, closed; 2030-03-07 a short day.
const EXCEPTIONS = [
  { date: "2030-03-07", hours: [["10:00", "12:00"]] as [string, string][], note: "short day" },
  { date: "2030-03-08", hours: [] },
];
const local = (date: string, time: string) => new Date(`${date}T${time}:00+03:00`);
const times = (starts: Date[]) =>
  starts.map((start) => new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, timeStyle: "short" }).format(start));

describe("opening hours with breaks and exceptions", () => {
  const place = { timezone: ZONE, openingHours: LUNCH_BREAK, openingExceptions: EXCEPTIONS, pickupEnabled: true };

  it("offers no slot in the lunch break, follows a holiday's hours and the slot length", () => {
    const monday = times(slotStarts({ date: "2030-03-04", timeZone: ZONE, ...place, slotMinutes: 60 }));
    expect(monday).toEqual(["08:00", "09:00", "10:00", "11:00", "12:00", "14:00", "15:00", "16:00", "17:00"]);
    const short = times(slotStarts({ date: "2030-03-07", timeZone: ZONE, ...place, slotMinutes: 30 }));
    expect(short).toEqual(["10:00", "10:30", "11:00", "11:30"]);
    expect(slotStarts({ date: "2030-03-08", timeZone: ZONE, ...place })).toEqual([]);
    expect(slotStarts({ date: "2030-03-04", timeZone: ZONE, ...place, pickupEnabled: false })).toEqual([]);
  });

  it("counts an order's minutes in the slot its pick-up time falls in, whatever the slot length", () => {
    const starts = slotStarts({ date: "2030-03-04", timeZone: ZONE, ...place, slotMinutes: 30 });
    const booked = new Map([[local("2030-03-04", "08:15").getTime(), 20]]);
    const slots = pickupSlots({
      starts,
      now: local("2030-03-04", "07:00"),
      prepMinutes: 15,
      capacityMinutes: 30,
      booked,
      slotMinutes: 30,
    });
    expect(slots[0]).toMatchObject({ bookedMinutes: 20, full: true, available: false });
    expect(slots[1]).toMatchObject({ bookedMinutes: 0, available: true });
  });

  it("says open now, closed in the break, and when a holiday ends", () => {
    expect(locationStatus(place, local("2030-03-04", "12:30"))).toEqual({
      open: true,
      closesAt: "13:00",
      opensAt: null,
      pickup: true,
    });
    expect(locationStatus(place, local("2030-03-04", "13:20"))).toEqual({
      open: false,
      closesAt: null,
      opensAt: { date: "2030-03-04", time: "14:00" },
      pickup: true,
    });
    // Friday the 8th is closed, the weekend too: next Monday.
    expect(locationStatus(place, local("2030-03-07", "12:30")).opensAt).toEqual({ date: "2030-03-11", time: "08:00" });
    expect(locationStatus({ ...place, pickupEnabled: false }, local("2030-03-04", "09:00")).pickup).toBe(false);
  });
});

describe("changing a location", () => {
  let cafe: Awaited<ReturnType<typeof createPosTenant>>;
  let ownerId: string;
  const settings: LocationSettings = {
    name: "Тверская, 7",
    address: "Тверская ул., 7",
    timezone: ZONE,
    openingHours: LUNCH_BREAK,
    openingExceptions: [...EXCEPTIONS].reverse(),
    pickupEnabled: true,
    slotMinutes: 30,
    slotCapacityMinutes: 20,
  };
  const change = (next: Partial<LocationSettings>, locationId = cafe.locationId) =>
    withTenant(
      cafe.tenantId,
      (tx) =>
        updateLocation(tx, {
          tenantId: cafe.tenantId,
          locationId,
          settings: { ...settings, ...next },
          actor: { userId: ownerId, ip: null },
        }),
      db.app,
    );
  const refused = (next: Partial<LocationSettings>) => change(next).catch((error: unknown) => error);

  beforeAll(async () => {
    cafe = await createPosTenant(db.app, "hours-cafe");
    const [owner] = await db.admin.insert(users).values({ email: "hours-owner@example.com" }).returning();
    ownerId = owner?.id ?? "";
  });

  it("stores breaks, holidays and slots, audits what changed, and the slots follow", async () => {
    await change({});
    const [stored] = await db.admin.select().from(locations).where(eq(locations.id, cafe.locationId));
    expect(stored).toMatchObject({
      name: "Тверская, 7",
      slotMinutes: 30,
      slotCapacityMinutes: 20,
      pickupEnabled: true,
    });
    expect(stored?.openingExceptions.map((exception) => exception.date)).toEqual(["2030-03-07", "2030-03-08"]);
    const [entry] = await db.admin.select().from(auditLog).where(eq(auditLog.action, "location.updated"));
    expect(entry?.meta).toMatchObject({ changed: expect.arrayContaining(["openingHours", "openingExceptions"]) });
    if (!stored) throw new Error("no location");
    const day = await withTenant(
      cafe.tenantId,
      (tx) =>
        slotsForDay(tx, {
          location: stored,
          prepMinutes: 5,
          date: "2030-03-04",
          now: zonedTime("2030-03-03", 0, ZONE),
        }),
      db.app,
    );
    expect(day.slots).toHaveLength(18);
    expect(day.slots.some((slot) => times([slot.startsAt])[0] === "13:00")).toBe(false);
  });

  it("refuses overlapping intervals, a close before the open, twice the same holiday and an unknown zone, naming the field", async () => {
    expect(
      await refused({
        openingHours: {
          ...LUNCH_BREAK,
          "2": [
            ["08:00", "13:00"],
            ["12:00", "18:00"],
          ],
        },
      }),
    ).toMatchObject({ reason: "intervals_overlap", details: [{ path: "openingHours.2.1" }] });
    expect(await refused({ openingHours: { ...LUNCH_BREAK, "3": [["18:00", "08:00"]] } })).toMatchObject({
      reason: "close_before_open",
      details: [{ path: "openingHours.3.0" }],
    });
    expect(
      await refused({
        openingExceptions: [EXCEPTIONS[1], EXCEPTIONS[1]].filter((exception) => exception !== undefined),
      }),
    ).toMatchObject({ reason: "exception_date_taken", details: [{ path: "openingExceptions.1.date" }] });
    expect(await refused({ timezone: "Mars/Olympus" })).toMatchObject({ details: [{ path: "timezone" }] });
    // Until midnight is allowed.
    await change({ openingHours: { ...LUNCH_BREAK, "6": [["18:00", "00:00"]] } });
  });
});
