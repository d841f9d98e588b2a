import { type NextRequest, NextResponse } from "next/server";
import { malformedActionRequest } from "./server/action-request";
import { publicUrl } from "./server/env";
import { PATH_HEADER } from "./server/i18n/negotiate";
import { logger } from "./server/log";
import { contentSecurityPolicy, isCrossOriginServerAction, newNonce, securityHeaders } from "./server/security-headers";

// Every request gets an id (kept if a load balancer already set one) that route handlers log
// and that the response echoes, so a user's report can be matched to the server's logs. Pages
// get their security headers here: the Content-Security-Policy goes on the request too, where
// Next.js reads the nonce it puts on its scripts.
export async function proxy(request: NextRequest) {
  const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
  if (isCrossOriginServerAction(request)) {
    logger().warn(
      { requestId, origin: request.headers.get("origin"), path: request.nextUrl.pathname },
      "cross-origin server action refused",
    );
    return new NextResponse("Cross-site request refused", {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8", "x-request-id": requestId },
    });
  }
  // A call React's decoder would throw on is no call the app's pages make: 400, not Next's 500.
  const malformed = await malformedActionRequest(request);
  if (malformed) {
    logger().warn({ requestId, path: request.nextUrl.pathname, problem: malformed }, "malformed server action refused");
    return new NextResponse("Malformed server action request", {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8", "x-request-id": requestId },
    });
  }
  const https = publicUrl().startsWith("https:");
  const policy = contentSecurityPolicy(newNonce(), { development: process.env.NODE_ENV === "development", https });
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  headers.set("content-security-policy", policy);
  // Whose page this is decides its language before the visitor chooses one (server/i18n/request.ts).
  headers.set(PATH_HEADER, request.nextUrl.pathname);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  response.headers.set("content-security-policy", policy);
  for (const [name, value] of Object.entries(securityHeaders({ https }))) response.headers.set(name, value);
  return response;
}

// The POS API sets its own request ids (server/pos/rest.ts) and skips this hop on its hot path.
export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico|api/pos/).*)"] };
