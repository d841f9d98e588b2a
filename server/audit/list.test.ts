import { describe, expect, it } from "vitest";
import en from "../i18n/messages/en.json";
import ru from "../i18n/messages/ru.json";
import { AUDIT_ACTIONS } from "./actions";
import { auditFilterOf } from "./list";

describe("the audit page's filter from its address", () => {
  it("takes well-formed values, the 'to' day inclusive", () => {
    const person = "0190f0a0-1234-7abc-8def-0123456789ab";
    expect(
      auditFilterOf({ person, action: " pos_key.revoke ", from: "2026-11-01", to: "2026-11-30", page: "2" }, 50, "UTC"),
    ).toEqual({
      actorUserId: person,
      action: "pos_key.revoke",
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-12-01T00:00:00Z"),
      page: 2,
      pageSize: 50,
    });
  });

  it("leaves out what the database could not take instead of failing the page", () => {
    expect(
      auditFilterOf(
        {
          person: "not-a-uuid",
          action: "\u0000",
          from: "99999-01-01",
          to: "2026-02-31",
          page: "999999999999999999999",
        },
        50,
        "UTC",
      ),
    ).toEqual({
      actorUserId: undefined,
      action: undefined,
      from: undefined,
      to: undefined,
      page: 100_000,
      pageSize: 50,
    });
    // Days the list's input refuses (before 2000, after 2200) too: the page used to fail on them.
    expect(auditFilterOf({ from: "1999-12-31", to: "2500-01-01" }, 50, "UTC")).toMatchObject({
      from: undefined,
      to: undefined,
    });
    expect(auditFilterOf({ action: "x".repeat(500), page: "-3" }, 50, "UTC")).toMatchObject({
      action: "x".repeat(100),
      page: 0,
    });
  });
});

describe("the audit page's date filters count the café's days", () => {
  const within = (at: string, filter: { from?: Date; to?: Date }) =>
    (!filter.from || new Date(at) >= filter.from) && (!filter.to || new Date(at) < filter.to);

  it("puts what a Moscow café did at 01:30 on 1 December on 1 December, not on 30 November", () => {
    const justAfterMidnight = "2026-11-30T22:30:00Z"; // 01:30 on 1 December in Moscow
    const december = auditFilterOf({ from: "2026-12-01", to: "2026-12-01" }, 50, "Europe/Moscow");
    expect(december).toMatchObject({
      from: new Date("2026-11-30T21:00:00Z"),
      to: new Date("2026-12-01T21:00:00Z"),
    });
    expect(within(justAfterMidnight, december)).toBe(true);
    expect(within(justAfterMidnight, auditFilterOf({ to: "2026-11-30" }, 50, "Europe/Moscow"))).toBe(false);
    // Its last minute of 1 December (20:59 UTC) is in; its 2 December (21:00 UTC on) is not.
    expect(within("2026-12-01T20:59:59Z", december)).toBe(true);
    expect(within("2026-12-01T21:00:00Z", december)).toBe(false);
  });

  it("follows a clock change: a Berlin day of 23 hours", () => {
    expect(auditFilterOf({ from: "2026-03-29", to: "2026-03-29" }, 50, "Europe/Berlin")).toMatchObject({
      from: new Date("2026-03-28T23:00:00Z"),
      to: new Date("2026-03-29T22:00:00Z"),
    });
  });
});

describe("the audit log's action names", () => {
  // recordAudit takes only AUDIT_ACTIONS (its type), so this covers every action recorded.
  it("names every action in Russian and English", () => {
    for (const messages of [ru, en]) {
      const names = messages.audit.actions as Record<string, Record<string, string>>;
      for (const action of AUDIT_ACTIONS) {
        const [group = "", name = ""] = action.split(".");
        expect(names[group]?.[name], action).toMatch(/\S/);
      }
    }
  });
});
