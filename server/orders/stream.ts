import type { Logger } from "pino";
import { appDb } from "@/db/client";
import type { StaffSession } from "../auth/sessions";
import { resolveStaffAccess } from "../auth/staff";
import { requestLogger } from "../log";
import { findTenantBySlug } from "../tenants/queries";
import { ORDER_STATUSES, type OrderStatus } from "./queries";
import { ORDERS_CHANNEL, type OrderEvent } from "./transitions";

/** How often an idle stream sends a comment, so proxies and browsers keep it open. */
export const STREAM_PING_MS = 15_000;

/**
 * Whose board a stream feeds: the tenant, and the locations a limited member may see (empty: all);
 * a guest's status page narrows it to their one order.
 */
export type StreamScope = { tenantId: string; locationIds: string[]; orderId?: string };

/** Subscribes to a NOTIFY channel (postgres.js `sql.listen`); resolves once listening. */
export type Listen = (
  channel: string,
  onNotify: (payload: string) => void,
) => Promise<{ unlisten: () => Promise<unknown> }>;

/** A NOTIFY payload of `zerno_orders`, or null when it is not one (malformed, unknown status). */
export function parseOrderEvent(payload: string): OrderEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object") return null;
  const { tenantId, locationId, orderId, status } = value as Record<string, unknown>;
  if (typeof tenantId !== "string" || typeof locationId !== "string" || typeof orderId !== "string") return null;
  if (typeof status !== "string" || !ORDER_STATUSES.includes(status as OrderStatus)) return null;
  return { tenantId, locationId, orderId, status: status as OrderStatus };
}

/** Whether a board of `scope` may hear about `event`: same tenant, and one of its locations. */
export function isVisibleTo(event: OrderEvent, scope: StreamScope): boolean {
  if (event.tenantId !== scope.tenantId) return false;
  if (scope.orderId !== undefined && event.orderId !== scope.orderId) return false;
  return scope.locationIds.length === 0 || scope.locationIds.includes(event.locationId);
}

/** Listens through the app's postgres.js pool: one LISTEN connection per process, shared by every stream. */
export const listenOnAppPool: Listen = (channel, onNotify) => {
  const client = (appDb() as unknown as { $client: { listen: Listen } }).$client;
  return client.listen(channel, onNotify);
};

/**
 * The Server-Sent Events body of one board: `event: order` for each order change of the scope,
 * a `: ping` comment every `pingMs`, and the LISTEN dropped when `signal` aborts (the client went
 * away) or the reader cancels. LISTEN/NOTIFY makes it work across app servers: every server
 * hears every commit.
 */
export function orderEventStream(options: {
  scope: StreamScope;
  signal: AbortSignal;
  listen?: Listen;
  pingMs?: number;
  log?: Pick<Logger, "error">;
}): ReadableStream<Uint8Array> {
  const { scope, signal, listen = listenOnAppPool, pingMs = STREAM_PING_MS } = options;
  const encoder = new TextEncoder();
  let closed = false;
  let ping: ReturnType<typeof setInterval> | undefined;
  let unlisten: (() => Promise<unknown>) | undefined;
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;

  const close = async () => {
    if (closed) return;
    closed = true;
    clearInterval(ping);
    signal.removeEventListener("abort", onAbort);
    try {
      controller?.close();
    } catch {
      // Already closed or errored by the runtime.
    }
    await unlisten?.().catch((error: unknown) => options.log?.error({ err: error }, "order stream: unlisten failed"));
  };
  const onAbort = () => void close();
  const send = (text: string) => {
    if (closed || !controller) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      void close();
    }
  };

  return new ReadableStream<Uint8Array>({
    async start(streamController) {
      controller = streamController;
      if (signal.aborted) {
        await close();
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
      ping = setInterval(() => send(": ping\n\n"), pingMs);
      try {
        const subscription = await listen(ORDERS_CHANNEL, (payload) => {
          const event = parseOrderEvent(payload);
          if (event && isVisibleTo(event, scope)) send(`event: order\ndata: ${JSON.stringify(event)}\n\n`);
        });
        if (closed) {
          await subscription.unlisten();
          return;
        }
        unlisten = subscription.unlisten;
        // Listening now: nothing committed from here on is missed. The browser reconnects after 2 s.
        send("retry: 2000\n: connected\n\n");
      } catch (error) {
        options.log?.error({ err: error }, "order stream: LISTEN failed");
        await close();
      }
    },
    async cancel() {
      await close();
    },
  });
}

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  // nginx and similar proxies must not buffer the stream.
  "x-accel-buffering": "no",
};

const DENIED_STATUS = { signed_out: 401, two_factor_required: 403, forbidden: 403, not_member: 404 } as const;

/**
 * GET /api/orders/stream/<tenant>: authorised as a staff page with "orders.board" (401 signed
 * out, 403 without 2FA or the permission, 404 not a member or no such café), then the stream of
 * the member's locations. The route hands in the request's session (`currentStaffSession`).
 */
export async function orderStreamResponse(
  request: Request,
  tenantSlug: string,
  session: StaffSession | null,
): Promise<Response> {
  const tenant = await findTenantBySlug(tenantSlug);
  const access = await resolveStaffAccess(appDb(), session, tenant, "orders.board");
  if (!access.ok) {
    return new Response(null, { status: DENIED_STATUS[access.reason], headers: { "cache-control": "no-store" } });
  }
  const body = orderEventStream({
    scope: { tenantId: access.staff.tenant.id, locationIds: access.staff.locationIds },
    signal: request.signal,
    log: requestLogger(request.headers),
  });
  return new Response(body, { headers: SSE_HEADERS });
}
