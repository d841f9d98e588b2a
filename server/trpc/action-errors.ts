import { TRPCError } from "@trpc/server";
import { AppError } from "../errors";

/** A form's answer to a failed procedure: the reason code the page translates. */
export function actionError(error: unknown): { error: string } {
  if (error instanceof TRPCError) {
    const cause = error.cause instanceof AppError ? error.cause : undefined;
    // A plan limit names the plan that allows the request (plan_limit_pro…), so the page can say so.
    const allowedBy = (cause?.details as { allowedBy?: string } | undefined)?.allowedBy;
    if (cause?.reason === "plan_limit" && allowedBy) return { error: `plan_limit_${allowedBy}` };
    if (cause) return { error: cause.reason ?? cause.code };
    if (error.code === "BAD_REQUEST") return { error: "invalid_request" };
    if (error.code === "FORBIDDEN" || error.code === "NOT_FOUND" || error.code === "UNAUTHORIZED") {
      return { error: error.code.toLowerCase() };
    }
  }
  throw error;
}

/** The first field a refused procedure names (the domain's details, or the input's validation). */
export function failedField(error: unknown): string | undefined {
  if (!(error instanceof TRPCError)) return undefined;
  const cause = error.cause;
  if (cause instanceof AppError) return (cause.details as { path?: string }[] | undefined)?.[0]?.path;
  const issues = (cause as { issues?: { path: PropertyKey[] }[] } | undefined)?.issues;
  return issues?.[0]?.path.map(String).join(".");
}

/** Every field a refused procedure names (the domain's details, or the input's validation), each once. */
export function failedFields(error: unknown): string[] {
  if (!(error instanceof TRPCError)) return [];
  const cause = error.cause;
  const paths =
    cause instanceof AppError
      ? ((cause.details as { path?: string }[] | undefined) ?? []).map((problem) => problem.path)
      : ((cause as { issues?: { path: PropertyKey[] }[] } | undefined)?.issues ?? []).map((issue) =>
          issue.path.map(String).join("."),
        );
  return [...new Set(paths.filter((path): path is string => Boolean(path)))];
}

/**
 * actionError, naming the field when the refusal is about one (`field_<name>`): the form says
 * which, or its invalid_request text for a field it has no words for.
 */
export function actionErrorNamingField(error: unknown): { error: string } {
  const answer = actionError(error);
  // "locationIds.0" is about the locations.
  const field = answer.error === "invalid_request" ? failedField(error)?.split(".")[0] : undefined;
  return field ? { error: `field_${field}` } : answer;
}
