import { authenticator } from "otplib";

// The cabinet's QR changes every 30 s and is accepted for 2 minutes (4 steps back, 1 ahead for
// clock skew), so a screenshot passed around stops working quickly.
const qrAuthenticator = authenticator.clone({ step: 30, window: [4, 1], digits: 6 });

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

export function qrCodeIsValid(code: string, qrSecret: string): boolean {
  return qrAuthenticator.check(code, qrSecret);
}
