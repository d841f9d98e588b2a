import { sql } from "drizzle-orm";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { appDatabaseUrl, env } from "../server/env";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction handle, as domain functions receive it. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Opens a drizzle database over postgres.js. */
export function openDatabase(url: string, options: { max?: number; pgbouncer?: boolean } = {}) {
  const client = postgres(url, {
    max: options.max ?? 10,
    // PgBouncer in transaction mode cannot keep prepared statements between transactions.
    prepare: !options.pgbouncer,
    onnotice: () => {},
    connection: { application_name: "zerno" },
  });
  return { db: drizzle(client, { schema, casing: "snake_case" }), client };
}

const globalForDb = globalThis as unknown as { zernoDb?: ReturnType<typeof openDatabase> };

/** The app's pool (role without BYPASSRLS), opened once per process. */
export function appDb(): Database {
  if (!globalForDb.zernoDb) {
    const config = env();
    globalForDb.zernoDb = openDatabase(appDatabaseUrl(config), {
      max: config.DATABASE_POOL_SIZE,
      pgbouncer: config.DATABASE_PGBOUNCER,
    });
  }
  return globalForDb.zernoDb.db;
}

/**
 * Runs `work` in one transaction bound to `tenantId`: RLS then shows and accepts only that
 * tenant's rows. `set_config(…, true)` is transaction-local, so it is safe behind PgBouncer.
 */
export async function withTenant<T>(
  tenantId: string,
  work: (tx: Tx) => Promise<T>,
  db: Database = appDb(),
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
    return work(tx);
  });
}
