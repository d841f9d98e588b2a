/**
 * Requests the Auth.js routes refuse before Auth.js sees them. Auth.js answers a `callbackUrl`
 * that is no http(s) URL (`javascript:…`) with a 500 "server configuration" page, and a JSON or
 * garbage body, or a provider it does not have, with an error logged as the app's fault: each is
 * a client's mistake (or an attack), so it gets a 4xx in JSON here.
 */

const CALLBACK_COOKIE = /(^|;\s*)(__Secure-)?[\w.-]*callback-url=([^;]*)/gi;

/** Whether Auth.js would accept this as a callback URL: http(s), relative to the site or absolute. */
function isHttpUrl(value: string, base: string): boolean {
  try {
    const url = new URL(value, base);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function refusal(status: number, error: string): Response {
  return Response.json({ error }, { status, headers: { "cache-control": "no-store" } });
}

/**
 * A 400, 404 or 415 for a request to `/api/<base>/…` that Auth.js would fail on, else null (let
 * Auth.js answer). `providers` are the ids that instance has.
 */
export function refuseAuthRequest(request: Request, providers: readonly string[]): Response | null {
  const url = new URL(request.url);
  const callbacks = [url.searchParams.get("callbackUrl")];
  for (const match of (request.headers.get("cookie") ?? "").matchAll(CALLBACK_COOKIE)) {
    let value = match[3] ?? "";
    try {
      value = decodeURIComponent(value);
    } catch {
      return refusal(400, "invalid_callback_url");
    }
    callbacks.push(value);
  }
  if (callbacks.some((value) => value !== null && !isHttpUrl(value, url.origin))) {
    return refusal(400, "invalid_callback_url");
  }
  const [, , , action, provider] = url.pathname.split("/");
  if ((action === "callback" || action === "signin") && provider && !providers.includes(provider)) {
    return refusal(404, "unknown_provider");
  }
  if (request.method === "POST") {
    const type = request.headers.get("content-type") ?? "";
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) return refusal(415, "form_body_required");
  }
  return null;
}
