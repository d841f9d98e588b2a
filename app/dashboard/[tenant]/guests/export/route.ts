// POST /dashboard/<tenant>/guests/export — the guest list as CSV (owner, manager; audited).
// A POST from the analytics page's own form, never a GET link: a link or form on another site
// must not make a signed-in owner download (and audit) an export (server/same-origin.ts).
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { crossSiteRefusal } from "@/server/same-origin";
import { serverCaller } from "@/server/trpc/server-caller";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  const slug = (await params).tenant;
  try {
    const csv = await (await serverCaller(slug)).guests.exportCsv();
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${slug}-guests.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return new Response(error.message, { status: getHTTPStatusCodeFromError(error) });
  }
}
