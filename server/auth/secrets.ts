import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { totpEncryptionKey } from "../env";

// AES-256-GCM with a key derived from TOTP_ENCRYPTION_KEY: a database dump alone does not
// reveal staff TOTP secrets. Format: v1.<iv>.<tag>.<ciphertext>, each base64url.
function key(secret: string) {
  return createHash("sha256").update(`zerno-totp:${secret}`).digest();
}

export function encryptSecret(plain: string, secret = totpEncryptionKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(secret), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function decryptSecret(sealed: string, secret = totpEncryptionKey()): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !data) throw new Error("Unrecognised sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", key(secret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

/** SHA-256 hex, for API keys and one-time tokens (high-entropy values need no slow hash). */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
