import { eq, isNull, lt, or, sql } from "drizzle-orm";
import { authenticator } from "otplib";
import QRCode from "qrcode";
import type { Tx } from "@/db/client";
import { users } from "@/db/schema";

// RFC 6238: 30-second steps, 6 digits, one step of clock skew either way.
const STEP_SECONDS = 30;
const staffTotp = authenticator.clone({ step: STEP_SECONDS, window: 1, digits: 6 });

export function newTotpSecret(): string {
  return staffTotp.generateSecret(20);
}

export function totpCode(secret: string): string {
  return staffTotp.generate(secret);
}

/** The otpauth:// URI and a QR code of it (an SVG data URL) for authenticator apps. */
export async function totpEnrolment(email: string, secret: string) {
  const uri = staffTotp.keyuri(email, "Зерно", secret);
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { uri, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(qrSvg).toString("base64")}` };
}

/** The time step a correct code belongs to, or null. */
export function totpStep(code: string, secret: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = staffTotp.checkDelta(code, secret);
  return delta === null ? null : Math.floor(now / 1000 / STEP_SECONDS) + delta;
}

/**
 * Accepts a step once: the user's last accepted step only moves forward, in one conditional
 * UPDATE, so a code that was just used (even by a concurrent request) is refused.
 */
export async function consumeTotpStep(tx: Tx, userId: string, step: number): Promise<boolean> {
  const updated = await tx
    .update(users)
    .set({ totpLastStep: step })
    .where(sql`${eq(users.id, userId)} and ${or(isNull(users.totpLastStep), lt(users.totpLastStep, step))}`)
    .returning({ id: users.id });
  return updated.length === 1;
}
