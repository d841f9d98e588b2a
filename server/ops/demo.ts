// npm run demo — one command from a fresh clone to a running Zerno with demo data:
// database (embedded PostgreSQL unless DATABASE_URL is set) → migrations → idempotent seed →
// production build when sources changed → the production server (server/ops/serve.ts). Ctrl-C stops
// the server and PostgreSQL.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";
import { DEMO_PASSWORD, DEMO_STAFF, DEMO_TOTP_SECRETS, seed } from "@/db/seed";
import { applyEnv, childProcessEnv, EnvError, env, publicUrl } from "../env";
import { scheduleDailyBackups } from "./backup";
import { buildForProduction } from "./build";
import { dataDirSecrets, openOpsDatabase, recreateDatabase } from "./database";
import { buildIsStale } from "./launch";

const { values: args } = parseArgs({
  options: {
    dev: { type: "boolean", default: false },
    port: { type: "string" },
    "data-dir": { type: "string" },
    fresh: { type: "boolean", default: false },
    "skip-build": { type: "boolean", default: false },
  },
});

const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");

async function main() {
  const overrides: Record<string, string> = {};
  if (args["data-dir"]) overrides.DATA_DIR = args["data-dir"];
  if (args.port) overrides.PORT = args.port;
  let config = applyEnv(overrides);
  const dataDir = path.resolve(config.DATA_DIR);
  if (args.fresh) {
    // --fresh throws the data away: the data directory, and with DATABASE_URL its database too.
    rmSync(dataDir, { recursive: true, force: true });
    if (config.DATABASE_URL) await recreateDatabase(config.DATABASE_URL);
  }
  mkdirSync(dataDir, { recursive: true });
  config = applyEnv({
    ...dataDirSecrets(dataDir),
    NODE_ENV: args.dev ? "development" : "production",
    // The demo has no mail provider: its invitations and reset links are read at /dev/outbox.
    EMAIL_OUTBOX_PAGE: String(env().EMAIL_OUTBOX_PAGE ?? true),
    // Mailed links go to the address printed below: opened in the same browser, they keep the
    // guest's cart (kept per origin — localhost and 127.0.0.1 are two different ones).
    PUBLIC_URL: publicUrl(config),
  });

  step(config.DATABASE_URL ? "Using DATABASE_URL" : `Starting embedded PostgreSQL in ${path.join(dataDir, "pg")}`);
  const database = await openOpsDatabase(config, { configuresAppServer: true });
  let server: ChildProcess | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    step("Stopping…");
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server?.once("exit", resolve));
    }
    await database.stop().catch(() => {});
    step("Stopped cleanly.");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  // The launcher's daily backup, with retention (BACKUP_DAILY=false turns it off).
  if (config.BACKUP_DAILY !== false) {
    const folder = path.join(dataDir, "backups");
    const stopBackups = scheduleDailyBackups({
      adminUrl: database.adminUrl,
      folder,
      keep: config.BACKUP_KEEP,
      log: step,
    });
    process.once("exit", stopBackups);
    step(`Daily backups into ${folder} (the ${config.BACKUP_KEEP} newest kept)`);
  }

  step("Migrations applied. Seeding demo data…");
  const { db, client } = openDatabase(database.appUrl, { max: 4 });
  const seeded = await seed(db);
  await client.end();
  for (const tenant of seeded.tenants) {
    step(tenant.created ? `Tenant ${tenant.slug}: demo data created` : `Tenant ${tenant.slug}: already seeded, reused`);
  }

  // The launcher makes the daily backups itself: the server it starts does not.
  const childEnv = childProcessEnv({
    DATABASE_URL: database.adminUrl,
    APP_DATABASE_URL: database.appUrl,
    BACKUP_DAILY: "false",
  });
  if (!args.dev && !args["skip-build"] && buildIsStale()) {
    step("Building for production (npm run build)…");
    if (!buildForProduction({ env: childEnv })) {
      console.error("next build failed");
      return shutdown(1);
    }
  }
  // Production: Next behind the storefront's microcache (server/ops/serve.ts, what `npm start` runs).
  const command = args.dev
    ? [nextBin, "dev", "-p", String(config.PORT)]
    : [tsxCli, "server/ops/serve.ts", "--port", String(config.PORT)];
  server = spawn(process.execPath, command, { stdio: "inherit", env: childEnv });
  server.once("exit", (code) => void shutdown(code ?? 1));
  await waitForHealth(config.PORT);
  printBanner(publicUrl(config));
}

async function waitForHealth(port: number) {
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("The server did not become healthy within 2 minutes");
}

function printBanner(base: string) {
  const staff = DEMO_STAFF.map((member) => {
    const secret = DEMO_TOTP_SECRETS[member.role as keyof typeof DEMO_TOTP_SECRETS];
    return `    ${member.email.padEnd(28)} ${member.role.padEnd(8)}${secret ? ` TOTP secret ${secret}` : ""}`;
  });
  console.log(
    [
      "",
      "  Zerno is running.",
      `    Storefront  ${base}/demo`,
      `    Back-office ${base}/dashboard/demo`,
      `    Health      ${base}/api/health`,
      "",
      `  Demo staff (password: ${DEMO_PASSWORD}):`,
      ...staff,
      "",
      "  POS key:  npm run zerno -- pos-keys create --tenant demo --location tverskaya",
      "  Ctrl-C stops the server and PostgreSQL.",
      "",
    ].join("\n"),
  );
}

function step(message: string) {
  console.log(`[zerno] ${message}`);
}

main().catch((error) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
