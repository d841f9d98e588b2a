import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterRes } from "rate-limiter-flexible";
import type { Database } from "@/db/client";
import { AppError } from "../errors";

/**
 * Per-key limits, generous for a busy counter (a POS sends a few requests per check) yet a stop
 * for a runaway integration: 100 requests per second. Kept in PostgreSQL so the limit holds
 * across app servers; in memory when PostgreSQL cannot answer (insurance), never blocking sales.
 */
export const POS_REQUESTS_PER_SECOND = 100;

type SqlClient = { unsafe: (text: string, values?: unknown[]) => Promise<unknown[]> };

let limiter: RateLimiterPostgres | undefined;

function posLimiter(db: Database): RateLimiterPostgres {
  if (!limiter) {
    const client = (db as unknown as { $client: SqlClient }).$client;
    limiter = new RateLimiterPostgres({
      // rate-limiter-flexible speaks node-postgres; this adapter gives it postgres.js's pool.
      storeClient: {
        query: ({ text, values }: { text: string; values?: unknown[] }) =>
          client.unsafe(text, values).then((rows) => ({ rows })),
      },
      storeType: "client",
      tableName: "rate_limits",
      tableCreated: true,
      keyPrefix: "pos",
      points: POS_REQUESTS_PER_SECOND,
      duration: 1,
      inMemoryBlockOnConsumed: POS_REQUESTS_PER_SECOND,
      insuranceLimiter: new RateLimiterMemory({ points: POS_REQUESTS_PER_SECOND, duration: 1 }),
    });
  }
  return limiter;
}

/** Counts one request of the key; 429 with the seconds to wait when over the limit. */
export async function consumePosRateLimit(db: Database, keyId: string): Promise<void> {
  try {
    await posLimiter(db).consume(keyId);
  } catch (rejection) {
    if (rejection instanceof Error) throw rejection;
    const retryAfter = Math.max(1, Math.ceil((rejection as RateLimiterRes).msBeforeNext / 1000));
    throw new AppError("rate_limited", `Too many requests; retry in ${retryAfter} s`, "rate_limited", { retryAfter });
  }
}
