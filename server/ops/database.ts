import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { appDatabaseUrl, applyEnv, DEV_APP_DB_PASSWORD, type Env, env } from "../env";

export type OpsDatabase = {
  adminUrl: string;
  appUrl: string;
  /** True when this process started the embedded server (and so must stop it). */
  owned: boolean;
  stop: () => Promise<void>;
};

type RunningServer = { adminUrl: string; pid: number };

const runningFile = (dataDir: string) => path.join(dataDir, "running.json");

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The database for the launcher and the ops CLI: DATABASE_URL's server when set; otherwise the
 * embedded PostgreSQL under DATA_DIR — reused when a running `npm run demo` already serves it
 * (a data directory can be opened by one postmaster only), started here when not. Migrated.
 */
export async function openOpsDatabase(
  given: Env,
  options: { log?: (line: string) => void; configuresAppServer?: boolean } = {},
): Promise<OpsDatabase> {
  const dataDir = path.resolve(given.DATA_DIR);
  // The embedded server's app-role password lives beside its data; an external server's is the
  // operator's (APP_DB_PASSWORD or APP_DATABASE_URL), and only the launcher that configures the
  // app server sets it — an ops command must never change it under a running app.
  const config = given.DATABASE_URL ? given : applyEnv(dataDirSecrets(dataDir));
  const setsAppPassword = options.configuresAppServer === true || !config.DATABASE_URL;
  let adminUrl: string;
  let stop = async () => {};
  let owned = false;
  const running = config.DATABASE_URL ? null : readRunning(dataDir);
  if (config.DATABASE_URL || running) {
    adminUrl = config.DATABASE_URL ?? running?.adminUrl ?? "";
  } else {
    const server = await startEmbeddedPostgres(path.join(dataDir, "pg"), { log: options.log });
    adminUrl = server.adminUrl;
    owned = true;
    stop = () => server.stop();
  }
  // The launcher announces the database it serves from, so ops commands and tests beside it use it.
  if (options.configuresAppServer) {
    const file = runningFile(dataDir);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ adminUrl, pid: process.pid } satisfies RunningServer));
    const stopServer = stop;
    stop = async () => {
      rmSync(file, { force: true });
      await stopServer();
    };
  }
  await migrateDatabase(adminUrl, setsAppPassword ? config.APP_DB_PASSWORD : undefined);
  const appUrl = appDatabaseUrl({ ...config, DATABASE_URL: adminUrl });
  return { adminUrl, appUrl, owned, stop };
}

function readRunning(dataDir: string): RunningServer | null {
  const file = runningFile(dataDir);
  if (!existsSync(file)) return null;
  try {
    const running = JSON.parse(readFileSync(file, "utf8")) as RunningServer;
    if (running.pid !== process.pid && isAlive(running.pid)) return running;
  } catch {
    // A torn file from a crash: treat as not running.
  }
  rmSync(file, { force: true });
  return null;
}

/**
 * The secrets of a data directory, made once and kept in DATA_DIR/secrets.json, so sessions,
 * sealed TOTP secrets and the app role's password survive restarts and every ops command (demo,
 * CLI, simulator) agrees on them. Values set in the environment win.
 */
export function dataDirSecrets(dataDir: string): Record<string, string> {
  const file = path.join(dataDir, "secrets.json");
  const stored: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const config = env();
  const random = () => randomBytes(32).toString("base64url");
  const ownPassword = config.APP_DB_PASSWORD !== DEV_APP_DB_PASSWORD ? config.APP_DB_PASSWORD : undefined;
  const secrets = {
    AUTH_SECRET: config.AUTH_SECRET ?? stored.AUTH_SECRET ?? random(),
    TOTP_ENCRYPTION_KEY: config.TOTP_ENCRYPTION_KEY ?? stored.TOTP_ENCRYPTION_KEY ?? random(),
    APP_DB_PASSWORD: ownPassword ?? stored.APP_DB_PASSWORD ?? random(),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** Drops and creates the database of `url` (for --fresh runs on a server of one's own). */
export async function recreateDatabase(url: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[\w-]+$/.test(name)) throw new Error(`Refusing to recreate a database named ${JSON.stringify(name)}`);
  target.pathname = "/postgres";
  const maintenance = postgres(target.toString(), { max: 1, onnotice: () => {} });
  try {
    await maintenance.unsafe(`drop database if exists "${name}" with (force)`);
    await maintenance.unsafe(`create database "${name}"`);
  } finally {
    await maintenance.end();
  }
}
