import { type IRateLimiterStoreOptions, RateLimiterPostgres, type RateLimiterRes } from "rate-limiter-flexible";
import type { Database } from "@/db/client";

type SqlClient = { unsafe: (text: string, values?: unknown[]) => Promise<unknown[] & { count?: number }> };

/**
 * A rate-limiter-flexible limiter kept in PostgreSQL (table rate_limits), so a limit holds
 * across app servers. rate-limiter-flexible speaks node-postgres; the adapter below gives it the
 * app's postgres.js pool instead of a second pool.
 */
export function postgresLimiter(db: Database, options: Omit<IRateLimiterStoreOptions, "storeClient">) {
  const client = (db as unknown as { $client: SqlClient }).$client;
  return new RateLimiterPostgres({
    ...options,
    storeClient: {
      query: ({ text, values }: { text: string; values?: unknown[] }) =>
        client.unsafe(text, values).then((rows) => ({ rows, rowCount: rows.count ?? rows.length })),
    },
    storeType: "client",
    tableName: "rate_limits",
    tableCreated: true,
  });
}

/** The seconds to wait from a limiter's rejection; rethrows anything that is not a rejection. */
export function retryAfterSeconds(rejection: unknown): number {
  if (rejection instanceof Error) throw rejection;
  return Math.max(1, Math.ceil((rejection as RateLimiterRes).msBeforeNext / 1000));
}

/** One limiter per database and purpose, created on first use. */
export function limiterCache<T>(create: (db: Database) => T): (db: Database) => T {
  const limiters = new WeakMap<Database, T>();
  return (db) => {
    let limiter = limiters.get(db);
    if (!limiter) {
      limiter = create(db);
      limiters.set(db, limiter);
    }
    return limiter;
  };
}
