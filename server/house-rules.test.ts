import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The rule of the house (DESIGN.md): app/ renders and routes, server/<area>/ decides, db/ stores.
// Read from the source itself, so a page that opens the database or a db/ module that reaches into
// server/ fails here instead of slipping in. Tests (*.test.ts) are left out: they may cross layers
// to check them.

const ROOT = path.resolve(import.meta.dirname, "..");

/** Every TypeScript source file under `dir` (repo-relative, forward slashes), tests left out. */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

/** What a file imports, with `@/…` and relative specifiers made repo-relative (`db/client`). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  return [...text.matchAll(IMPORT)].map(([, specifier = ""]) => {
    if (specifier.startsWith("@/")) return specifier.slice(2);
    if (specifier.startsWith(".")) {
      return path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    }
    return specifier;
  });
}

/** An import the rule still allows: `file` and `imports` match exactly, or as a folder when they end in "/". */
type Exception = { file: string; imports: string; why: string };

const matches = (pattern: string, value: string) =>
  pattern.endsWith("/") ? value.startsWith(pattern) : value === pattern;
const allows = (exception: Exception, file: string, target: string) =>
  matches(exception.file, file) && matches(exception.imports, target);

/** Imports that break the rule, as "file imports module", leaving out the allowed exceptions. */
function violations(dirs: string[], forbidden: (target: string) => boolean, allowed: readonly Exception[]) {
  return dirs.flatMap((dir) =>
    sourceFiles(dir).flatMap((file) =>
      importsOf(file)
        .filter(forbidden)
        .filter((target) => !allowed.some((exception) => allows(exception, file, target)))
        .map((target) => `${file} imports ${target}`),
    ),
  );
}

const isUnder = (target: string, dir: string) => target === dir || target.startsWith(`${dir}/`);

/** app/ and components/ reach data only through server/: no database client, schema or query builder. */
const APP_MAY_NOT_IMPORT = (target: string) =>
  isUnder(target, "db") || isUnder(target, "drizzle-orm") || target === "postgres";

/**
 * db/ stores and server/ decides, so db/ never imports server/. The exceptions, each a door still
 * to close:
 */
const DB_MAY_IMPORT_FROM_SERVER: readonly Exception[] = [
  {
    file: "db/seed/",
    imports: "server/",
    why:
      "the demo seed writes its cafés through the domain's own rules (createTenant, password hashing, " +
      "points formulas), so demo data obeys them; it is a script that uses server/, not storage server/ uses",
  },
  {
    file: "db/seed-analytics.ts",
    imports: "server/analytics/",
    why: "the seed's last step builds the demo cafés' roll-ups and segments with the analytics code itself",
  },
];

describe("the house rule: app/ renders, server/ decides, db/ stores", () => {
  it("pages, route handlers, actions and components reach the database only through server/", () => {
    expect(violations(["app", "components"], APP_MAY_NOT_IMPORT, [])).toEqual([]);
  });

  it("db/ imports nothing from server/ beyond the listed exceptions", () => {
    expect(violations(["db"], (target) => isUnder(target, "server"), DB_MAY_IMPORT_FROM_SERVER)).toEqual([]);
  });

  it("every listed exception is still needed (a closed door leaves the list)", () => {
    const imports = sourceFiles("db").flatMap((file) => importsOf(file).map((target) => ({ file, target })));
    const stale = DB_MAY_IMPORT_FROM_SERVER.filter(
      (exception) => !imports.some(({ file, target }) => isUnder(target, "server") && allows(exception, file, target)),
    );
    expect(stale).toEqual([]);
  });

  it("reads imports the way the rule needs (aliases, relative paths, dynamic imports)", () => {
    const sample = importsOf("server/house-rules.test.ts");
    expect(sample).toContain("node:fs");
    expect(sample).toContain("vitest");
    // A file known to import db/ both ways resolves to the same repo path.
    expect(importsOf("db/migrate.ts")).toContain("db/app-role");
    expect(importsOf("server/env.ts")).toContain("db/app-role");
  });
});
