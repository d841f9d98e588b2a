// POST /api/webhooks/resend — Resend's delivery events for campaign mail (Svix-signed; applied once).
import { answerResendWebhookOnApp } from "@/server/campaigns/webhooks";
import { env } from "@/server/env";
import { requestLogger } from "@/server/log";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const log = requestLogger(request.headers);
  const secret = env().RESEND_WEBHOOK_SECRET;
  if (!secret) return Response.json({ error: "Resend webhooks are not configured" }, { status: 404 });
  try {
    const response = await answerResendWebhookOnApp(secret, request);
    if (response.status === 401)
      log.warn({ eventId: request.headers.get("svix-id") }, "resend webhook refused: signature");
    return response;
  } catch (error) {
    // 500 makes Resend deliver the event again later; nothing of it was kept.
    log.error({ err: error, eventId: request.headers.get("svix-id") }, "resend webhook failed");
    return Response.json({ error: "could not apply the event; retry" }, { status: 500 });
  }
}
