import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { authLogger } from "./auth-logger";

/** A pino logger writing its JSON lines into an array. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: pino({ level: "debug" }, sink) };
}

/** An Auth.js error as it reaches `logger.error` (its class name is its type). */
function authError(type: string, message: string, cause?: Error) {
  const error = new Error(`${message}. Read more at https://errors.authjs.dev#${type.toLowerCase()}`) as Error & {
    type: string;
    cause?: unknown;
  };
  error.type = type;
  if (cause) error.cause = cause;
  return error;
}

describe("Auth.js logs through the app's logger", () => {
  it("a wrong code or an expired magic link: one info line with the request id, no stack", () => {
    const { lines, log } = capture();
    const logger = authLogger("staff", "req-1", log);
    logger.error(authError("CredentialsSignin", "Read more at https://errors.authjs.dev#credentialssignin"));
    authLogger("guest", "req-2", log).error(authError("Verification", "The token has expired"));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 30, auth: "staff", requestId: "req-1", authError: "CredentialsSignin" });
    expect(lines[1]).toMatchObject({
      level: 30,
      auth: "guest",
      requestId: "req-2",
      authError: "Verification",
      msg: "The token has expired.",
    });
    for (const line of lines) expect(JSON.stringify(line)).not.toMatch(/\n\s+at |"stack"/);
  });

  it("a forged form or a tampered cookie: a warning, still without a stack", () => {
    const { lines, log } = capture();
    authLogger("guest", "req-3", log).error(authError("MissingCSRF", "CSRF token was missing"));
    authLogger("guest", "req-3", log).error(authError("JWTSessionError", "Invalid JWT"));
    expect(lines.map((line) => [line.level, line.authError])).toEqual([
      [40, "MissingCSRF"],
      [40, "JWTSessionError"],
    ]);
    for (const line of lines) expect(line).not.toHaveProperty("err");
  });

  it("anything unexpected is an error with its cause's stack", () => {
    const { lines, log } = capture();
    authLogger("staff", "req-4", log).error(
      authError("CallbackRouteError", "Callback failed", new Error("database is down")),
    );
    expect(lines[0]).toMatchObject({ level: 50, requestId: "req-4", authError: "CallbackRouteError" });
    const logged = lines[0]?.err as { message: string; stack: string } | undefined;
    expect(logged?.message).toBe("database is down");
    expect(logged?.stack).toMatch(/at /);
  });

  it("warnings and debug output go through it too", () => {
    const { lines, log } = capture();
    const logger = authLogger("staff", undefined, log);
    logger.warn("debug-enabled");
    logger.debug("adapter call", { method: "getUser" });
    expect(lines.map((line) => line.level)).toEqual([40, 20]);
  });
});
