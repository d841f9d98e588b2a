import { describe, expect, it } from "vitest";
import { normalizePhone } from "./phone";

describe("phones in any common form", () => {
  it("reads national and international forms as one E.164 number", () => {
    for (const form of [
      "8 (916) 123-45-67",
      "+7 916 1234567",
      "+7 (916) 123-45-67",
      "89161234567",
      "9161234567",
      "0079161234567",
      "00 7 916 123 45 67",
    ]) {
      expect(normalizePhone(form), form).toBe("+79161234567");
    }
    expect(normalizePhone("0049 30 901820")).toBe("+4930901820");
  });

  it("refuses what is no phone", () => {
    for (const form of ["12", "+7 000 000-00-00", "00", "phone", "+7 916 123 45 67 89 00 11"]) {
      expect(normalizePhone(form), form).toBeNull();
    }
  });
});
