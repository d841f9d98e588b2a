import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { childProcessEnv } from "../env";
import { distDirOf } from "./build";
import { waitForHealthy } from "./pos-load";

export type LaunchedServer = { adminUrl: string; pid: number; stop: () => Promise<void> };

/**
 * The demo launcher (server/ops/demo.ts) on a fresh data directory, for benchmarks: embedded
 * PostgreSQL, migrations, demo seed and the production server on `port`, never the caller's
 * DATABASE_URL. Its last 50 lines of output are printed if it fails to come up.
 */
export async function launchDemoServer(input: { dataDir: string; port: number }): Promise<LaunchedServer> {
  const tsx = createRequire(import.meta.url).resolve("tsx/cli");
  const args = [
    "server/ops/demo.ts",
    "--skip-build",
    "--fresh",
    "--data-dir",
    input.dataDir,
    "--port",
    String(input.port),
  ];
  const launcher = spawn(process.execPath, [tsx, ...args], {
    // No daily backup in the middle of a benchmark.
    env: childProcessEnv({ BACKUP_DAILY: "false" }, { without: ["DATABASE_URL", "APP_DATABASE_URL"] }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split("\n").filter(Boolean));
    output.splice(0, output.length - 50);
  };
  launcher.stdout?.on("data", keep);
  launcher.stderr?.on("data", keep);
  const stop = async () => {
    if (launcher.exitCode !== null) return;
    launcher.kill("SIGTERM");
    const exited = once(launcher, "exit");
    if ((await Promise.race([exited.then(() => "exited"), sleep(30_000, "timeout")])) === "timeout") {
      launcher.kill("SIGKILL");
    }
  };
  try {
    const exitedEarly = once(launcher, "exit").then(() => {
      throw new Error("The launcher exited");
    });
    await Promise.race([waitForHealthy(`http://127.0.0.1:${input.port}`, 180_000), exitedEarly]);
    exitedEarly.catch(() => {});
  } catch (error) {
    console.error(output.join("\n"));
    await stop();
    throw error;
  }
  const running = JSON.parse(readFileSync(path.join(input.dataDir, "running.json"), "utf8")) as {
    adminUrl: string;
    pid: number;
  };
  return { adminUrl: running.adminUrl, pid: running.pid, stop };
}

/** True when no build exists or a source file is newer than it. */
export function buildIsStale(): boolean {
  const root = process.cwd();
  const buildId = path.join(distDirOf(process.env, root), "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  const sources = ["app", "components", "server", "db", "public", "next.config.mjs", "package-lock.json", "proxy.ts"];
  return sources.some((source) => newestMtime(path.join(root, source)) > builtAt);
}

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce(
    (newest, name) => Math.max(newest, newestMtime(path.join(target, name))),
    stat.mtimeMs,
  );
}
