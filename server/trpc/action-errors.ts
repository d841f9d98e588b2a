import { TRPCError } from "@trpc/server";
import { AppError } from "../errors";

/** A form's answer to a failed procedure: the reason code the page translates. */
export function actionError(error: unknown): { error: string } {
  if (error instanceof TRPCError) {
    const cause = error.cause instanceof AppError ? error.cause : undefined;
    if (cause) return { error: cause.reason ?? cause.code };
    if (error.code === "BAD_REQUEST") return { error: "invalid_request" };
    if (error.code === "FORBIDDEN" || error.code === "NOT_FOUND" || error.code === "UNAUTHORIZED") {
      return { error: error.code.toLowerCase() };
    }
  }
  throw error;
}
