import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { waitForHealthy } from "@/server/ops/pos-load";
import { E2E_STRIPE, e2eDataDir } from "../playwright.config";

/** A JSON file the e2e webServer's launcher wrote into its data folder (running.json, secrets.json). */
export function readDataFile<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(e2eDataDir, file), "utf8")) as T;
}

/**
 * Another production app server (server/ops/serve.ts, as `npm start` runs it) of the e2e build, on
 * the e2e database, with the webServer's secrets: a second server behind the same load balancer.
 * One process (tsx as a loader, not its CLI's parent), so a signal reaches the server itself.
 */
export async function startAppServer(
  port: number,
  options: { env?: Record<string, string>; onOutput?: (line: string) => void } = {},
) {
  const secrets = readDataFile<{ AUTH_SECRET: string; TOTP_ENCRYPTION_KEY: string; APP_DB_PASSWORD: string }>(
    "secrets.json",
  );
  const { adminUrl } = readDataFile<{ adminUrl: string }>("running.json");
  const { APP_DATABASE_URL: _derived, ...inherited } = process.env;
  const server = spawn(process.execPath, ["--import", "tsx", "server/ops/serve.ts", "--port", String(port)], {
    env: {
      ...inherited,
      ...secrets,
      // The same configuration as the webServer (billing on, against the local Stripe server).
      ...E2E_STRIPE,
      DATABASE_URL: adminUrl,
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      ...options.env,
    },
    // Its log lines (stdout and stderr) go to `onOutput` when given, for specs that read them.
    stdio: options.onOutput ? ["ignore", "pipe", "pipe"] : "ignore",
  });
  if (options.onOutput) {
    const onOutput = options.onOutput;
    for (const stream of [server.stdout, server.stderr]) {
      if (stream) createInterface({ input: stream }).on("line", onOutput);
    }
  }
  await waitForHealthy(`http://127.0.0.1:${port}`, 60_000);
  return server;
}

/** Stops a server with `signal` and waits until it has exited. */
export async function stopAppServer(server: ChildProcess, signal: NodeJS.Signals = "SIGTERM") {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, "exit");
  server.kill(signal);
  await exited;
}
