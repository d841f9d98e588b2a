import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { distDirOf, EAGER_COMPILE_HINT, markChunksForEagerCompile } from "./build";

describe("markChunksForEagerCompile", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function distWith(files: Record<string, string>): string {
    const dist = mkdtempSync(path.join(os.tmpdir(), "zerno-dist-"));
    dirs.push(dist);
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(dist, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    return dist;
  }

  it("puts the hint on the first line of every browser chunk, once, and leaves the rest alone", () => {
    const chunk = '(globalThis.TURBOPACK||(globalThis.TURBOPACK=[])).push(["x",1,()=>{}]);';
    const dist = distWith({
      "static/chunks/a1.js": chunk,
      "static/chunks/nested/b2.js": "console.log(1)",
      "static/chunks/style.css": "body{}",
      "static/chunks/a1.js.map": "{}",
      "server/app/page.js": "module.exports={}",
    });
    expect(markChunksForEagerCompile(dist)).toBe(2);
    expect(readFileSync(path.join(dist, "static/chunks/a1.js"), "utf8")).toBe(`//# allFunctionsCalledOnLoad\n${chunk}`);
    expect(readFileSync(path.join(dist, "static/chunks/nested/b2.js"), "utf8")).toBe(
      `${EAGER_COMPILE_HINT}console.log(1)`,
    );
    expect(readFileSync(path.join(dist, "static/chunks/style.css"), "utf8")).toBe("body{}");
    expect(readFileSync(path.join(dist, "static/chunks/a1.js.map"), "utf8")).toBe("{}");
    expect(readFileSync(path.join(dist, "server/app/page.js"), "utf8")).toBe("module.exports={}");
    // A second run (a build step retried) marks nothing twice.
    expect(markChunksForEagerCompile(dist)).toBe(0);
    expect(readFileSync(path.join(dist, "static/chunks/a1.js"), "utf8")).toBe(`//# allFunctionsCalledOnLoad\n${chunk}`);
  });

  it("does nothing without a build", () => {
    expect(markChunksForEagerCompile(distWith({}))).toBe(0);
  });
});

describe("distDirOf", () => {
  it("is where next.config.mjs builds: NEXT_DIST_DIR under the project, else .next", () => {
    expect(distDirOf({}, "/srv/zerno")).toBe("/srv/zerno/.next");
    expect(distDirOf({ NEXT_DIST_DIR: ".data/next-web" }, "/srv/zerno")).toBe("/srv/zerno/.data/next-web");
    expect(distDirOf({ NEXT_DIST_DIR: "" }, "/srv/zerno")).toBe("/srv/zerno/.next");
  });
});
