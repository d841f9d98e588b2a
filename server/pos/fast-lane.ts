import type { IncomingMessage, ServerResponse } from "node:http";
import { logger } from "../log";
import {
  answerPosRequest,
  MAX_BODY_BYTES,
  POS_BASE_PATH,
  POS_OPENAPI_PATH,
  PosBodyTooLarge,
  type PosHttpRequest,
} from "./rest";

// The production server (server/ops/serve.ts) answers POS requests itself, before Next.js: the
// same handler as the route app/api/pos/v1, without Next's routing, which cost more CPU than
// the receipt's own work — a busy counter's requests are the hottest path of the product.

/** Whether the production server answers this path here (every POS procedure; not the OpenAPI document). */
export function isPosFastLanePath(pathname: string): boolean {
  return pathname.startsWith(`${POS_BASE_PATH}/`) && pathname !== POS_OPENAPI_PATH;
}

/** A Node request's headers as web Headers (repeated headers joined, as HTTP allows). */
export function webHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/** Reads the body as UTF-8, refusing (after draining) one over MAX_BODY_BYTES. */
function bodyText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () =>
      size > MAX_BODY_BYTES ? reject(new PosBodyTooLarge()) : resolve(Buffer.concat(chunks).toString("utf8")),
    );
    request.on("error", reject);
  });
}

/** Answers one POS request on a Node server; a client gone mid-request just loses its socket. */
export async function servePosRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const posRequest: PosHttpRequest = {
    method: request.method ?? "GET",
    url: `http://localhost${request.url ?? "/"}`,
    headers: webHeaders(request),
    text: () => bodyText(request),
  };
  try {
    const answer = await answerPosRequest(posRequest);
    const payload = JSON.stringify(answer.body);
    response.writeHead(answer.status, {
      ...answer.headers,
      "content-type": "application/json",
      "content-length": Buffer.byteLength(payload),
    });
    response.end(payload);
  } catch (error) {
    logger().warn({ err: error }, "POS request abandoned");
    response.destroy();
  }
}
