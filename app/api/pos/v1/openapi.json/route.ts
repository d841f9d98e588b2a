// GET /api/pos/v1/openapi.json — the POS API's OpenAPI 3 document; needs no key. Other methods
// get the contract's JSON 404 like any unknown path.
import { posOpenApiDocument } from "@/server/pos/openapi";

export function GET() {
  return Response.json(posOpenApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}

export { DELETE, PATCH, POST, PUT } from "../[...path]/route";
