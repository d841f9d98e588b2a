import { describe, expect, it } from "vitest";
import { timeOrderedUuid } from "./ids";

describe("time-ordered ids (UUID version 7)", () => {
  it("are valid version 7 UUIDs that sort by the millisecond they were made in", () => {
    const earlier = timeOrderedUuid(Date.UTC(2026, 11, 1, 8, 0, 0, 0));
    const later = timeOrderedUuid(Date.UTC(2026, 11, 1, 8, 0, 0, 1));
    for (const id of [earlier, later]) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(earlier < later).toBe(true);
    // The first 48 bits are the time in milliseconds.
    expect(Number.parseInt(earlier.replace(/-/g, "").slice(0, 12), 16)).toBe(Date.UTC(2026, 11, 1, 8));
  });

  it("differ within one millisecond (74 random bits) and keep its time, version and variant", () => {
    const now = Date.now();
    const ids = Array.from({ length: 1000 }, () => timeOrderedUuid(now));
    expect(new Set(ids).size).toBe(1000);
    const prefix = now.toString(16).padStart(12, "0");
    for (const id of ids) {
      expect(id.replace(/-/g, "").slice(0, 12)).toBe(prefix);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});
