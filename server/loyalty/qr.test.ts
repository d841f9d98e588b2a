import { authenticator } from "otplib";
import { describe, expect, it } from "vitest";
import { newQrSecret, parseQrPayload, qrCodeIsValid } from "./qr";

const secret = newQrSecret();
/** The code the cabinet showed during the 30-second step that began at `stepStart`. */
const codeOfStep = (stepStart: number) => authenticator.clone({ step: 30, epoch: stepStart }).generate(secret);
const stepStart = Math.floor(Date.parse("2026-12-01T08:15:00Z") / 30_000) * 30_000;

describe("the cabinet's rotating QR code", () => {
  it("is accepted for 2 minutes from when it first showed, and not a moment longer", () => {
    const code = codeOfStep(stepStart);
    for (const later of [0, 29_999, 30_000, 90_000, 119_999, 120_000]) {
      expect(qrCodeIsValid(code, secret, stepStart + later), `${later} ms later`).toBe(true);
    }
    for (const later of [120_001, 149_999, 5 * 60_000]) {
      expect(qrCodeIsValid(code, secret, stepStart + later), `${later} ms later`).toBe(false);
    }
  });

  it("tolerates a server clock one step behind, but no more, and refuses other codes", () => {
    expect(qrCodeIsValid(codeOfStep(stepStart + 30_000), secret, stepStart + 1_000)).toBe(true);
    expect(qrCodeIsValid(codeOfStep(stepStart + 60_000), secret, stepStart + 1_000)).toBe(false);
    expect(
      qrCodeIsValid(authenticator.clone({ step: 30, epoch: stepStart }).generate(newQrSecret()), secret, stepStart),
    ).toBe(false);
    expect(qrCodeIsValid("12345", secret, stepStart)).toBe(false);
  });

  it("reads the guest and the code from a scanned payload, and nothing else", () => {
    const guestId = "0190f0a0-1234-7abc-8def-0123456789ab";
    expect(parseQrPayload(` zq1.${guestId.toUpperCase()}.123456 `)).toEqual({ guestId, code: "123456" });
    expect(parseQrPayload(`zq1.${guestId}.12345`)).toBeNull();
    expect(parseQrPayload("2000123456789")).toBeNull();
  });
});
