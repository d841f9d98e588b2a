import { describe, expect, it } from "vitest";
import { LOCALES } from "./locales";
import { loadMessages } from "./request";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keys(child, prefix ? `${prefix}.${key}` : key));
}

describe("UI messages", () => {
  it("every locale has the same keys, none empty", async () => {
    const [first, ...rest] = await Promise.all(LOCALES.map(async (locale) => keys(await loadMessages(locale)).sort()));
    for (const other of rest) expect(other).toEqual(first);
    for (const locale of LOCALES) {
      const messages = await loadMessages(locale);
      const empty = keys(messages).filter((path) => {
        const text = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], messages);
        return typeof text === "string" && text.trim() === "";
      });
      expect(empty, `${locale} has empty messages`).toEqual([]);
    }
  });
});
