import path from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { APP_ROLE } from "./app-role";
import { installJobQueue } from "./queue/install";

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Applies the committed drizzle-kit migrations and installs the job queue's schema with the admin
 * connection; with `appPassword`, also lets the application role log in with it (only whoever
 * configures the app server may).
 * Safe to run on every start.
 */
export async function migrateDatabase(adminUrl: string, appPassword?: string): Promise<void> {
  const client = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    // Two starts racing (app servers behind a load balancer) must not migrate twice at once.
    await client`select pg_advisory_lock(7345001)`;
    await migrate(drizzle(client), { migrationsFolder });
    // The job queue's schema (pgboss) and queues, made here with the owner's rights.
    await installJobQueue(adminUrl);
    if (appPassword !== undefined) {
      await client.unsafe(`alter role ${APP_ROLE} with login password '${appPassword.replaceAll("'", "''")}'`);
    }
  } finally {
    await client`select pg_advisory_unlock(7345001)`.catch(() => {});
    await client.end();
  }
}
