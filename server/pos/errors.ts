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

/**
 * Every error code of the contract (POS-API.md) with its status and when it is answered: the
 * OpenAPI document lists, for each operation and status, exactly the codes the procedure names.
 */
export const POS_ERROR_CODES = {
  invalid_request: [
    400,
    "the body fails validation (details list the fields) or contradicts itself (a receipt with another guest's hold), is not JSON, or not sent as application/json",
  ],
  unauthorized: [401, "no key, an unknown key or a revoked key"],
  subscription_inactive: [402, "the café's subscription is not active (trial over, unpaid, cancelled)"],
  guest_not_found: [404, "no guest with this identifier in this key's café"],
  receipt_not_found: [404, "no receipt with this externalId at this key's location"],
  redemption_not_found: [404, "no hold with this id in this key's café"],
  offer_not_found: [404, "no offer with this id or promo code in this key's café (another café's codes too)"],
  idempotency_conflict: [
    409,
    "this externalId (for a hold: the externalCheckId of a hold still held) was used before with a different payload",
  ],
  redemption_not_active: [409, "the hold was already committed, voided or expired"],
  redemption_limit_exceeded: [422, "more points than the programme's cap allows for this check"],
  insufficient_points: [422, "more points than the guest can spend"],
  refund_exceeds_receipt: [422, "the refunds would exceed what the receipt was paid"],
  guest_exists: [422, "a guest with this phone is already enrolled"],
  email_in_use: [422, "the email belongs to another guest of the café (beyond POS-API.md): enrol without it"],
  offer_expired: [422, "the offer is outside its dates or paused (details.reason: expired, not_yet_valid, paused)"],
  offer_used_up: [
    422,
    "the offer's uses are taken: in total, or this guest's (also the loser of two checks racing for the last use)",
  ],
  offer_not_applicable: [
    422,
    "an offer of the check does not apply: details name it (offerId, code, path, reason: not_for_this_guest, expired, not_yet_valid, paused, wrong_location, no_matching_items, required_item_missing, min_check_not_met, discount_exceeds_allowed with maxDiscount)",
  ],
  rate_limited: [429, "too many requests from this key; the Retry-After header says when to retry"],
} as const satisfies Record<string, readonly [number, string]>;
export type PosErrorCode = keyof typeof POS_ERROR_CODES;

/** Answered by every procedure (the key, the subscription, the rate limit). */
const KEY_ERRORS: PosErrorCode[] = ["unauthorized", "subscription_inactive", "rate_limited"];

/**
 * A procedure's `errorResponses` for its OpenAPI meta: the key's errors and `codes`, grouped by
 * status, each description being the codes themselves (the document expands them).
 */
export function posErrorResponses(...codes: PosErrorCode[]): Record<number, string> {
  const byStatus: Record<number, string> = {};
  for (const code of [...KEY_ERRORS, ...codes]) {
    const status = POS_ERROR_CODES[code][0];
    byStatus[status] = byStatus[status] ? `${byStatus[status]}, ${code}` : code;
  }
  return byStatus;
}

/** The codes `errorResponses` (made by posErrorResponses) names for `status`; an unknown one throws. */
export function posErrorCodes(
  errorResponses: Record<number, string> | number[] | undefined,
  status: number,
): PosErrorCode[] {
  const described = errorResponses && !Array.isArray(errorResponses) ? errorResponses[status] : undefined;
  const codes = described?.split(", ") ?? [];
  for (const code of codes) {
    if (!(code in POS_ERROR_CODES)) throw new Error(`"${code}" is not an error code of the contract`);
  }
  return codes as PosErrorCode[];
}

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
