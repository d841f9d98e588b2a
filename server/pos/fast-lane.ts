import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "@/db/client";
import { logger } from "../log";
import { posError } from "./errors";
import {
  answerPosRequest,
  MAX_BODY_BYTES,
  POS_BASE_PATH,
  POS_OPENAPI_PATH,
  PosBodyTooLarge,
  type PosHttpAnswer,
  type PosHttpRequest,
} from "./rest";

// The production server (server/ops/serve.ts) answers POS requests itself, before Next.js: the
// same handler as the route app/api/pos/v1, without Next's routing, which cost more CPU than
// the receipt's own work — a busy counter's requests are the hottest path of the product.

/**
 * Whether the production server answers this request here: everything under the POS base path
 * (unknown paths and methods too, so they get the contract's JSON 404) but reading the OpenAPI document.
 */
export function isPosFastLanePath(method: string, pathname: string): boolean {
  if (pathname !== POS_BASE_PATH && !pathname.startsWith(`${POS_BASE_PATH}/`)) return false;
  return !(pathname === POS_OPENAPI_PATH && (method === "GET" || method === "HEAD"));
}

/** A Node request's headers as web Headers (repeated headers joined, as HTTP allows). */
export function webHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/** Reads the body as UTF-8; stops reading one over MAX_BODY_BYTES (its connection is then closed). */
function bodyText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      request.off("data", onData);
      request.pause();
      reject(new PosBodyTooLarge());
    };
    request.on("data", onData);
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Answers one POS request on a Node server (`url`: the request's, parsed by the server). */
export async function servePosRequest(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  db?: Database,
): Promise<void> {
  const posRequest: PosHttpRequest = {
    method: request.method ?? "GET",
    pathname: url.pathname,
    search: url.search,
    headers: webHeaders(request),
    text: () => bodyText(request),
  };
  let answer: PosHttpAnswer;
  try {
    answer = await answerPosRequest(posRequest, db);
  } catch (error) {
    // Only a client gone mid-body gets here (the handler answers everything else).
    logger().warn({ err: error }, "POS request abandoned");
    if (request.destroyed || response.headersSent) {
      response.destroy();
      return;
    }
    answer = { status: 500, headers: {}, body: posError(500, "internal_error", "The request could not be read").body };
  }
  const payload = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    ...answer.headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
    // A body refused unread (over 1 MB): this connection cannot carry another request.
    ...(request.complete ? {} : { connection: "close" }),
  });
  response.end(payload);
}
