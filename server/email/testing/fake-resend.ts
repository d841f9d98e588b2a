import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

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
  /** Answer every following `POST /emails` with this error status (422: validation, 500: outage). */
  fail(status?: 422 | 500): void;
  /** Clears recorded requests, remembered idempotency keys and the failure switch. */
  reset(): void;
  close(): Promise<void>;
};

const ERRORS = {
  401: { name: "missing_api_key", message: "Missing API key in the authorization header." },
  404: { name: "not_found", message: "The requested endpoint does not exist." },
  422: { name: "validation_error", message: "Invalid `to` field." },
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
  let failStatus: 422 | 500 | undefined;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    requests.push({ method: req.method ?? "", path, headers: req.headers, body: parseJson(raw) });

    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const fail = (status: keyof typeof ERRORS) => answer(status, { statusCode: status, ...ERRORS[status] });

    if (req.method !== "POST" || path !== "/emails") return fail(404);
    if (!req.headers.authorization?.startsWith("Bearer re_")) return fail(401);
    if (failStatus) return fail(failStatus);
    const key = req.headers["idempotency-key"];
    const idempotencyKey = Array.isArray(key) ? key[0] : key;
    const id = (idempotencyKey && sentByKey.get(idempotencyKey)) || randomUUID();
    if (idempotencyKey) sentByKey.set(idempotencyKey, id);
    answer(200, { id });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail(status = 500) {
      failStatus = status;
    },
    reset() {
      requests.length = 0;
      sentByKey.clear();
      failStatus = undefined;
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
