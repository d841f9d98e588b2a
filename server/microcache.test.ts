import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { MICROCACHE_BYPASS_HEADER, Microcache, microcacheKey, microcacheRequest } from "./microcache";

function request(
  pathname: string,
  options: { method?: string; headers?: Record<string, string>; cookies?: Record<string, string> } = {},
) {
  return {
    method: options.method ?? "GET",
    pathname,
    search: "",
    headers: new Headers(options.headers),
    cookie: (name: string) => options.cookies?.[name],
  };
}

describe("which requests the microcache answers", () => {
  it("only a signed-out visitor's GET of a café's menu page", () => {
    expect(microcacheKey(request("/demo"), "token")).not.toBeNull();
    expect(microcacheKey(request("/demo/"), "token")).toBe(microcacheKey(request("/demo"), "token"));
    for (const path of ["/", "/demo/cart", "/demo/me", "/dashboard", "/robots.txt", "/api/health"]) {
      expect(microcacheKey(request(path), "token"), path).toBeNull();
    }
    expect(microcacheKey(request("/demo", { method: "POST" }), "token")).toBeNull();
    expect(microcacheKey(request("/demo", { headers: { rsc: "1" } }), "token")).toBeNull();
    expect(microcacheKey(request("/demo", { cookies: { "zerno-guest.session-token": "x" } }), "token")).toBeNull();
    expect(microcacheKey(request("/demo", { cookies: { "authjs.session-token": "x" } }), "token")).toBeNull();
    expect(microcacheKey(request("/demo", { headers: { [MICROCACHE_BYPASS_HEADER]: "token" } }), "token")).toBeNull();
    // A client cannot skip the cache with a guessed token.
    expect(
      microcacheKey(request("/demo", { headers: { [MICROCACHE_BYPASS_HEADER]: "guess" } }), "token"),
    ).not.toBeNull();
  });

  it("keys by language and chosen location, and renders with exactly those cookies", () => {
    const russian = microcacheKey(request("/demo", { cookies: { NEXT_LOCALE: "ru", other: "x" } }), "t") ?? "";
    const english = microcacheKey(request("/demo", { cookies: { NEXT_LOCALE: "en" } }), "t") ?? "";
    const elsewhere = microcacheKey(request("/demo", { cookies: { "zerno-location": "loc-2" } }), "t") ?? "";
    expect(new Set([russian, english, elsewhere]).size).toBe(3);
    const campaign = { ...request("/demo", { cookies: { NEXT_LOCALE: "ru" } }), search: "?utm_source=mail" };
    expect(microcacheKey(campaign, "t")).toBe(russian);
    expect(microcacheRequest(russian)).toEqual({ path: "/demo", cookie: "NEXT_LOCALE=ru" });
    expect(microcacheRequest(elsewhere)).toEqual({ path: "/demo", cookie: "zerno-location=loc-2" });
  });
});

const text = (body: ArrayBuffer) => new TextDecoder().decode(body);

describe("the microcache", () => {
  function counting(make: (call: number) => Response, delayMs = 10) {
    let calls = 0;
    const render = async () => {
      calls += 1;
      const call = calls;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return make(call);
    };
    return { render, calls: () => calls };
  }

  it("renders once for concurrent visitors and answers from memory until the time runs out", async () => {
    let now = 1_000;
    const source = counting((call) => new Response(`page ${call}`, { headers: { "content-type": "text/html" } }));
    const cache = new Microcache(source.render, () => now, 5_000);
    const first = await Promise.all(Array.from({ length: 20 }, () => cache.get("k")));
    expect(source.calls()).toBe(1);
    expect(first.map((answer) => text(answer.entry.body))).toEqual(Array(20).fill("page 1"));
    // One visitor waited for the render; the others were answered by it.
    expect(first.filter((answer) => !answer.hit)).toHaveLength(1);
    now += 4_999;
    const again = await cache.get("k");
    expect([again.hit, text(again.entry.body), new Headers(again.entry.headers).get("content-type")]).toEqual([
      true,
      "page 1",
      "text/html",
    ]);
    now += 1;
    expect(text((await cache.get("k")).entry.body)).toBe("page 2");
    expect(source.calls()).toBe(2);
  });

  it("keeps a gzipped copy of a page, made once when stored", async () => {
    const page = `<html>${"<p>Капучино</p>".repeat(200)}</html>`;
    const source = counting(() => new Response(page, { headers: { "content-type": "text/html" } }));
    const cache = new Microcache(source.render);
    const { entry } = await cache.get("k");
    expect(entry.gzipped).not.toBeNull();
    expect(gunzipSync(entry.gzipped ?? Buffer.alloc(0)).toString()).toBe(page);
    expect((await cache.get("k")).entry.gzipped).toBe(entry.gzipped);
  });

  it("keeps no error, redirect or cookie-setting answer, and survives a failing render", async () => {
    const answers = [
      new Response("oops", { status: 500 }),
      new Response(null, { status: 307, headers: { location: "/x" } }),
      new Response("hi", { headers: { "set-cookie": "a=b" } }),
    ];
    for (const answer of answers) {
      const source = counting(() => answer.clone());
      const cache = new Microcache(source.render);
      expect((await cache.get("k")).entry.status).toBe(answer.status);
      await cache.get("k");
      expect(source.calls()).toBe(2);
    }
    // A failed render is the caller's to handle (the server then lets Next answer), and not kept.
    let fail = true;
    const flaky = new Microcache(async () => {
      if (fail) throw new Error("connection refused");
      return new Response("back");
    });
    await expect(flaky.get("k")).rejects.toThrow("connection refused");
    fail = false;
    expect(text((await flaky.get("k")).entry.body)).toBe("back");
  });
});
