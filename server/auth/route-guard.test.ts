import { describe, expect, it } from "vitest";
import { refuseAuthRequest } from "./route-guard";

const request = (path: string, init: RequestInit = {}) => new Request(`http://localhost:3000${path}`, init);
const form = { "content-type": "application/x-www-form-urlencoded" };

describe("requests the Auth.js routes refuse first", () => {
  it("a callbackUrl that is no http(s) URL, in the query or the cookie, is a 400 (Auth.js answered 500)", async () => {
    for (const value of ["javascript:alert(1)", "data:text/html,x", "http://[::"]) {
      const answer = refuseAuthRequest(request(`/api/auth/session?callbackUrl=${encodeURIComponent(value)}`), [
        "staff",
      ]);
      expect(answer?.status, value).toBe(400);
      expect(await answer?.json()).toEqual({ error: "invalid_callback_url" });
    }
    const cookie = { cookie: `a=1; authjs.callback-url=${encodeURIComponent("javascript:x")}` };
    expect(refuseAuthRequest(request("/api/auth/session", { headers: cookie }), ["staff"])?.status).toBe(400);
    expect(
      refuseAuthRequest(request("/api/auth/session", { headers: { cookie: "authjs.callback-url=%ff" } }), ["staff"])
        ?.status,
    ).toBe(400);
  });

  it("an unknown provider is a 404, a POST that is not a form a 415", () => {
    expect(
      refuseAuthRequest(request("/api/auth/callback/credentials", { method: "POST", headers: form }), ["staff"])
        ?.status,
    ).toBe(404);
    const json = { method: "POST", headers: { "content-type": "application/json" }, body: "{" };
    expect(refuseAuthRequest(request("/api/auth/callback/staff", json), ["staff"])?.status).toBe(415);
  });

  it("lets what Auth.js serves through: sessions, its CSRF token, a form POST, same-site callbacks", () => {
    expect(refuseAuthRequest(request("/api/auth/session"), ["staff"])).toBeNull();
    expect(refuseAuthRequest(request("/api/auth/session?callbackUrl=%2Fdashboard"), ["staff"])).toBeNull();
    expect(
      refuseAuthRequest(request("/api/auth/signout", { method: "POST", headers: form, body: "csrfToken=x" }), [
        "staff",
      ]),
    ).toBeNull();
    expect(refuseAuthRequest(request("/api/guest-auth/callback/resend?token=x&email=a%40b.c"), ["resend"])).toBeNull();
    const cookie = { cookie: `authjs.callback-url=${encodeURIComponent("http://localhost:3000/dashboard")}` };
    expect(refuseAuthRequest(request("/api/auth/session", { headers: cookie }), ["staff"])).toBeNull();
  });
});
