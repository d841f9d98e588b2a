// GET /<tenant>/me/export — "download my data": everything the café holds about the signed-in guest, as JSON (audited).
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { redirect } from "next/navigation";
import { guestSignInPath } from "@/server/guest-auth/guard";
import { findTenantBySlug } from "@/server/tenants/queries";
import { serverCaller } from "@/server/trpc/server-caller";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ tenant: string }> }) {
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
    if (error.code === "UNAUTHORIZED") redirect(guestSignInPath(tenant.slug, `/${tenant.slug}/me/profile`));
    return new Response(error.message, { status: getHTTPStatusCodeFromError(error) });
  }
}
