// POST /dashboard/<tenant>/guests/import/upload — a guest file as the request body (owner, manager).
// Streamed into a new import as it arrives (never held whole, refused past the limits); answers
// the import's id. Only this site's own page may send it (server/same-origin.ts).
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { readUploadIntoBatch } from "@/server/guests/import/batches";
import { MAX_IMPORT_BYTES } from "@/server/guests/import/read";
import { crossSiteRefusal } from "@/server/same-origin";
import { serverCaller } from "@/server/trpc/server-caller";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  const slug = (await params).tenant;
  if (Number(request.headers.get("content-length") ?? 0) > MAX_IMPORT_BYTES) {
    return Response.json({ error: "too_large" }, { status: 413 });
  }
  if (!request.body) return Response.json({ error: "empty_file" }, { status: 400 });
  let fileName = "guests";
  try {
    fileName = decodeURIComponent(request.headers.get("x-file-name") ?? "guests");
  } catch {
    // A name that is not URI-encoded: the default stands.
  }
  let started: { batchId: string; tenantId: string };
  try {
    started = await (await serverCaller(slug)).guestImport.beginUpload({
      fileName: fileName.slice(0, 200) || "guests",
    });
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return Response.json({ error: error.message }, { status: getHTTPStatusCodeFromError(error) });
  }
  const batch = await readUploadIntoBatch(
    started.tenantId,
    started.batchId,
    request.body as unknown as AsyncIterable<Uint8Array>,
  );
  return Response.json({ batchId: batch.id, status: batch.status });
}
