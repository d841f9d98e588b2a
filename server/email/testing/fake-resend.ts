import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { signWebhook } from "../../campaigns/webhooks";

/** One request the fake received, as the SDK sent it. */
export type FakeResendRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
};

/** A running fake of Resend's API: point the SDK at `url` (its `baseUrl`). */
export type FakeResend = {
  url: string;
  /** Every request received, oldest first. */
  requests: FakeResendRequest[];
  /** Each email accepted once (a repeated idempotency key is not a second one), oldest first. */
  sent: { id: string; idempotencyKey?: string; body: unknown }[];
  /**
   * Answer the following `POST /emails` with this error status (422: validation, 429: rate
   * limit, 500: outage) — every one, or only the next `times`.
   */
  fail(status?: 422 | 429 | 500, times?: number): void;
  /** Where signed webhook events go (Resend's Svix format); `autoDeliver` posts email.delivered for each new email. */
  webhooks(target: { url: string; secret: string; autoDeliver?: boolean } | null): void;
  /** Posts a signed event of one sent email (e.g. "email.bounced") to the webhook target; returns its status. */
  emit(type: string, emailId: string, eventId?: string): Promise<number>;
  /** Clears recorded requests, remembered idempotency keys and the failure switch. */
  reset(): void;
  close(): Promise<void>;
};

const ERRORS = {
  401: { name: "missing_api_key", message: "Missing API key in the authorization header." },
  404: { name: "not_found", message: "The requested endpoint does not exist." },
  422: { name: "validation_error", message: "Invalid `to` field." },
  409: {
    name: "invalid_idempotent_request",
    message: "Same idempotency key used with a different request payload. Change your idempotency key or payload.",
  },
  429: { name: "rate_limit_exceeded", message: "Too many requests. You can only make 2 requests per second." },
  500: { name: "internal_server_error", message: "An unexpected error occurred." },
} as const;

/**
 * Starts a local stand-in for `POST /emails` of Resend's API on a free port: it records each
 * request and answers `{ id }` like Resend, returning the same id again for a repeated
 * `Idempotency-Key` (as Resend does within 24 hours).
 */
export async function startFakeResend(): Promise<FakeResend> {
  const requests: FakeResendRequest[] = [];
  const sentByKey = new Map<string, string>();
  const payloadByKey = new Map<string, string>();
  const sent: FakeResend["sent"] = [];
  let failStatus: 422 | 429 | 500 | undefined;
  let failTimes = Number.POSITIVE_INFINITY;
  let target: { url: string; secret: string; autoDeliver?: boolean } | null = null;

  const emit = async (type: string, emailId: string, eventId: string = `msg_${randomUUID()}`) => {
    if (!target) throw new Error("no webhook target set");
    const email = sent.find((entry) => entry.id === emailId);
    const given = (email?.body as { tags?: { name: string; value: string }[] } | undefined)?.tags ?? [];
    const tags = Object.fromEntries(given.map((entry) => [entry.name, entry.value]));
    const body = JSON.stringify({ type, created_at: new Date().toISOString(), data: { email_id: emailId, tags } });
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "svix-id": eventId,
        "svix-timestamp": String(timestamp),
        "svix-signature": signWebhook(target.secret, eventId, timestamp, body),
      },
      body,
    });
    return response.status;
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    requests.push({ method: req.method ?? "", path, headers: req.headers, body: parseJson(raw) });

    const answer = (status: number, body: unknown) => {
      // Resend's rate limit says when to come back.
      res.writeHead(status, { "content-type": "application/json", ...(status === 429 ? { "retry-after": "1" } : {}) });
      res.end(JSON.stringify(body));
    };
    const fail = (status: keyof typeof ERRORS) => answer(status, { statusCode: status, ...ERRORS[status] });

    if (req.method !== "POST" || path !== "/emails") return fail(404);
    if (!req.headers.authorization?.startsWith("Bearer re_")) return fail(401);
    if (failStatus && failTimes > 0) {
      failTimes -= 1;
      const status = failStatus;
      if (failTimes === 0) failStatus = undefined;
      return fail(status);
    }
    const key = req.headers["idempotency-key"];
    const idempotencyKey = Array.isArray(key) ? key[0] : key;
    const known = idempotencyKey ? sentByKey.get(idempotencyKey) : undefined;
    // As Resend: a repeated key with another payload is refused, not answered with the first send.
    if (known && idempotencyKey && payloadByKey.get(idempotencyKey) !== raw) return fail(409);
    if (idempotencyKey && !known) payloadByKey.set(idempotencyKey, raw);
    const id = known ?? randomUUID();
    if (idempotencyKey) sentByKey.set(idempotencyKey, id);
    if (!known) sent.push({ id, idempotencyKey, body: parseJson(raw) });
    answer(200, { id });
    if (!known && target?.autoDeliver) emit("email.delivered", id).catch(() => undefined);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sent,
    fail(status = 500, times = Number.POSITIVE_INFINITY) {
      failStatus = status;
      failTimes = times;
    },
    webhooks(next) {
      target = next;
    },
    emit,
    reset() {
      requests.length = 0;
      sent.length = 0;
      sentByKey.clear();
      payloadByKey.clear();
      failStatus = undefined;
      failTimes = Number.POSITIVE_INFINITY;
    },
    close() {
      // fetch keeps connections alive; close them, or server.close() waits for their timeout.
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function parseJson(raw: string): unknown {
  try {
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return raw;
  }
}
