// /api/guest-auth/* — Auth.js for guests (magic-link callback, session, sign-out).
import type { NextRequest } from "next/server";
import { guestAuthHandlers } from "@/server/guest-auth/config";
import { expiredLinkRedirect } from "@/server/guest-auth/sign-in";

export const POST = guestAuthHandlers.POST;

/** A used or expired magic link goes back to its café's sign-in with a message, not Auth.js's error page. */
export async function GET(request: NextRequest) {
  const response = await guestAuthHandlers.GET(request);
  const location = response.headers.get("location");
  const replacement = location ? expiredLinkRedirect(request.nextUrl, location) : null;
  if (!replacement) return response;
  const redirected = new Response(null, { status: 302, headers: { location: replacement } });
  for (const cookie of response.headers.getSetCookie()) redirected.headers.append("set-cookie", cookie);
  return redirected;
}
