import { RateLimiterMemory } from "rate-limiter-flexible";
import { AppError } from "../errors";
import { retryAfterSeconds } from "../rate-limit";

/**
 * Per-key limits, generous for a busy counter (a POS sends a few requests per check) yet a stop
 * for a runaway integration: 100 requests per second per app server. Kept in memory: a database
 * write on every sale would cost more than the abuse it prevents, and a key is one till, which a
 * load balancer keeps on few servers. (Sign-in limits, where it matters, are in PostgreSQL.)
 */
export const POS_REQUESTS_PER_SECOND = 100;

const posLimiter = new RateLimiterMemory({ keyPrefix: "pos", points: POS_REQUESTS_PER_SECOND, duration: 1 });

/** Counts one request of the key; 429 with the seconds to wait when over the limit. */
export async function consumePosRateLimit(keyId: string): Promise<void> {
  try {
    await posLimiter.consume(keyId);
  } catch (rejection) {
    const retryAfter = retryAfterSeconds(rejection);
    throw new AppError("rate_limited", `Too many requests; retry in ${retryAfter} s`, "rate_limited", { retryAfter });
  }
}
