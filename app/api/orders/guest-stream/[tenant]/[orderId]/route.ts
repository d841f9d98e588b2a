// GET /api/orders/guest-stream/<tenant>/<orderId> — live changes of one guest's own order (Server-Sent Events over LISTEN/NOTIFY).
import { currentGuestAccount } from "@/server/guest-auth/session";
import { guestOrderStreamResponse } from "@/server/orders/guest-stream";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request, { params }: { params: Promise<{ tenant: string; orderId: string }> }) {
  const { tenant, orderId } = await params;
  return guestOrderStreamResponse(request, { tenantSlug: tenant, orderId, account: await currentGuestAccount() });
}
