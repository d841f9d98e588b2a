// GET /api/orders/stream/<tenant> — the order board's live updates (Server-Sent Events over LISTEN/NOTIFY).
import { currentStaffSession } from "@/server/auth/session";
import { orderStreamResponse } from "@/server/orders/stream";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request, { params }: { params: Promise<{ tenant: string }> }) {
  return orderStreamResponse(request, (await params).tenant, await currentStaffSession());
}
