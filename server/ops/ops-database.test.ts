import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedServer, startEmbeddedPostgres } from "@/db/embedded";
import { applyEnv, env } from "../env";
import { dataDirSecrets, openOpsDatabase } from "./database";

const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");

/** `npm run zerno -- …` as an operator types it in another terminal: only the variables given. */
function zerno(args: string[], variables: Record<string, string>) {
  const { DATABASE_URL: _d, APP_DATABASE_URL: _a, APP_DB_PASSWORD: _p, AUTH_SECRET: _s, ...inherited } = process.env;
  return spawnSync(process.execPath, [tsxCli, "server/ops/cli.ts", ...args], {
    env: { ...inherited, ...variables },
    encoding: "utf8",
    timeout: 60_000,
  });
}

// An "external" PostgreSQL of the operator's (its own cluster: the app role's password is
// cluster-wide, so changing it on the shared test server would lock the other test files out).
let server: EmbeddedServer;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), "zerno-ops-"));
  // PostgreSQL runs as its own system user (we are root): it must reach its directory.
  chmodSync(root, 0o755);
  server = await startEmbeddedPostgres(path.join(root, "pg"));
});

afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe("ops CLI beside a demo launched on DATABASE_URL", () => {
  it("uses the app role's password the launcher generated into DATA_DIR", async () => {
    const dataDir = path.join(root, "data");
    // What `DATABASE_URL=… npm run demo` does before it starts the app server.
    const saved = { ...process.env };
    try {
      applyEnv({ DATA_DIR: dataDir, DATABASE_URL: server.adminUrl });
      const config = applyEnv(dataDirSecrets(dataDir));
      const launcher = await openOpsDatabase(config, { configuresAppServer: true });
      await launcher.stop();
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      applyEnv({});
    }
    const generated = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")).APP_DB_PASSWORD;
    expect(generated).not.toBe(env().APP_DB_PASSWORD);

    const run = zerno(["release-holds"], { DATABASE_URL: server.adminUrl, DATA_DIR: dataDir });
    expect(run.stderr).not.toMatch(/password authentication failed/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/expired holds released/);
    // The CLI read the secrets and left them as they were.
    expect(JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")).APP_DB_PASSWORD).toBe(generated);
  });

  it("still takes the operator's own APP_DB_PASSWORD over the data folder's", async () => {
    const run = zerno(["release-holds"], {
      DATABASE_URL: server.adminUrl,
      DATA_DIR: path.join(root, "data"),
      APP_DB_PASSWORD: "not-the-app-roles-password",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/password authentication failed/);
  });
});
