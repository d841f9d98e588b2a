// POST /<tenant>/me/export — "download my data": everything the café holds about the signed-in guest, as JSON (audited).
// A POST from the profile page's own form, never a GET link: a link or form on another site must
// not make a signed-in guest download (and audit) their data (server/same-origin.ts).
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { guestSignInPath } from "@/server/guest-auth/guard";
import { crossSiteRefusal } from "@/server/same-origin";
import { findTenantBySlug } from "@/server/tenants/queries";
import { serverCaller } from "@/server/trpc/server-caller";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  const tenant = await findTenantBySlug((await params).tenant);
  if (!tenant) return new Response("Not found", { status: 404 });
  try {
    const data = await (await serverCaller(tenant.slug)).cabinet.exportData();
    const day = data.exportedAt.slice(0, 10);
    return new Response(JSON.stringify(data, null, 2), {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${tenant.slug}-my-data-${day}.json"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    // 303: the sign-in page is then opened with a GET (a 307 would repeat the POST there).
    if (error.code === "UNAUTHORIZED") {
      return new Response(null, {
        status: 303,
        headers: { location: guestSignInPath(tenant.slug, `/${tenant.slug}/me/profile`), "cache-control": "no-store" },
      });
    }
    return new Response(error.message, { status: getHTTPStatusCodeFromError(error) });
  }
}
