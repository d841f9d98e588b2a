import type { Database } from "@/db/client";
import { requestLogger } from "../log";
import { createRequestContext } from "../trpc/context";
import { createCallerFactory, type Meta } from "../trpc/init";
import { posRouter } from "../trpc/routers/pos";
import { POS_ERROR_CODES, type PosError, posError, posErrorCodes, toPosError } from "./errors";
import { recordPosRequest } from "./request-log";

// The REST view of the `pos` router: each procedure's OpenAPI meta names its method and path, so
// a route is never written twice. Request parsing and errors follow POS-API.md's conventions.

export const POS_BASE_PATH = "/api/pos/v1";
export const MAX_BODY_BYTES = 1_000_000;
/** Served by Next.js (a document, not a procedure): the production server's fast lane leaves it. */
export const POS_OPENAPI_PATH = `${POS_BASE_PATH}/openapi.json`;

/** What the handler reads of a request (a web `Request`'s, or the production server's fast lane's). */
export type PosHttpRequest = {
  method: string;
  pathname: string;
  /** The query string ("?guestId=…"), read by GET routes only. */
  search?: string;
  headers: Headers;
  text(): Promise<string>;
};
/** The answer, sent as JSON by whichever server received the request. */
export type PosHttpAnswer = { status: number; headers: Record<string, string>; body: unknown };

const createPosCaller = createCallerFactory(posRouter);

/** Thrown by a request's `text()` that stopped reading a body over MAX_BODY_BYTES. */
export class PosBodyTooLarge extends Error {}

type Route = {
  name: keyof typeof posRouter._def.procedures;
  method: string;
  pattern: RegExp;
  params: string[];
  successStatus: number;
  /** What a path value that cannot name anything answers (the route's own 404 code). */
  notFound: PosError | null;
};

const routes: Route[] = Object.entries(posRouter._def.procedures).flatMap(([name, procedure]) => {
  const meta = (procedure as { _def: { meta?: Meta } })._def.meta;
  if (!meta?.openapi) return [];
  const params: string[] = [];
  const source = meta.openapi.path.replace(/\{(\w+)\}/g, (_, param: string) => {
    params.push(param);
    return "([^/]+)";
  });
  return [
    {
      name: name as Route["name"],
      method: meta.openapi.method,
      pattern: new RegExp(`^${source}$`),
      params,
      successStatus: meta.successStatus ?? 200,
      notFound: notFoundOf(meta),
    },
  ];
});

/** The route's 404 for an id in its path: the first 404 code its OpenAPI meta names. */
function notFoundOf(meta: Meta): PosError | null {
  const [code] = posErrorCodes(meta.openapi?.errorResponses, 404);
  if (!code) return null;
  const [, when] = POS_ERROR_CODES[code];
  return posError(404, code, when.charAt(0).toUpperCase() + when.slice(1));
}

/**
 * An id in the path that fails its format (not a UUID, too long) names nothing that can exist:
 * 404 with the route's code, as for any unknown id. 400 stays when the body is wrong too.
 */
function pathOnlyProblem(route: Route, error: PosError): PosError | null {
  const details = error.body.error.details;
  if (error.status !== 400 || !route.notFound || !Array.isArray(details) || details.length === 0) return null;
  const onlyPath = details.every((detail: { path?: unknown }) => route.params.includes(String(detail.path)));
  return onlyPath ? route.notFound : null;
}

/** Reads a JSON body, or says in words what is wrong with it (answered as 400 after auth). */
async function readBody(request: PosHttpRequest): Promise<{ body?: unknown; problem?: string }> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) return { problem: "Send the body as application/json" };
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) return { problem: "The body is larger than 1 MB" };
  let text: string;
  try {
    text = await request.text();
  } catch (error) {
    if (error instanceof PosBodyTooLarge) return { problem: "The body is larger than 1 MB" };
    throw error;
  }
  if (text.length > MAX_BODY_BYTES) return { problem: "The body is larger than 1 MB" };
  try {
    return { body: JSON.parse(text) };
  } catch {
    return { problem: "The body is not valid JSON" };
  }
}

/** Handles one request under /api/pos/v1 as a web Response (the Next.js route, tests). */
export async function handlePosRequest(request: Request, db?: Database): Promise<Response> {
  const { pathname, search } = new URL(request.url);
  const answer = await answerPosRequest(
    { method: request.method, pathname, search, headers: request.headers, text: () => request.text() },
    db,
  );
  return Response.json(answer.body, { status: answer.status, headers: answer.headers });
}

/** Answers one request under /api/pos/v1; never throws, never answers HTML or a stack trace. */
export async function answerPosRequest(request: PosHttpRequest, db?: Database): Promise<PosHttpAnswer> {
  const started = performance.now();
  const ctx = createRequestContext(request, db);
  const { requestId } = ctx;
  const path = request.pathname.slice(POS_BASE_PATH.length) || "/";
  const found = matchRoute(request.method, path);
  // A path value that cannot be decoded (or holds a NUL) names nothing that can exist.
  const params = found ? pathParams(found.route, found.match) : null;
  if (!found || !params) {
    const error = posError(404, "not_found", `No ${request.method} ${POS_BASE_PATH}${path}`);
    return { status: error.status, body: error.body, headers: { "x-request-id": requestId } };
  }
  const { route } = found;
  const { body, problem } =
    request.method === "GET" || request.method === "DELETE"
      ? { body: request.method === "GET" ? queryParams(request.search) : {} }
      : await readBody(request);
  const input = problem ? undefined : isObject(body) ? { ...body, ...params } : body;

  let status: number;
  let responseBody: unknown;
  let headers: Record<string, string> = { "x-request-id": requestId };
  let errorCode: string | undefined;
  try {
    const procedure = createPosCaller(ctx)[route.name] as (input: unknown) => Promise<unknown>;
    responseBody = await procedure(input);
    status = ctx.response.status ?? route.successStatus;
  } catch (caught) {
    const mapped: PosError & { unexpected?: unknown } = toPosError(caught, problem);
    const error: PosError & { unexpected?: unknown } = pathOnlyProblem(route, mapped) ?? mapped;
    if (error.unexpected)
      requestLogger(request.headers).error({ err: error.unexpected, route: route.name }, "POS request failed");
    status = error.status;
    responseBody = error.body;
    errorCode = error.body.error.code;
    headers = { ...headers, ...error.headers };
  }
  const latencyMs = Math.round(performance.now() - started);
  if (ctx.response.keyId && ctx.response.tenantId) {
    recordPosRequest(ctx.db, {
      tenantId: ctx.response.tenantId,
      keyId: ctx.response.keyId,
      method: request.method,
      path,
      status,
      latencyMs,
      errorCode: errorCode ?? null,
      requestId,
    });
  }
  return { status, body: responseBody, headers };
}

/** The route for this method and path, with the match of its pattern (one pass over the routes). */
function matchRoute(method: string, path: string): { route: Route; match: RegExpExecArray } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, match };
  }
  return null;
}

function pathParams(route: Route, match: RegExpExecArray): Record<string, string> | null {
  try {
    const values = route.params.map((param, index) => [param, decodeURIComponent(match[index + 1] ?? "")] as const);
    return values.some(([, value]) => value.includes("\u0000")) ? null : Object.fromEntries(values);
  } catch {
    return null;
  }
}

/** A GET's query parameters as its input (the path's own values win over them). */
function queryParams(search: string | undefined): Record<string, string> {
  if (!search) return {};
  return Object.fromEntries(new URLSearchParams(search));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
