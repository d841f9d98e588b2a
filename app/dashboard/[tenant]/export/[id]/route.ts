// GET /dashboard/<tenant>/export/<id> — a finished archive of the café's full export (zip). It
// writes nothing (starting the export, a POST, is what is audited), so a plain link may fetch it.

import { AppError } from "@/server/errors";
import { archiveForDownload } from "@/server/exports/download";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  try {
    const archive = await archiveForDownload(tenant, id);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of archive.chunks) controller.enqueue(new Uint8Array(chunk));
        controller.close();
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "application/zip",
        "content-length": String(archive.bytes),
        "content-disposition": `attachment; filename="${archive.fileName}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof AppError) return new Response("Not found", { status: 404 });
    throw error;
  }
}
