import { RateLimiterMemory } from "rate-limiter-flexible";
import { PLANS } from "../billing/plans";
import { AppError } from "../errors";
import { retryAfterSeconds } from "../rate-limit";

/**
 * Per-key limits, generous for a busy counter (a POS sends a few requests per check) yet a stop
 * for a runaway integration: 100 requests per second per app server. Kept in memory: a database
 * write on every sale would cost more than the abuse it prevents, and a key is one till, which a
 * load balancer keeps on few servers. (Sign-in limits, where it matters, are in PostgreSQL.)
 */
export const POS_REQUESTS_PER_SECOND = 100;

/** The highest plan rate (Chain's); a request of a slower plan costs proportionally more points. */
const MAX_RATE = Math.max(...Object.values(PLANS).map((plan) => plan.posRequestsPerSecond));
const posLimiter = new RateLimiterMemory({ keyPrefix: "pos", points: MAX_RATE, duration: 1 });

/**
 * Each café's rate by its plan, as the previous request's key state said (pos_key_state reads it
 * in the statement that binds the tenant, so knowing it costs nothing): an upgrade applies from
 * the request after next.
 */
const rateOfTenant = new Map<string, number>();

export function rememberPosRate(tenantId: string, requestsPerSecond: number): void {
  if (rateOfTenant.size > 100_000) rateOfTenant.clear();
  rateOfTenant.set(tenantId, requestsPerSecond);
}

/** Counts one request of the key; 429 with the seconds to wait when over the limit. */
export async function consumePosRateLimit(keyId: string, tenantId: string): Promise<void> {
  const rate = rateOfTenant.get(tenantId) ?? POS_REQUESTS_PER_SECOND;
  try {
    await posLimiter.consume(keyId, MAX_RATE / rate);
  } catch (rejection) {
    const retryAfter = retryAfterSeconds(rejection);
    throw new AppError("rate_limited", `Too many requests; retry in ${retryAfter} s`, "rate_limited", { retryAfter });
  }
}
