/** The one error type services throw; each transport maps `code` once (tRPC codes, POS error bodies). */
export type AppErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "payment_required"
  | "not_found"
  | "conflict"
  | "unprocessable"
  | "rate_limited";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** A finer, transport-visible reason, e.g. the POS contract's `guest_exists`. */
    readonly reason?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}
