import { timingSafeEqual } from "node:crypto";
import { authenticator } from "otplib";

// The cabinet's QR changes every 30 s and is accepted for 2 minutes from when it first showed, so
// a screenshot passed around stops working quickly.
const STEP_MS = 30_000;
const ACCEPTED_MS = 120_000;
/** A code one step ahead is accepted too: app servers' clocks may differ by a little. */
const STEPS_AHEAD = 1;
const qrAuthenticator = authenticator.clone({ step: STEP_MS / 1000, digits: 6 });

const QR_PATTERN = /^zq1\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{6})$/i;

export function newQrSecret(): string {
  return authenticator.generateSecret(20);
}

/** The payload the guest's cabinet shows as a QR code right now. */
export function qrPayload(guestId: string, qrSecret: string): string {
  return `zq1.${guestId}.${qrAuthenticator.generate(qrSecret)}`;
}

/** Splits a scanned payload into the guest id and its time-based code, or null if it is not one. */
export function parseQrPayload(identifier: string): { guestId: string; code: string } | null {
  const match = QR_PATTERN.exec(identifier.trim());
  return match?.[1] && match[2] ? { guestId: match[1].toLowerCase(), code: match[2] } : null;
}

/** Whether `code` is the guest's code of a step that began at most 2 minutes before `now`. */
export function qrCodeIsValid(code: string, qrSecret: string, now = Date.now()): boolean {
  const current = Math.floor(now / STEP_MS);
  let valid = false;
  for (let step = current + STEPS_AHEAD; now - step * STEP_MS <= ACCEPTED_MS; step -= 1) {
    const expected = qrAuthenticator.clone({ epoch: step * STEP_MS }).generate(qrSecret);
    // Every step is compared (no early exit), in constant time.
    if (expected.length === code.length && timingSafeEqual(Buffer.from(expected), Buffer.from(code))) valid = true;
  }
  return valid;
}
