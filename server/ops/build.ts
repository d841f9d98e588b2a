// npm run build — the production build: `next build` (its arguments passed on), then every browser
// chunk marked for eager compilation (below). The demo launcher and the benchmarks build through
// here too, so what they serve and measure is what `npm start` serves. Deploy with `npm run build`:
// a plain `next build` leaves the chunks unmarked.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * V8's explicit compile hint (Chrome 136+; other browsers read a comment): a script whose first
 * line is this comment has all its functions compiled while it streams in, on a background thread.
 * Without it, each function is compiled on the main thread when first called — and nearly all of a
 * first-load chunk (React, the router, the page's components) is called while the page hydrates.
 * Measured on the cabinet here: the main thread's JavaScript during load went from ~270 ms to
 * ~110 ms. (It shifts the chunk's lines by one; no browser source maps are shipped.)
 */
export const EAGER_COMPILE_HINT = "//# allFunctionsCalledOnLoad\n";

/** Every regular file under `dir` (symbolic links are not followed). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() ? [full] : [];
  });
}

/** Marks every JavaScript chunk under `<distDir>/static` (once; a marked chunk is left as it is). Returns how many it marked. */
export function markChunksForEagerCompile(distDir: string): number {
  const staticDir = path.join(distDir, "static");
  if (!existsSync(staticDir)) return 0;
  let marked = 0;
  for (const file of filesUnder(staticDir)) {
    if (!file.endsWith(".js")) continue;
    const source = readFileSync(file);
    if (source.subarray(0, EAGER_COMPILE_HINT.length).toString("utf8") === EAGER_COMPILE_HINT) continue;
    // Written aside and renamed into place: an interrupted step never leaves half a chunk.
    const next = `${file}.marking`;
    writeFileSync(next, Buffer.concat([Buffer.from(EAGER_COMPILE_HINT), source]));
    renameSync(next, file);
    marked += 1;
  }
  return marked;
}

/** The build folder as Next.js resolves next.config.mjs's `distDir` (NEXT_DIST_DIR or .next). */
export function distDirOf(environment: Record<string, string | undefined>, root: string = process.cwd()): string {
  return path.join(root, environment.NEXT_DIST_DIR || ".next");
}

/**
 * `next build` into NEXT_DIST_DIR (or .next), then the chunks marked. False when either failed; a
 * build whose marking failed loses its BUILD_ID, so the launchers see it as stale and build again.
 */
export function buildForProduction(options: { env?: NodeJS.ProcessEnv; nextArgs?: string[] } = {}): boolean {
  const environment = options.env ?? process.env;
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const distDir = distDirOf(environment);
  const buildId = path.join(distDir, "BUILD_ID");
  // Gone before the build and back after it: the build landed where the chunks are marked (no
  // clock compared — a shifted clock, as under faketime, is not the file system's).
  rmSync(buildId, { force: true });
  const build = spawnSync(process.execPath, [nextBin, "build", ...(options.nextArgs ?? [])], {
    stdio: "inherit",
    env: environment,
  });
  if (build.status !== 0) return false;
  if (!existsSync(buildId)) {
    // Next.js also reads .env files, which may name another folder than the environment here does.
    console.error(`next build left no fresh build in ${distDir}: is NEXT_DIST_DIR set in a .env file?`);
    return false;
  }
  try {
    const marked = markChunksForEagerCompile(distDir);
    if (marked === 0) throw new Error(`no browser chunks in ${path.join(distDir, "static")}`);
    console.log(`Marked ${marked} browser chunks for eager compilation (${EAGER_COMPILE_HINT.trim()}).`);
    return true;
  } catch (error) {
    rmSync(buildId, { force: true });
    console.error("Marking the browser chunks failed:", error);
    return false;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  process.exit(buildForProduction({ nextArgs: process.argv.slice(2) }) ? 0 : 1);
}
