import { type NextRequest, NextResponse } from "next/server";
import { listeningPort } from "@/server/env";
import { MICROCACHE_BYPASS_HEADER, Microcache, microcacheKey, microcacheRequest } from "@/server/microcache";

// Only this process's own fetches may skip the microcache (a client cannot make every visit render).
const bypassToken = crypto.randomUUID();

// The render sees exactly the cookies the key names, so every visitor of the key gets the same page.
const storefrontCache = new Microcache(async (key) => {
  const { path, cookie } = microcacheRequest(key);
  return fetch(`http://127.0.0.1:${listeningPort()}${path}`, {
    redirect: "manual",
    headers: { [MICROCACHE_BYPASS_HEADER]: bypassToken, cookie },
  });
});

// Every request gets an id (kept if a load balancer already set one) that route handlers log
// and that the response echoes, so a user's report can be matched to the server's logs.
export async function proxy(request: NextRequest) {
  const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
  const key = microcacheKey(
    {
      method: request.method,
      pathname: request.nextUrl.pathname,
      search: request.nextUrl.search,
      headers: request.headers,
      cookie: (name) => request.cookies.get(name)?.value,
    },
    bypassToken,
  );
  if (key) {
    const { response, hit } = await storefrontCache.get(key);
    response.headers.set("x-request-id", requestId);
    response.headers.set("x-zerno-cache", hit ? "hit" : "miss");
    return response;
  }
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  return response;
}

// The POS API sets its own request ids (server/pos/rest.ts) and skips this hop on its hot path.
export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico|api/pos/).*)"] };
