import { eq } from "drizzle-orm";
import { Resend } from "resend";
import type { Database } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { type Env, env } from "../env";
import { logger } from "../log";

/** Where mail goes: Resend's API, or only the `email_outbox` table shown on /dev/outbox. */
export type EmailMode = "resend" | "outbox";

/** How mail is sent; `emailConfig()` reads it from the environment, tests pass their own. */
export type EmailConfig = {
  apiKey?: string;
  baseUrl?: string;
  from?: string;
  /** Campaign sends per second at most (RESEND_RATE_PER_SECOND; Resend's default limit is 2). */
  ratePerSecond?: number;
};

export type EmailMessage = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Tenant slug, for display in the outbox only. */
  context?: string;
  /** Extra mail headers (List-Unsubscribe and List-Unsubscribe-Post of marketing mail, RFC 8058). */
  headers?: Record<string, string>;
  /** Provider tags (ASCII letters, digits, _ and -), echoed in Resend's webhook events. */
  tags?: { name: string; value: string }[];
  /**
   * The outbox row id and the provider's idempotency key, when the caller owns one (a campaign
   * send's id): a repeated id neither stores a second row nor sends a second email.
   */
  id?: string;
};

/** What became of one message: `statusCode` is the provider's HTTP status of a failure, if any. */
export type EmailResult = {
  id: string;
  delivered: boolean;
  providerMessageId?: string;
  error?: string;
  statusCode?: number;
  /** The provider's error name of a failure (e.g. invalid_idempotent_request). */
  errorName?: string;
  /** The provider's Retry-After of a rate-limited failure, in seconds. */
  retryAfterSeconds?: number;
};

const RESEND_API_URL = "https://api.resend.com";
const SEND_TIMEOUT_MS = 10_000;

/** The email settings of the environment (RESEND_API_KEY, RESEND_BASE_URL, EMAIL_FROM). */
export function emailConfig(config: Env = env()): EmailConfig {
  return {
    apiKey: config.RESEND_API_KEY,
    baseUrl: config.RESEND_BASE_URL,
    from: config.EMAIL_FROM,
    ratePerSecond: config.RESEND_RATE_PER_SECOND,
  };
}

/** "resend" when an API key is configured, otherwise "outbox" (mail is only stored). */
export function emailMode(config: EmailConfig = emailConfig()): EmailMode {
  return config.apiKey ? "resend" : "outbox";
}

let warnedOutbox = false;

/**
 * Stores the message in `email_outbox`, then sends it through Resend when configured. Never
 * throws for a provider failure: the error is recorded on the row and logged, and the result
 * says delivered=false, so a caller's business transaction is not undone by a mail outage.
 * The row is committed on `db` itself (not in the caller's transaction) before the send, so no
 * message is lost and none is sent for a row that does not exist.
 */
export async function sendEmail(
  db: Database,
  message: EmailMessage,
  config: EmailConfig = emailConfig(),
): Promise<EmailResult> {
  const mode = emailMode(config);
  if (message.id) return sendOnce(db, message as EmailMessage & { id: string }, config);
  const [row] = await db
    .insert(emailOutbox)
    .values({
      context: message.context ?? null,
      toAddress: message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
      provider: mode,
    })
    .returning({ id: emailOutbox.id });
  if (!row) throw new Error("email_outbox insert returned no row");

  if (!config.apiKey) {
    if (!warnedOutbox) {
      warnedOutbox = true;
      logger().warn(
        "RESEND_API_KEY is not set: emails are NOT sent, they are only stored in the dev outbox (/dev/outbox)",
      );
    }
    return { id: row.id, delivered: false };
  }

  return deliverAndRecord(db, row.id, message, config);
}

/**
 * A message under the caller's id: the outbox row is made once (a second call finds it), a row
 * already delivered is not sent again, and Resend gets the id as its idempotency key, so a crash
 * after the provider accepted the mail but before the caller recorded it sends nothing twice.
 */
async function sendOnce(
  db: Database,
  message: EmailMessage & { id: string },
  config: EmailConfig,
): Promise<EmailResult> {
  await db
    .insert(emailOutbox)
    .values({
      id: message.id,
      context: message.context ?? null,
      toAddress: message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
      provider: emailMode(config),
    })
    .onConflictDoNothing();
  const [row] = await db
    .select({ delivered: emailOutbox.delivered, providerMessageId: emailOutbox.providerMessageId })
    .from(emailOutbox)
    .where(eq(emailOutbox.id, message.id));
  if (row?.delivered) return { id: message.id, delivered: true, providerMessageId: row.providerMessageId ?? undefined };
  if (!config.apiKey) return { id: message.id, delivered: false };
  return deliverAndRecord(db, message.id, message, config);
}

/**
 * Sends a stored, undelivered outbox email again (a retry job, an operator). Resend answers a
 * repeated idempotency key (kept 24 hours) with the first result, so a message that did go out
 * (say, the answer was lost) is not sent twice.
 */
export async function retryEmail(db: Database, id: string, config: EmailConfig = emailConfig()): Promise<EmailResult> {
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  if (!row) throw new Error(`No outbox email ${id}`);
  if (row.delivered || !config.apiKey) return { id, delivered: row.delivered };
  const message = {
    to: row.toAddress,
    subject: row.subject,
    html: row.html,
    text: row.text,
    context: row.context ?? undefined,
  };
  return { id, delivered: (await deliverAndRecord(db, id, message, config)).delivered };
}

async function deliverAndRecord(
  db: Database,
  id: string,
  message: EmailMessage,
  config: EmailConfig,
): Promise<EmailResult> {
  const outcome = await deliver(id, message, config);
  if ("error" in outcome) {
    logger().error({ emailId: id, context: message.context, error: outcome.error }, "email not sent");
  }
  await db
    .update(emailOutbox)
    .set(
      "error" in outcome
        ? { provider: "resend", delivered: false, error: outcome.error }
        : { provider: "resend", providerMessageId: outcome.providerMessageId, delivered: true, error: null },
    )
    .where(eq(emailOutbox.id, id));
  return "error" in outcome
    ? {
        id,
        delivered: false,
        error: outcome.error,
        statusCode: outcome.statusCode,
        errorName: outcome.errorName,
        retryAfterSeconds: outcome.retryAfterSeconds,
      }
    : { id, delivered: true, providerMessageId: outcome.providerMessageId };
}

async function deliver(
  id: string,
  message: EmailMessage,
  config: EmailConfig,
): Promise<
  { providerMessageId: string } | { error: string; statusCode?: number; errorName?: string; retryAfterSeconds?: number }
> {
  try {
    const resend = new Resend(config.apiKey, {
      // Always explicit, so the SDK never falls back to reading process.env itself.
      baseUrl: (config.baseUrl ?? RESEND_API_URL).replace(/\/+$/, ""),
    });
    const { data, error, headers } = await resend.emails.send(
      {
        from: config.from ?? env().EMAIL_FROM,
        to: message.to,
        subject: message.subject,
        html: message.html,
        text: message.text,
        ...(message.headers ? { headers: message.headers } : {}),
        ...(message.tags ? { tags: message.tags } : {}),
      },
      // The outbox row id: a retry of this row is answered with the first send, not a second email.
      { idempotencyKey: id, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) },
    );
    if (error) {
      const retryAfter = Number(headers?.["retry-after"]);
      return {
        error: `${error.name}${error.statusCode ? ` (${error.statusCode})` : ""}: ${error.message}`,
        statusCode: error.statusCode ?? undefined,
        errorName: error.name,
        retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      };
    }
    return { providerMessageId: data.id };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
