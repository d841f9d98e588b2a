// POST /dashboard/<tenant>/menu/photo — a product's photo (multipart: productId, photo) from the
// menu editor (owner, manager; audited). Checked by content and size, resized to WebP, stored,
// then set on the product; answers { photoKey } or { error } (a reason the editor translates).
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { staffAccessFor } from "@/server/auth/guard";
import { AppError } from "@/server/errors";
import { MAX_PHOTO_BYTES, storeProductPhoto } from "@/server/menu/photos";
import { crossSiteRefusal } from "@/server/same-origin";
import { storage } from "@/server/storage/storage";
import { actionError } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

export const dynamic = "force-dynamic";

const answer = (body: unknown, status = 200) =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });

export async function POST(request: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  const slug = (await params).tenant;
  // Who may, before any image work: decoding photos is not for strangers.
  const access = await staffAccessFor(slug, "menu.manage");
  if (!access.ok) return answer({ error: access.reason }, access.reason === "forbidden" ? 403 : 404);
  // A body far over the limit is refused by its declared length, before it is read; one without a
  // length (chunked) could be of any size, so it is refused too (browsers always send the length).
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (!Number.isFinite(declared)) return answer({ error: "length_required" }, 411);
  if (declared > MAX_PHOTO_BYTES + 64 * 1024) return answer({ error: "photo_too_large" }, 413);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return answer({ error: "invalid_request" }, 400);
  }
  const productId = String(form.get("productId") ?? "");
  const file = form.get("photo");
  if (!(file instanceof File)) return answer({ error: "photo_empty" }, 400);
  try {
    const { key } = await storeProductPhoto(storage(), Buffer.from(await file.arrayBuffer()));
    await (await serverCaller(slug)).menu.setProductPhoto({ productId, photoKey: key });
    return answer({ photoKey: key });
  } catch (error) {
    if (error instanceof AppError) return answer({ error: error.reason ?? error.code }, 422);
    if (error instanceof TRPCError) return answer(actionError(error), getHTTPStatusCodeFromError(error));
    throw error;
  }
}
