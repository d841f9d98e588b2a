// npm run build — the production build: `next build`, then every browser chunk marked for eager
// compilation (below). The demo launcher and the benchmarks build through here too, so what they
// serve and measure is what `npm start` serves.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * V8's explicit compile hint (Chrome 136+): a script whose first line is this comment has all its
 * functions compiled while it streams in, on a background thread. Without it, each function is
 * compiled on the main thread when first called — and nearly all of a first-load chunk (React, the
 * router, the page's components) is called while the page hydrates. Measured on the cabinet here:
 * the main thread's JavaScript during load went from ~270 ms to ~110 ms. Other browsers read it as
 * a comment. (It shifts the chunk's lines by one; no browser source maps are shipped.)
 */
export const EAGER_COMPILE_HINT = "//# allFunctionsCalledOnLoad\n";

/** Marks every JavaScript chunk under `<distDir>/static` (once; a marked chunk is left as it is). Returns how many it marked. */
export function markChunksForEagerCompile(distDir: string): number {
  const staticDir = path.join(distDir, "static");
  if (!existsSync(staticDir)) return 0;
  let marked = 0;
  for (const entry of readdirSync(staticDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".js")) continue;
    const file = path.join(entry.parentPath, entry.name);
    const source = readFileSync(file, "utf8");
    if (source.startsWith(EAGER_COMPILE_HINT)) continue;
    writeFileSync(file, EAGER_COMPILE_HINT + source);
    marked += 1;
  }
  return marked;
}

/** `next build` into NEXT_DIST_DIR (or .next), then the chunks marked. False when the build failed. */
export function buildForProduction(options: { env?: NodeJS.ProcessEnv } = {}): boolean {
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: options.env ?? process.env });
  if (build.status !== 0) return false;
  // As next.config.mjs chooses it (the app's env() is not needed to build, and may refuse to load).
  const distDir = path.resolve((options.env ?? process.env).NEXT_DIST_DIR || ".next");
  const marked = markChunksForEagerCompile(distDir);
  console.log(`Marked ${marked} browser chunks for eager compilation (${EAGER_COMPILE_HINT.trim()}).`);
  return true;
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  process.exit(buildForProduction() ? 0 : 1);
}
