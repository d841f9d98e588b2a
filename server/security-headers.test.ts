import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isCrossOriginServerAction, newNonce, securityHeaders } from "./security-headers";

const directive = (policy: string, name: string) =>
  policy
    .split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name} `));

describe("the Content-Security-Policy", () => {
  it("runs only scripts carrying this request's nonce, never eval in production, never in a frame", () => {
    const nonce = newNonce();
    const policy = contentSecurityPolicy(nonce, { development: false, https: false });
    expect(directive(policy, "script-src")).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(policy).not.toContain("unsafe-eval");
    expect(directive(policy, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive(policy, "object-src")).toBe("object-src 'none'");
    expect(directive(policy, "connect-src")).toBe("connect-src 'self'");
    expect(policy).not.toContain("upgrade-insecure-requests");
  });

  it("allows eval (React's development tools) only in development, and upgrades requests behind HTTPS", () => {
    expect(contentSecurityPolicy("n", { development: true, https: false })).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy("n", { development: false, https: true })).toContain("upgrade-insecure-requests");
  });

  it("makes a new, unguessable nonce every time", () => {
    const nonces = new Set(Array.from({ length: 100 }, () => newNonce()));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("the other security headers", () => {
  it("always: no sniffing, no framing, the referrer cut to the origin on other sites", () => {
    expect(securityHeaders({ https: false })).toEqual({
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "X-Frame-Options": "DENY",
    });
  });

  it("HSTS only when the public address is HTTPS", () => {
    expect(securityHeaders({ https: true })["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(securityHeaders({ https: false })).not.toHaveProperty("Strict-Transport-Security");
  });
});

describe("a server action from another site", () => {
  const action = (headers: Record<string, string>, method = "POST") => ({
    method,
    headers: new Headers({ "next-action": "abc123", ...headers }),
  });

  it("is told apart from the app's own", () => {
    expect(isCrossOriginServerAction(action({ origin: "https://evil.example", host: "cafe.example" }))).toBe(true);
    expect(isCrossOriginServerAction(action({ origin: "null", host: "cafe.example" }))).toBe(true);
    expect(isCrossOriginServerAction(action({ origin: "not a url", host: "cafe.example" }))).toBe(true);
    expect(isCrossOriginServerAction(action({ origin: "https://cafe.example", host: "cafe.example" }))).toBe(false);
    // Behind a proxy the forwarded host is the one the browser addressed.
    expect(
      isCrossOriginServerAction(
        action({ origin: "https://cafe.example", host: "10.0.0.5:3000", "x-forwarded-host": "cafe.example" }),
      ),
    ).toBe(false);
  });

  it("refuses a cross-site multipart POST to a page (a form's action before the page's script ran)", () => {
    const form = (url: string) => ({
      method: "POST",
      url,
      headers: new Headers({
        origin: "https://evil.example",
        host: "cafe.example",
        "content-type": "multipart/form-data; boundary=x",
      }),
    });
    expect(isCrossOriginServerAction(form("https://cafe.example/demo/me"))).toBe(true);
    // Next reads a urlencoded POST to a page as a possible action too.
    const urlencoded = { ...form("https://cafe.example/demo/me") };
    urlencoded.headers = new Headers({
      origin: "https://evil.example",
      host: "cafe.example",
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(isCrossOriginServerAction(urlencoded)).toBe(true);
    // Route handlers under /api check their own callers.
    expect(isCrossOriginServerAction(form("https://cafe.example/api/guest-auth/sign-in"))).toBe(false);
  });

  it("leaves anything that is no server action, or has no Origin, to Next.js", () => {
    expect(
      isCrossOriginServerAction({ method: "POST", headers: new Headers({ origin: "https://evil.example" }) }),
    ).toBe(false);
    expect(isCrossOriginServerAction(action({ origin: "https://evil.example", host: "cafe.example" }, "GET"))).toBe(
      false,
    );
    expect(isCrossOriginServerAction(action({ host: "cafe.example" }))).toBe(false);
  });
});
