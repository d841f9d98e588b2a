import { type SQL, sql } from "drizzle-orm";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { appDatabaseUrl, databaseConfig } from "./config";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction handle, as domain functions receive it. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Opens a drizzle database over postgres.js. */
export function openDatabase(
  url: string,
  options: {
    max?: number;
    pgbouncer?: boolean;
    /** Called for each statement sent (benchmarks count them). */
    onStatement?: () => void;
  } = {},
) {
  const client = postgres(url, {
    ...(options.onStatement ? { debug: options.onStatement } : {}),
    max: options.max ?? 10,
    // PgBouncer in transaction mode cannot keep prepared statements between transactions.
    prepare: !options.pgbouncer,
    onnotice: () => {},
    connection: { application_name: "zerno" },
  });
  return { db: drizzle(preparedByDefault(client), { schema, casing: "snake_case" }), client };
}

const MAX_PREPARED_PARAMETERS = 100;

/**
 * drizzle sends every statement through `sql.unsafe`, which postgres.js runs unprepared: each
 * execution is then parsed and planned again, and one with parameters costs two round trips
 * (describe, then execute). Prepared by default, a statement is planned once per connection and
 * answered in one round trip. (With PgBouncer the connection option `prepare: false` still wins.)
 */
function preparedByDefault(sql: postgres.Sql): postgres.Sql {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, args: unknown[] = [], options: { prepare?: boolean } = {}) =>
          // drizzle passes `prepare: false` itself unless a query is named: overridden here.
          // Not the one-off statements with a long list of values (a bulk insert): each kept prepared
          // on every connection would only take memory.
          target.unsafe(query, args as postgres.ParameterOrJSON<never>[], {
            ...options,
            prepare: args.length > 0 && args.length <= MAX_PREPARED_PARAMETERS,
          });
      }
      if (property === "begin" || property === "savepoint") {
        const open = Reflect.get(target, property, receiver) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) =>
          open.apply(
            target,
            args.map((arg) =>
              typeof arg === "function" ? (inner: postgres.Sql) => arg(preparedByDefault(inner)) : arg,
            ),
          );
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

const globalForDb = globalThis as unknown as { zernoDb?: ReturnType<typeof openDatabase> };

/** The app's pool (role without BYPASSRLS), opened once per process. */
export function appDb(): Database {
  if (!globalForDb.zernoDb) {
    const config = databaseConfig();
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
 * `readAlong` (a set-returning function that does not depend on the binding, such as a SECURITY
 * DEFINER lookup) is read by the binding statement itself — one round trip less on hot paths —
 * and its row (or null) is handed to `work`.
 */
export async function withTenant<T, Along extends Record<string, unknown> = Record<string, unknown>>(
  tenantId: string,
  work: (tx: Tx, along: Along | null) => Promise<T>,
  db: Database = appDb(),
  readAlong?: SQL,
): Promise<T> {
  return db.transaction(async (tx) => {
    const bind = sql`set_config('app.tenant_id', ${tenantId}, true)`;
    if (!readAlong) {
      await tx.execute(sql`select ${bind}`);
      return work(tx, null);
    }
    // The outer join binds the tenant even when the function returns no row.
    const [row] = await tx.execute<Along>(
      sql`select ${bind} as bound_tenant, along.* from (values (1)) as one (x) left join ${readAlong} as along on true`,
    );
    return work(tx, (row as Along | undefined) ?? null);
  });
}
