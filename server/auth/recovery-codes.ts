import { randomInt } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { userRecoveryCodes } from "@/db/schema";
import { keyedHash } from "./tokens";

export const RECOVERY_CODE_COUNT = 10;
// No 0/O or 1/I/L: codes are read from paper and typed by hand.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const RECOVERY_CODE = /^[2-9A-HJ-NP-Z]{5}-?[2-9A-HJ-NP-Z]{5}$/i;

function newCode(): string {
  const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
}

function normalise(code: string): string {
  return code.replace(/[\s-]/g, "").toUpperCase();
}

export function looksLikeRecoveryCode(code: string): boolean {
  return RECOVERY_CODE.test(code.trim());
}

/** Replaces the user's recovery codes with 10 new ones, returned once; only their hashes are kept. */
export async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
  await tx.insert(userRecoveryCodes).values(codes.map((code) => ({ userId, codeHash: keyedHash(normalise(code)) })));
  return codes;
}

/** Uses a recovery code once: the conditional UPDATE refuses a code already used. */
export async function redeemRecoveryCode(tx: Tx, userId: string, code: string): Promise<boolean> {
  const used = await tx
    .update(userRecoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(userRecoveryCodes.userId, userId),
        eq(userRecoveryCodes.codeHash, keyedHash(normalise(code))),
        isNull(userRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: userRecoveryCodes.id });
  return used.length === 1;
}

export async function remainingRecoveryCodes(tx: Tx, userId: string): Promise<number> {
  const rows = await tx
    .select({ id: userRecoveryCodes.id })
    .from(userRecoveryCodes)
    .where(and(eq(userRecoveryCodes.userId, userId), isNull(userRecoveryCodes.usedAt)));
  return rows.length;
}
