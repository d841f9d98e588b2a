import { describe, expect, it } from "vitest";
import { MAX_NEXT_PATH_LENGTH, requestedPathWithin, safeNextPath, sameSitePath } from "./redirects";

describe("safeNextPath", () => {
  it("keeps paths of this site", () => {
    expect(safeNextPath("/dashboard/demo/staff?x=1#top")).toBe("/dashboard/demo/staff?x=1#top");
    expect(safeNextPath("/account")).toBe("/account");
    expect(safeNextPath("/")).toBe("/");
    // Normalised, and still on this site.
    expect(safeNextPath("/dashboard/demo/../north")).toBe("/dashboard/north");
    expect(safeNextPath("/dashboard/demo?next=//evil.example")).toBe("/dashboard/demo?next=//evil.example");
  });

  // Each of these either is another origin or normalises (or decodes, or is read by a browser) into one.
  const HOSTILE: unknown[] = [
    "//evil.example",
    "///evil.example",
    "/..//evil.example",
    "/../..//evil.example",
    "/./..//evil.example",
    "/a/..//evil.example",
    "/%2e%2e//evil.example",
    "/%2E%2E//evil.example",
    "/.%2e//evil.example",
    "/%2e./%2fevil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/\\evil.example",
    "/\\\\evil.example",
    "/./\\evil.example",
    "/%5cevil.example",
    "/%5Cevil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d%0a/evil.example",
    "/\u0000/evil.example",
    "/%00/evil.example",
    "/dashboard\u0000",
    "/\u0085/evil.example",
    "https://evil.example",
    "http:/evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    " /dashboard",
    "evil",
    "",
    `/${"a".repeat(MAX_NEXT_PATH_LENGTH)}`,
    "/%ff",
    42,
    null,
    undefined,
    ["/dashboard"],
  ];

  it.each(HOSTILE.map((value) => [JSON.stringify(value)?.slice(0, 60) ?? String(value), value]))(
    "refuses %s",
    (_label, value) => {
      expect(safeNextPath(value)).toBe("/dashboard");
      expect(sameSitePath(value)).toBeNull();
    },
  );

  it("never returns what a browser would resolve on another origin", () => {
    for (const value of HOSTILE) {
      const result = safeNextPath(value);
      expect(new URL(result, "https://zerno.example").origin).toBe("https://zerno.example");
      expect(result.startsWith("//") || result.startsWith("/\\")).toBe(false);
    }
  });
});

describe("requestedPathWithin (a layout's way back to the page asked for)", () => {
  it("keeps a page under the section: the board, not the overview", () => {
    expect(requestedPathWithin("/dashboard/demo/orders", "/dashboard/demo")).toBe("/dashboard/demo/orders");
    expect(requestedPathWithin("/dashboard/demo", "/dashboard/demo")).toBe("/dashboard/demo");
  });

  it("falls back to the section for another café, a look-alike prefix or a hostile path", () => {
    for (const value of [
      "/dashboard/other/orders",
      "/dashboard/demo-2/orders",
      "/dashboard/demo/../other",
      "//evil.example",
      null,
    ]) {
      expect(requestedPathWithin(value, "/dashboard/demo")).toBe("/dashboard/demo");
    }
  });
});
