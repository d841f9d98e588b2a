/**
 * Whether a state-changing request (a POST of a form of ours) was sent by a page of this site, and
 * not by a form or script on another site riding the visitor's cookies (CSRF). Browsers say so
 * in `Sec-Fetch-Site` (it must be "same-origin"); a client without it must send an `Origin`
 * whose host is the one the request was sent to. Neither header: refused, since every browser
 * sends one of them with a form's POST.
 */
export function isSameOriginRequest(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin";
  const origin = request.headers.get("origin");
  if (origin === null || origin === "null") return false;
  let originHost: string;
  try {
    const parsed = new URL(origin);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
    originHost = parsed.host;
  } catch {
    return false;
  }
  // The host the browser addressed: behind a proxy the forwarded one (a cross-site page cannot set either).
  const hosts = [
    request.headers.get("x-forwarded-host")?.split(",")[0]?.trim(),
    request.headers.get("host"),
    new URL(request.url).host,
  ];
  return hosts.some((host) => host && host.toLowerCase() === originHost);
}

/** A 403 for a request `isSameOriginRequest` refuses, else null (go on). */
export function crossSiteRefusal(request: Request): Response | null {
  if (isSameOriginRequest(request)) return null;
  return new Response("Cross-site request refused", {
    status: 403,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
