import { TRPCError } from "@trpc/server";
import { AppError, type AppErrorCode } from "../errors";

/** The POS contract's error body: `{"error": {"code", "message", "details"?}}`. */
export type PosErrorBody = { error: { code: string; message: string; details?: unknown } };
export type PosError = { status: number; body: PosErrorBody; headers: Record<string, string> };

const STATUS: Record<AppErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
};

const TRPC_STATUS: Partial<Record<TRPCError["code"], [number, string]>> = {
  BAD_REQUEST: [400, "invalid_request"],
  PARSE_ERROR: [400, "invalid_request"],
  UNAUTHORIZED: [401, "unauthorized"],
  FORBIDDEN: [403, "forbidden"],
  NOT_FOUND: [404, "not_found"],
  CONFLICT: [409, "conflict"],
  PAYLOAD_TOO_LARGE: [400, "invalid_request"],
  TOO_MANY_REQUESTS: [429, "rate_limited"],
};

type Issue = { path: PropertyKey[]; message: string };

function hasIssues(value: unknown): value is { issues: Issue[] } {
  return typeof value === "object" && value !== null && Array.isArray((value as { issues?: unknown }).issues);
}

export function posError(status: number, code: string, message: string, details?: unknown): PosError {
  return {
    status,
    body: { error: details === undefined ? { code, message } : { code, message, details } },
    headers: {},
  };
}

/**
 * Maps anything a POS procedure throws to the contract's status and body, in one place. The
 * message of an unexpected error is never shown (no stack traces, no SQL): it is logged instead.
 */
export function toPosError(error: unknown, bodyProblem?: string): PosError & { unexpected?: unknown } {
  const cause = error instanceof TRPCError ? (error.cause ?? error) : error;
  if (cause instanceof AppError) {
    const status = STATUS[cause.code];
    const mapped = posError(status, cause.reason ?? cause.code, cause.message, cause.details);
    if (cause.code === "rate_limited") {
      const retryAfter = (cause.details as { retryAfter?: number } | undefined)?.retryAfter ?? 1;
      return { ...posError(status, "rate_limited", cause.message), headers: { "Retry-After": String(retryAfter) } };
    }
    return mapped;
  }
  if (error instanceof TRPCError && error.code === "BAD_REQUEST" && hasIssues(cause)) {
    if (bodyProblem) return posError(400, "invalid_request", bodyProblem, [{ path: "", message: bodyProblem }]);
    const details = cause.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
    return posError(400, "invalid_request", "The request failed validation", details);
  }
  if (error instanceof TRPCError) {
    const known = TRPC_STATUS[error.code];
    if (known) return posError(known[0], known[1], error.message);
  }
  return {
    ...posError(500, "internal_error", "Internal error; the request id identifies it in the logs"),
    unexpected: error,
  };
}
