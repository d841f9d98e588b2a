import type { Logger } from "pino";
import { logger, REQUEST_ID_HEADER } from "../log";

/**
 * Auth.js failures that are part of normal use, logged as one JSON line without a stack: a wrong or
 * used second-factor code, an expired or already used magic link.
 */
const EXPECTED = new Set(["CredentialsSignin", "Verification"]);
/** Failures worth an operator's look (a forged form, a tampered cookie, a foreign host), no stack. */
const SUSPICIOUS = new Set([
  "MissingCSRF",
  "AccessDenied",
  "JWTSessionError",
  "SessionTokenError",
  "UntrustedHost",
  "InvalidCheck",
  "InvalidCallbackUrl",
  "UnknownAction",
]);

type AuthLikeError = Error & { type?: string; code?: string; cause?: unknown };

/** Auth.js appends a "Read more at https://errors.authjs.dev#…" line; the first line says it. */
function firstLine(message: string): string {
  return (
    message
      .split("\n")[0]
      ?.replace(/\s*Read more at \S+$/, "")
      .trim() ?? ""
  );
}

/**
 * The `logger` of an Auth.js instance, through the app's pino logger with the request id: expected
 * failures at info, suspicious ones at warn (neither with a stack), anything else at error with its
 * stack and cause — instead of Auth.js's multi-line `[auth][error]` output beside the JSON lines.
 */
export function authLogger(instance: "staff" | "guest", requestId: string | undefined, base: Logger = logger()) {
  const log = base.child({ auth: instance, requestId });
  return {
    error(error: Error) {
      const failure = error as AuthLikeError;
      const type = failure.type ?? failure.name;
      const details = {
        authError: type,
        ...(failure.code && failure.code !== "credentials" ? { code: failure.code } : {}),
      };
      if (EXPECTED.has(type)) log.info(details, firstLine(failure.message) || type);
      else if (SUSPICIOUS.has(type)) log.warn(details, firstLine(failure.message) || type);
      else
        log.error(
          { ...details, err: failure.cause instanceof Error ? failure.cause : failure },
          firstLine(failure.message),
        );
    },
    warn(code: string) {
      log.warn({ authWarning: code }, `Auth.js warning: ${code}`);
    },
    debug(message: string, metadata?: unknown) {
      log.debug({ metadata }, message);
    },
  };
}

/** The request id proxy.ts gave the request Auth.js is serving (none outside a request). */
export async function authRequestId(request: Request | undefined): Promise<string | undefined> {
  if (request) return request.headers.get(REQUEST_ID_HEADER) ?? undefined;
  try {
    const { headers } = await import("next/headers");
    return (await headers()).get(REQUEST_ID_HEADER) ?? undefined;
  } catch {
    return undefined;
  }
}
