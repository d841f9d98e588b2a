// /api/guest-auth/* — Auth.js for guests: only the magic-link callback and the session over HTTP.
// Links are requested (rate-limited) and sessions ended by the café's pages through server actions,
// which call Auth.js in-process; its own sign-in pages and POST endpoints stay closed.
import type { NextRequest } from "next/server";
import { guestAuthHandlers } from "@/server/guest-auth/config";
import { expiredLinkRedirect } from "@/server/guest-auth/sign-in";

const notFound = () => new Response("Not found", { status: 404 });

export function POST() {
  return notFound();
}

/** A used or expired magic link goes back to its café's sign-in with a message, not Auth.js's error page. */
export async function GET(request: NextRequest) {
  const action = request.nextUrl.pathname.split("/")[3] ?? "";
  if (!["callback", "session", "csrf"].includes(action)) return notFound();
  const response = await guestAuthHandlers.GET(request);
  const location = response.headers.get("location");
  const replacement = location ? expiredLinkRedirect(request.nextUrl, location) : null;
  if (!replacement) return response;
  const redirected = new Response(null, { status: 302, headers: { location: replacement } });
  for (const cookie of response.headers.getSetCookie()) redirected.headers.append("set-cookie", cookie);
  return redirected;
}
