import { and, eq } from "drizzle-orm";
import { appDb, type Database, withTenant } from "@/db/client";
import { orders } from "@/db/schema";
import { guestOfAccount, onlineAccessClosed } from "../guest-auth/guests";
import type { GuestAccount } from "../guest-auth/session";
import { requestLogger } from "../log";
import { findTenantBySlug } from "../tenants/queries";
import { type Listen, orderEventStream, SSE_HEADERS } from "./stream";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const denied = (status: number) => new Response(null, { status, headers: { "cache-control": "no-store" } });

/**
 * The order a guest's status page may follow: the café's enrolled, unblocked guest behind the
 * signed-in email, and their own order; null otherwise (another guest's or café's order alike,
 * so the answer never tells which ids exist).
 */
export async function guestStreamScope(
  db: Database,
  input: { tenantSlug: string; orderId: string; account: GuestAccount },
): Promise<{ tenantId: string; locationIds: string[]; orderId: string } | null> {
  if (!UUID.test(input.orderId)) return null;
  const tenant = await findTenantBySlug(input.tenantSlug, db);
  if (!tenant) return null;
  return withTenant(
    tenant.id,
    async (tx) => {
      const guest = await guestOfAccount(tx, input.account.email);
      if (!guest || onlineAccessClosed(guest)) return null;
      const [order] = await tx
        .select({ id: orders.id, locationId: orders.locationId })
        .from(orders)
        .where(and(eq(orders.id, input.orderId), eq(orders.guestId, guest.id)));
      return order ? { tenantId: tenant.id, locationIds: [order.locationId], orderId: order.id } : null;
    },
    db,
  );
}

/**
 * GET /api/orders/guest-stream/<tenant>/<orderId>: 401 signed out, 404 unless the order is the
 * signed-in guest's at this café; then Server-Sent Events of that one order's changes (the page
 * re-reads the order on each), over the same LISTEN/NOTIFY as the barista's board.
 */
export async function guestOrderStreamResponse(
  request: Request,
  input: { tenantSlug: string; orderId: string; account: GuestAccount | null },
  options: { db?: Database; listen?: Listen } = {},
): Promise<Response> {
  if (!input.account) return denied(401);
  const scope = await guestStreamScope(options.db ?? appDb(), { ...input, account: input.account });
  if (!scope) return denied(404);
  const body = orderEventStream({
    scope,
    signal: request.signal,
    listen: options.listen,
    log: requestLogger(request.headers),
  });
  return new Response(body, { headers: SSE_HEADERS });
}
