import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "../env";

/**
 * Short-lived signed tokens (HMAC-SHA256 with AUTH_SECRET) for steps between requests, such as
 * "the password was right, now the second factor". A purpose is part of the signature, so a
 * token for one step is never accepted by another.
 */
export function signToken(
  purpose: string,
  payload: Record<string, unknown>,
  ttlSeconds: number,
  secret = authSecret(),
  /** When the token counts as issued (a resent message must carry the same token); now by default. */
  issuedAtMs = Date.now(),
) {
  const body = Buffer.from(JSON.stringify({ ...payload, exp: Math.floor(issuedAtMs / 1000) + ttlSeconds })).toString(
    "base64url",
  );
  return `${body}.${signature(purpose, body, secret)}`;
}

export function verifyToken<T extends Record<string, unknown>>(
  purpose: string,
  token: string,
  secret = authSecret(),
): T | null {
  const [body, mac] = token.split(".");
  if (!body || !mac) return null;
  const expected = Buffer.from(signature(purpose, body, secret));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as T & { exp: number };
    return payload.exp > Date.now() / 1000 ? payload : null;
  } catch {
    return null;
  }
}

function signature(purpose: string, body: string, secret: string) {
  return createHmac("sha256", secret).update(`${purpose}.${body}`).digest("base64url");
}

/** HMAC of a high-entropy secret (recovery codes, one-time links): a database dump does not reveal them. */
export function keyedHash(value: string, secret = authSecret()): string {
  return createHmac("sha256", secret).update(value).digest("hex");
}
