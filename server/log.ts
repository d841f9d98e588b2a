import pino from "pino";
import { env } from "./env";

let root: pino.Logger | undefined;

/** Structured JSON logs, created on first use (so importing a module never validates the environment). */
export function logger(): pino.Logger {
  root ??= pino({
    level: env().LOG_LEVEL,
    base: { service: "zerno" },
    redact: {
      paths: [
        "password",
        "*.password",
        "token",
        "*.token",
        "authorization",
        "*.authorization",
        "totpSecret",
        "*.totpSecret",
      ],
      censor: "[redacted]",
    },
  });
  return root;
}

export const REQUEST_ID_HEADER = "x-request-id";

/** A child logger carrying the request id that proxy.ts gave the request. */
export function requestLogger(headers: Headers) {
  return logger().child({ requestId: headers.get(REQUEST_ID_HEADER) ?? undefined });
}
