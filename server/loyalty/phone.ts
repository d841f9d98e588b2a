import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import { AppError } from "../errors";

/**
 * Any common national or international form ("8 (916) 123-45-67", "+7 916 1234567",
 * "007 916 123 45 67") to E.164.
 * National numbers are read as Russian, where our cafés' guests mostly are.
 */
export function normalizePhone(input: string, defaultCountry: "RU" = "RU"): string | null {
  const trimmed = input.trim();
  if (!/^[+\d][\d\s()\-.]{5,24}$/.test(trimmed)) return null;
  // Russian trunk prefix 8 is not understood by every parser; 8XXXXXXXXXX is +7XXXXXXXXXX.
  const digits = trimmed.replace(/\D/g, "");
  // 00 is the international prefix in much of the world: 0079161234567 is +79161234567.
  const candidate = trimmed.startsWith("00")
    ? `+${digits.slice(2)}`
    : !trimmed.startsWith("+") && digits.length === 11 && digits.startsWith("8")
      ? `+7${digits.slice(1)}`
      : trimmed;
  const phone = parsePhoneNumberFromString(candidate, defaultCountry);
  return phone?.isValid() ? phone.number : null;
}

export function requirePhone(input: string): string {
  const phone = normalizePhone(input);
  if (!phone) {
    throw new AppError("invalid_request", "Invalid phone number", "invalid_request", [
      { path: "phone", message: "Not a valid phone number" },
    ]);
  }
  return phone;
}
