import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { appDb, type Database, type Tx, withTenant } from "@/db/client";
import { campaignSends, messageEvents } from "@/db/schema";
import { withdrawMarketingConsent } from "../cabinet/profile";

// Resend signs its webhooks the way Svix does: headers svix-id, svix-timestamp (Unix seconds)
// and svix-signature ("v1,<base64>" entries separated by spaces), the signature being
// HMAC-SHA256 over `${id}.${timestamp}.${body}` with the base64 key after "whsec_".

/** A signature older (or newer) than this is refused: a captured request cannot be replayed later. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export type WebhookHeaders = { id: string | null; timestamp: string | null; signature: string | null };

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
}

/** The `svix-signature` value for a body (the local Resend-compatible server and tests sign with it). */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac("sha256", keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/** Whether the request is signed with the secret, within WEBHOOK_TOLERANCE_SECONDS of `now`. */
export function verifyWebhook(secret: string, headers: WebhookHeaders, body: string, now: Date = new Date()): boolean {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signWebhook(secret, id, Number(timestamp), body).slice(3), "base64");
  return signature.split(" ").some((entry) => {
    const [version, value] = entry.split(",");
    if (version !== "v1" || !value) return false;
    const given = Buffer.from(value, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** The part of a Resend event the app reads. */
export type ResendEvent = {
  type: string;
  created_at?: string;
  data?: { email_id?: string; tags?: Record<string, string> | { name: string; value: string }[] };
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A send's status an event moves it to; later, more final states win over earlier ones. */
const STATUS_OF: Record<string, "delivered" | "bounced" | "complained" | "failed"> = {
  "email.delivered": "delivered",
  "email.bounced": "bounced",
  "email.complained": "complained",
  "email.failed": "failed",
};
/** Which current statuses each new one may replace (events arrive out of order and twice). */
const REPLACES: Record<string, ("sending" | "sent" | "delivered" | "failed")[]> = {
  delivered: ["sending", "sent", "failed"],
  bounced: ["sending", "sent", "delivered", "failed"],
  complained: ["sending", "sent", "delivered", "failed"],
  failed: ["sending", "sent"],
};

function tag(event: ResendEvent, name: string): string | undefined {
  const tags = event.data?.tags;
  if (!tags) return undefined;
  if (Array.isArray(tags)) return tags.find((entry) => entry.name === name)?.value;
  return tags[name];
}

export type WebhookOutcome = "applied" | "duplicate" | "ignored";

/**
 * What is stored of an event: its type, times, the provider's message id, our tags and a bounce's
 * kind. Resend's data also carries the recipient's address (to), the sender, the subject and a
 * bounce's message (which quotes the address): none of it is needed, and a guest who deletes
 * their account must not stay behind in these rows, so it is never stored.
 */
export function storedEventPayload(event: ResendEvent, tenantId: string, sendId: string): Record<string, unknown> {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const bounce = data.bounce as Record<string, unknown> | undefined;
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return JSON.parse(
    JSON.stringify({
      type: event.type,
      created_at: text(event.created_at),
      data: {
        email_id: text(data.email_id),
        created_at: text(data.created_at),
        tags: { tenant_id: tenantId, send_id: sendId },
        bounce: bounce ? { type: text(bounce.type), subType: text(bounce.subType) } : undefined,
      },
    }),
  );
}

/**
 * Applies one verified event: the send is named by the tags the sender put on the message
 * (tenant_id, send_id), the event is stored once per provider event id (a redelivery is
 * 'duplicate' and changes nothing), and the send's status moves forward (delivered, bounced,
 * complained, failed). Mail that is no campaign's (no tags) is 'ignored'.
 */
export async function applyResendEvent(db: Database, eventId: string, event: ResendEvent): Promise<WebhookOutcome> {
  const tenantId = tag(event, "tenant_id");
  const sendId = tag(event, "send_id");
  if (!tenantId || !sendId || !UUID.test(tenantId) || !UUID.test(sendId)) return "ignored";
  const occurredAt =
    event.created_at && !Number.isNaN(Date.parse(event.created_at)) ? new Date(event.created_at) : new Date();
  return withTenant(
    tenantId,
    async (tx) => {
      const [send] = await tx
        .select({ id: campaignSends.id, guestId: campaignSends.guestId })
        .from(campaignSends)
        .where(eq(campaignSends.id, sendId))
        .for("update");
      if (!send) return "ignored";
      const [stored] = await tx
        .insert(messageEvents)
        .values({
          tenantId,
          sendId,
          providerEventId: eventId,
          type: event.type,
          occurredAt,
          payload: storedEventPayload(event, tenantId, sendId),
        })
        .onConflictDoNothing()
        .returning({ id: messageEvents.id });
      if (!stored) return "duplicate";
      const status = STATUS_OF[event.type];
      if (status) {
        await tx
          .update(campaignSends)
          .set({ status, ...(status === "delivered" ? { deliveredAt: occurredAt } : {}) })
          .where(and(eq(campaignSends.id, sendId), inArray(campaignSends.status, REPLACES[status] ?? [])));
      }
      // A guest who marks the mail as spam has said no to marketing: the consent is withdrawn
      // (recorded like an unsubscribe), so no later campaign writes to them.
      if (status === "complained") await withdrawConsentAfterComplaint(tx, send, occurredAt);
      return "applied";
    },
    db,
  );
}

async function withdrawConsentAfterComplaint(tx: Tx, send: { id: string; guestId: string }, at: Date) {
  await withdrawMarketingConsent(tx, send.guestId);
  await tx
    .update(campaignSends)
    .set({ unsubscribedAt: at })
    .where(and(eq(campaignSends.id, send.id), isNull(campaignSends.unsubscribedAt)));
}

/**
 * The webhook endpoint's answer: 401 for a request not signed with `secret` (or signed too long
 * ago), 400 for a body that is not JSON, 500 when the event could not be applied (Resend
 * delivers it again), 200 otherwise — a redelivered event included, which changes nothing.
 */
export async function answerResendWebhook(db: Database, secret: string, request: Request): Promise<Response> {
  const body = await request.text();
  const headers = {
    id: request.headers.get("svix-id"),
    timestamp: request.headers.get("svix-timestamp"),
    signature: request.headers.get("svix-signature"),
  };
  if (!verifyWebhook(secret, headers, body)) return Response.json({ error: "invalid signature" }, { status: 401 });
  let event: ResendEvent;
  try {
    event = JSON.parse(body) as ResendEvent;
  } catch {
    return Response.json({ error: "not JSON" }, { status: 400 });
  }
  if (typeof event?.type !== "string") return Response.json({ error: "no event type" }, { status: 400 });
  const outcome = await applyResendEvent(db, headers.id as string, event);
  return Response.json({ received: true, outcome });
}

/** answerResendWebhook over the app's pool (the webhook route). */
export function answerResendWebhookOnApp(secret: string, request: Request) {
  return answerResendWebhook(appDb(), secret, request);
}
