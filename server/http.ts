import { env } from "./env";

/**
 * The client's address from X-Forwarded-For, counting TRUSTED_PROXY_HOPS entries from the right:
 * entries further left were written by the client and prove nothing. With no proxy (0 hops) the
 * address is unknown here, and null is returned. Used for rate limits and the audit log.
 */
export function clientIp(headers: Headers, hops = env().TRUSTED_PROXY_HOPS): string | null {
  if (hops === 0) return null;
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return chain.at(-hops) ?? null;
}
