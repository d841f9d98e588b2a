import { type NextRequest, NextResponse } from "next/server";

// Every request gets an id (kept if a load balancer already set one) that route handlers log
// and that the response echoes, so a user's report can be matched to the server's logs.
export function proxy(request: NextRequest) {
  const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  return response;
}

// The POS API sets its own request ids (server/pos/rest.ts) and skips this hop on its hot path.
export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico|api/pos/).*)"] };
