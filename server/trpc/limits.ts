/**
 * The most procedure calls one request to /api/trpc may batch: a larger batch is a 400 before any
 * of its calls runs (one 12 kB GET could otherwise run `shop.menu` hundreds of times). A tRPC
 * client sets its batch link's `maxItems` to this number, so it never sends a larger one:
 * `httpBatchLink({ url: "/api/trpc", maxItems: TRPC_MAX_BATCH_SIZE })`.
 */
export const TRPC_MAX_BATCH_SIZE = 10;
