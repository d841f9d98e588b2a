// GET /api/pos/v1/openapi.json — the POS API's OpenAPI 3 document; needs no key.
import { posOpenApiDocument } from "@/server/pos/openapi";

export function GET() {
  return Response.json(posOpenApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
