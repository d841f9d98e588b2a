import type { Database } from "@/db/client";
import { type EmailConfig, emailConfig, sendEmail } from "../email/send";

/** One rendered campaign message for one guest, as a channel sends it. */
export type OutgoingMessage = {
  /** The campaign_sends row: the provider's idempotency key, so a resend after a crash is no second message. */
  sendId: string;
  tenantId: string;
  /** Tenant slug (shown in the dev outbox). */
  context: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** The one-click unsubscribe endpoint (RFC 8058), for channels that can carry it. */
  oneClickUnsubscribeUrl?: string;
  unsubscribeMailto?: string;
};

/**
 * What became of one message: sent, or failed — `retryable` for outages; `rateLimited` (with the
 * provider's Retry-After) when the provider asks to slow down, which is no attempt of the message.
 */
export type DeliveryOutcome =
  | { ok: true; providerMessageId: string | null }
  | { ok: false; retryable: boolean; error: string; rateLimited?: boolean; retryAfterSeconds?: number };

/**
 * A way to reach a guest (email now; SMS or Telegram later): which address of the guest it uses
 * and how it delivers. Delivery must be idempotent by `sendId`.
 */
export type Channel = {
  name: string;
  address(guest: { email: string | null; phone: string | null }): string | null;
  deliver(db: Database, message: OutgoingMessage): Promise<DeliveryOutcome>;
};

/**
 * HTTP statuses worth another try later: rate limited, timed out, a concurrent request under the
 * same key still in flight (409 concurrent_idempotent_requests), or the provider's own failure.
 */
export function retryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Resend's 409 invalid_idempotent_request: the key was already used (within 24 hours) for a
 * message the provider accepted — the guest has it, so it is sent, never retried as a failure.
 */
const ALREADY_SENT_UNDER_KEY = "invalid_idempotent_request";

/**
 * Email through server/email/send.ts (Resend, or only the dev outbox without an API key), with
 * the List-Unsubscribe and List-Unsubscribe-Post headers of RFC 8058 and tags naming the café
 * and the send, which Resend echoes in its webhook events.
 */
export function emailChannel(config: EmailConfig = emailConfig()): Channel {
  return {
    name: "email",
    address: (guest) => guest.email?.trim() || null,
    async deliver(db, message) {
      const targets = [
        message.oneClickUnsubscribeUrl && `<${message.oneClickUnsubscribeUrl}>`,
        message.unsubscribeMailto && `<${message.unsubscribeMailto}>`,
      ].filter(Boolean);
      const result = await sendEmail(
        db,
        {
          id: message.sendId,
          to: message.to,
          subject: message.subject,
          html: message.html,
          text: message.text,
          context: message.context,
          headers:
            targets.length > 0
              ? {
                  "List-Unsubscribe": targets.join(", "),
                  ...(message.oneClickUnsubscribeUrl ? { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } : {}),
                }
              : undefined,
          tags: [
            { name: "tenant_id", value: message.tenantId },
            { name: "send_id", value: message.sendId },
          ],
        },
        config,
      );
      // Without an API key the mail only goes to the dev outbox: that is this install's "sent".
      if (result.delivered || !config.apiKey) return { ok: true, providerMessageId: result.providerMessageId ?? null };
      if (result.statusCode === 409 && result.errorName === ALREADY_SENT_UNDER_KEY) {
        return { ok: true, providerMessageId: null };
      }
      return {
        ok: false,
        retryable: retryableStatus(result.statusCode),
        error: result.error ?? "not sent",
        rateLimited: result.statusCode === 429,
        retryAfterSeconds: result.retryAfterSeconds,
      };
    },
  };
}
