import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Database } from "@/db/client";
import { AppError } from "../errors";
import { limiterCache, postgresLimiter, retryAfterSeconds } from "../rate-limit";

/**
 * Per-key limits, generous for a busy counter (a POS sends a few requests per check) yet a stop
 * for a runaway integration: 100 requests per second. In memory when PostgreSQL cannot answer
 * (insurance), so the limiter never blocks sales.
 */
export const POS_REQUESTS_PER_SECOND = 100;

const posLimiter = limiterCache((db: Database) =>
  postgresLimiter(db, {
    keyPrefix: "pos",
    points: POS_REQUESTS_PER_SECOND,
    duration: 1,
    inMemoryBlockOnConsumed: POS_REQUESTS_PER_SECOND,
    insuranceLimiter: new RateLimiterMemory({ points: POS_REQUESTS_PER_SECOND, duration: 1 }),
  }),
);

/** Counts one request of the key; 429 with the seconds to wait when over the limit. */
export async function consumePosRateLimit(db: Database, keyId: string): Promise<void> {
  try {
    await posLimiter(db).consume(keyId);
  } catch (rejection) {
    const retryAfter = retryAfterSeconds(rejection);
    throw new AppError("rate_limited", `Too many requests; retry in ${retryAfter} s`, "rate_limited", { retryAfter });
  }
}
