// /api/trpc/* — the typed API for the app's own pages and for TypeScript POS clients.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createRequestContext } from "@/server/trpc/context";
import { TRPC_MAX_BATCH_SIZE } from "@/server/trpc/limits";
import { appRouter } from "@/server/trpc/root";

export const dynamic = "force-dynamic";

function handler(request: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    // A larger batch is refused (400) before any call runs; clients batch at most this many.
    maxBatchSize: TRPC_MAX_BATCH_SIZE,
    createContext: () => createRequestContext(request),
  });
}

export { handler as GET, handler as POST };
