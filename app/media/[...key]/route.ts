// GET /media/<key> — an uploaded file (menu photos: /media/menu/<hash>-<width>.webp). Names are
// content-addressed, so a response never changes: cached by browsers and CDNs for a year.
import { isStorageKey, storage } from "@/server/storage/storage";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ key: string[] }> }) {
  const key = (await params).key.join("/");
  const stored = isStorageKey(key) ? await storage().get(key) : null;
  if (!stored) {
    return new Response("Not found", { status: 404, headers: { "cache-control": "no-store" } });
  }
  return new Response(new Uint8Array(stored.data), {
    headers: {
      "content-type": stored.contentType,
      "content-length": String(stored.data.length),
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    },
  });
}
