import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import en from "../i18n/messages/en.json";
import ru from "../i18n/messages/ru.json";
import { AUDIT_ACTIONS, auditFilterOf } from "./list";

describe("the audit page's filter from its address", () => {
  it("takes well-formed values, the 'to' day inclusive", () => {
    const person = "0190f0a0-1234-7abc-8def-0123456789ab";
    expect(
      auditFilterOf({ person, action: " pos_key.revoke ", from: "2026-11-01", to: "2026-11-30", page: "2" }, 50),
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
      ),
    ).toEqual({
      actorUserId: undefined,
      action: undefined,
      from: undefined,
      to: undefined,
      page: 100_000,
      pageSize: 50,
    });
    expect(auditFilterOf({ action: "x".repeat(500), page: "-3" }, 50)).toMatchObject({
      action: "x".repeat(100),
      page: 0,
    });
  });
});

/** The server's source files (not tests), to find every action it records. */
function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

describe("the audit log's action names", () => {
  it("lists every action the server records, each named in Russian and English", () => {
    const recorded = new Set<string>();
    for (const file of sourceFiles(path.resolve(__dirname, ".."))) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/\baction: "([a-z_]+\.[a-z_]+)"/g)) recorded.add(match[1] ?? "");
      // Order transitions record `order.<status>`.
      if (/action: `order\.\$\{/.test(text))
        for (const to of ["accepted", "ready", "picked_up", "cancelled"]) recorded.add(`order.${to}`);
    }
    expect(recorded.size).toBeGreaterThan(20);
    expect([...recorded].filter((action) => !(AUDIT_ACTIONS as readonly string[]).includes(action))).toEqual([]);
    for (const messages of [ru, en]) {
      const names = messages.audit.actions as Record<string, Record<string, string>>;
      for (const action of AUDIT_ACTIONS) {
        const [group = "", name = ""] = action.split(".");
        expect(names[group]?.[name], action).toMatch(/\S/);
      }
    }
  });
});
