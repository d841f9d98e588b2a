// /api/pos/v1/* — the POS contract over plain HTTP+JSON: the `pos` tRPC procedures, routed by
// their OpenAPI meta (server/pos/rest.ts).
import { handlePosRequest } from "@/server/pos/rest";

export const dynamic = "force-dynamic";

function handler(request: Request) {
  return handlePosRequest(request);
}

export { handler as DELETE, handler as GET, handler as PATCH, handler as POST, handler as PUT };
