import { hash, verify } from "@node-rs/argon2";

// argon2id (the library default) with OWASP's minimum: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

/** Staff passwords: long beats complex. */
export const MIN_PASSWORD_LENGTH = 10;
/** Long passwords are fine; an argon2 hash of a megabyte is not. */
export const MAX_PASSWORD_LENGTH = 200;
