// POST /api/stripe/webhook — Stripe's events about cafés' subscriptions (signed; applied once).
import { billingProvider } from "@/server/billing/stripe";
import { applyBillingEvent } from "@/server/billing/webhook";
import { AppError } from "@/server/errors";
import { requestLogger } from "@/server/log";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const log = requestLogger(request.headers);
  const provider = billingProvider();
  if (!provider) return Response.json({ error: "billing is not configured" }, { status: 404 });
  // The signature covers the exact bytes Stripe sent: read the raw body, never a re-serialised one.
  const rawBody = await request.text();
  let event: ReturnType<typeof provider.verifyWebhook>;
  try {
    event = provider.verifyWebhook(rawBody, request.headers.get("stripe-signature"));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    log.warn({ reason: error.reason }, "stripe webhook refused: signature");
    return Response.json({ error: error.message }, { status: 400 });
  }
  try {
    const outcome = await applyBillingEvent(provider, event);
    log.info({ eventId: event.id, type: event.type, outcome }, "stripe webhook");
    return Response.json({ received: true, outcome });
  } catch (error) {
    // 500 makes Stripe deliver the event again later; nothing of it was kept.
    log.error({ err: error, eventId: event.id, type: event.type }, "stripe webhook failed");
    return Response.json({ error: "could not apply the event; retry" }, { status: 500 });
  }
}
