// GET /api/pos/v1/openapi.json — the POS API's OpenAPI 3 document; needs no key. Other methods
// get the contract's JSON 404 like any unknown path.
import { posOpenApiDocument } from "@/server/pos/openapi";
import { handlePosRequest } from "@/server/pos/rest";

export function GET() {
  return Response.json(posOpenApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}

function notAProcedure(request: Request) {
  return handlePosRequest(request);
}

export { notAProcedure as DELETE, notAProcedure as PATCH, notAProcedure as POST, notAProcedure as PUT };
