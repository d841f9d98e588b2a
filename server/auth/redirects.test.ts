import { describe, expect, it } from "vitest";
import { safeNextPath } from "./redirects";

describe("safeNextPath", () => {
  it("keeps paths of this site", () => {
    expect(safeNextPath("/dashboard/demo/staff?x=1#top")).toBe("/dashboard/demo/staff?x=1#top");
  });

  it("refuses anything that could leave the site", () => {
    for (const value of [
      "//evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\\evil.example",
      "https://evil.example",
      "evil",
      42,
      undefined,
    ]) {
      expect(safeNextPath(value), String(value)).toBe("/dashboard");
    }
  });
});
