import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testDatabase } from "@/db/testing/database";
import { createTenant } from "../tenants/create";
import { checkSlug, RESERVED_SLUGS, slugFromName, slugProblem, suggestSlug } from "./slug";

const db = await testDatabase();

async function cafe(slug: string) {
  await db.app.transaction((tx) =>
    createTenant(tx, {
      slug,
      name: slug,
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      locations: [{ slug: "main", name: "Main", address: "Main 1" }],
    }),
  );
}

/** The URL segments app/ serves at the top level (route groups looked into, dynamic ones skipped). */
function topLevelSegments(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) {
      if (entry.name.startsWith("(")) return topLevelSegments(path.join(dir, entry.name));
      if (entry.name.startsWith("[") || entry.name.startsWith("_") || entry.name.startsWith("@")) return [];
      return [entry.name];
    }
    // Metadata files (icon.svg, robots.txt…) are routes too.
    const stem = entry.name.replace(/\.[^.]+$/, "");
    return /^(icon|apple-icon|favicon|robots|sitemap|manifest|opengraph-image|twitter-image)$/.test(stem) ? [stem] : [];
  });
}

describe("café addresses", () => {
  it("are made from the café's name, Cyrillic transliterated", () => {
    expect(slugFromName("Кофе Точка")).toBe("kofe-tochka");
    expect(slugFromName("  Щука & Ёж!! ")).toBe("shchuka-and-ezh");
    expect(slugFromName("Café Crème")).toBe("cafe-creme");
    expect(slugFromName("Қазақ кофе")).toBe("kazak-kofe");
    expect(slugFromName("☕☕")).toBe("cafe");
    expect(slugFromName("a".repeat(60))).toHaveLength(40);
    expect(slugProblem(slugFromName("Очень-очень длинное название кофейни у дома"))).toBeNull();
  });

  it("refuse bad characters and reserved words", () => {
    for (const bad of [
      "Kofe",
      "kofe tochka",
      "-kofe",
      "kofe-",
      "kofe--tochka",
      "кофе",
      "kofe_tochka",
      "",
      "a".repeat(41),
    ]) {
      expect(slugProblem(bad), bad).toBe("invalid");
    }
    for (const reserved of ["dashboard", "api", "sign-in", "sign-up", "admin", "www", "zerno"]) {
      expect(slugProblem(reserved), reserved).toBe("reserved");
    }
    expect(slugProblem("kofe-tochka")).toBeNull();
  });

  it("reserve every top-level route of the app", () => {
    const segments = topLevelSegments(path.resolve(import.meta.dirname, "../../app"));
    expect(segments).toEqual(expect.arrayContaining(["dashboard", "api", "sign-in", "sign-up", "account"]));
    expect(segments.filter((segment) => !RESERVED_SLUGS.has(segment))).toEqual([]);
  });

  it("offer a free one when taken: -2, -3…", async () => {
    expect(await checkSlug(db.app, "kofe-tochka", "Кофе Точка")).toEqual({ ok: true, slug: "kofe-tochka" });
    await cafe("kofe-tochka");
    expect(await checkSlug(db.app, "kofe-tochka", "Кофе Точка")).toEqual({
      ok: false,
      slug: "kofe-tochka",
      reason: "taken",
      suggestion: "kofe-tochka-2",
    });
    await cafe("kofe-tochka-2");
    expect(await suggestSlug(db.app, "Кофе Точка")).toBe("kofe-tochka-3");
  });

  it("offer one from the name for a reserved or malformed address", async () => {
    expect(await checkSlug(db.app, "dashboard", "Зёрна")).toMatchObject({
      ok: false,
      reason: "reserved",
      suggestion: "zerna",
    });
    expect(await checkSlug(db.app, "Мой Кофе", "")).toMatchObject({
      ok: false,
      reason: "invalid",
      suggestion: "moy-kofe",
    });
    // A reserved name gets a suffix rather than the reserved word.
    expect(await suggestSlug(db.app, "Admin")).toBe("admin-2");
    // A long name keeps the suffix within 40 characters.
    const long = "b".repeat(40);
    await cafe(long);
    const next = await suggestSlug(db.app, long);
    expect(next).toBe(`${"b".repeat(38)}-2`);
    expect(slugProblem(next)).toBeNull();
  });
});
