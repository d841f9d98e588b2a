/**
 * The client's address: the first hop of X-Forwarded-For (set by the load balancer, and by Next
 * itself when serving directly), or null.
 */
export function clientIp(headers: Headers): string | null {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null;
}
