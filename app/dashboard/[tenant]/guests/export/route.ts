// POST /dashboard/<tenant>/guests/export — the guests table's current view as CSV (owner,
// manager; audited). The form's fields are the table's URL parameters (no field: every guest).
// A POST from the back-office's own form, never a GET link: a link or form on another site
// must not make a signed-in owner download (and audit) an export (server/same-origin.ts).
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { parseDirectoryParams } from "@/server/guests/directory-params";
import { crossSiteRefusal } from "@/server/same-origin";
import { serverCaller } from "@/server/trpc/server-caller";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  const slug = (await params).tenant;
  try {
    const form = await request.formData().catch(() => new FormData());
    const view = parseDirectoryParams(
      Object.fromEntries([...form.entries()].map(([name, value]) => [name, String(value)])),
    );
    const csv = await (await serverCaller(slug)).guests.exportCsv({
      filters: view.filters,
      sort: view.sort,
      direction: view.direction,
    });
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
