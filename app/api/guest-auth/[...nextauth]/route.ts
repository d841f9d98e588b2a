// /api/guest-auth/* — Auth.js for guests: only the magic-link callback and the session over HTTP.
// Links are requested (rate-limited) and sessions ended by the café's pages through server actions,
// which call Auth.js in-process; its own sign-in pages and POST endpoints stay closed.
import type { NextRequest } from "next/server";
import { refuseAuthRequest } from "@/server/auth/route-guard";
import { guestAuthHandlers } from "@/server/guest-auth/config";
import { expiredLinkRedirect } from "@/server/guest-auth/sign-in";
import { isStorableText } from "@/server/input-text";

/** Whether a magic link's token and address could be ones we mailed. */
function plausibleLink(params: URLSearchParams): boolean {
  const token = params.get("token") ?? "";
  const email = params.get("email") ?? "";
  const sized = token.length > 0 && token.length <= 512 && email.length > 0 && email.length <= 320;
  return sized && isStorableText(token) && isStorableText(email);
}

const notFound = () => new Response("Not found", { status: 404 });

export function POST() {
  return notFound();
}

/** A used or expired magic link goes back to its café's sign-in with a message, not Auth.js's error page. */
export async function GET(request: NextRequest) {
  const action = request.nextUrl.pathname.split("/")[3] ?? "";
  if (!["callback", "session", "csrf"].includes(action)) return notFound();
  const refused = refuseAuthRequest(request, ["resend"]);
  if (refused) return refused;
  // A link no mail of ours could hold (a NUL, a token or address of any length) is an old link,
  // said as such, before Auth.js looks it up and fails in the database.
  if (action === "callback" && !plausibleLink(request.nextUrl.searchParams)) {
    const expired = expiredLinkRedirect(request.nextUrl, "/api/guest-auth/error?error=Verification");
    return new Response(null, { status: 302, headers: { location: expired ?? "/" } });
  }
  const response = await guestAuthHandlers.GET(request);
  const location = response.headers.get("location");
  const replacement = location ? expiredLinkRedirect(request.nextUrl, location) : null;
  if (!replacement) return response;
  const redirected = new Response(null, { status: 302, headers: { location: replacement } });
  for (const cookie of response.headers.getSetCookie()) redirected.headers.append("set-cookie", cookie);
  return redirected;
}
