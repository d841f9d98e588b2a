import { describe, expect, it } from "vitest";
import { crossSiteRefusal, isSameOriginRequest } from "./same-origin";

const post = (headers: Record<string, string>, url = "http://zerno.example/demo/me/export") =>
  new Request(url, { method: "POST", headers });

describe("isSameOriginRequest", () => {
  it("admits a form of this site", () => {
    expect(isSameOriginRequest(post({ "sec-fetch-site": "same-origin", origin: "http://zerno.example" }))).toBe(true);
    // A client without Fetch Metadata: its Origin is the host it addressed (directly or via a proxy).
    expect(isSameOriginRequest(post({ origin: "http://zerno.example" }))).toBe(true);
    expect(
      isSameOriginRequest(post({ origin: "https://cafe.example", host: "cafe.example" }, "http://10.0.0.5:3000/x")),
    ).toBe(true);
    expect(
      isSameOriginRequest(
        post({ origin: "https://cafe.example", "x-forwarded-host": "cafe.example" }, "http://10.0.0.5/x"),
      ),
    ).toBe(true);
  });

  it("refuses another site, a sibling site, a typed-in request, and a request that says nothing", () => {
    for (const headers of [
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      // Fetch Metadata decides when present, whatever Origin claims.
      { "sec-fetch-site": "cross-site", origin: "http://zerno.example" },
      { "sec-fetch-site": "same-site", origin: "http://shop.zerno.example" },
      { "sec-fetch-site": "none" },
      { origin: "https://evil.example" },
      { origin: "http://zerno.example.evil.example" },
      { origin: "http://zerno.example:8080" },
      { origin: "null" },
      { origin: "not a url" },
      { origin: "file://zerno.example" },
      {},
    ] as Record<string, string>[]) {
      expect(isSameOriginRequest(post(headers)), JSON.stringify(headers)).toBe(false);
    }
  });
});

describe("crossSiteRefusal", () => {
  it("is a 403 for another site, nothing for this one", async () => {
    const refused = crossSiteRefusal(post({ "sec-fetch-site": "cross-site" }));
    expect(refused?.status).toBe(403);
    expect(await refused?.text()).toContain("Cross-site");
    expect(crossSiteRefusal(post({ "sec-fetch-site": "same-origin" }))).toBeNull();
  });
});
