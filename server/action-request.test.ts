import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  isPagePath,
  malformedActionArguments,
  malformedActionRequest,
  ROUTE_HANDLERS_OUTSIDE_API,
} from "./action-request";

/** A call as the browser posts it: text, or multipart (its boundary set by Request) for a form. */
const call = (body: string | FormData) =>
  new Request("http://cafe.example/demo/me", {
    method: "POST",
    headers: {
      "next-action": "7f00",
      ...(typeof body === "string" ? { "content-type": "text/plain;charset=UTF-8" } : {}),
    },
    body,
  });

describe("server action calls React cannot decode", () => {
  it("are told apart from the calls the app's pages send", async () => {
    expect(await malformedActionRequest(call('["demo",{"qr":"t=1"}]'))).toBeNull();
    expect(
      await malformedActionRequest(call('["$$x","$undefined","$NaN","$D2026-01-01T00:00:00.000Z","$n5"]')),
    ).toBeNull();
    // A form argument: the root in part "0", the form's fields beside it, a Map in part "1", a file in "2".
    const form = new FormData();
    form.set("0", '["demo",{},"$K1","$Q1","$o2"]');
    form.set("_1_name", "Гость");
    form.set("1", "[[1,2]]");
    form.set("2", new Blob([new Uint8Array([1])]));
    expect(await malformedActionRequest(call(form))).toBeNull();
  });

  it("name what is wrong: not JSON, not a list, a missing or mistyped part", async () => {
    expect(await malformedActionRequest(call("not json"))).toMatch(/not JSON/);
    expect(await malformedActionRequest(call('["x",'))).toMatch(/not JSON/);
    expect(await malformedActionRequest(call('{"0":"x"}'))).toMatch(/not a list/);
    expect(await malformedActionRequest(call("5"))).toMatch(/not a list/);
    expect(await malformedActionRequest(call(JSON.stringify(["x".repeat(1024 * 1024)])))).toMatch(/larger than 1 MB/);
    expect(await malformedActionRequest(call('["$Q99"]'))).toMatch(/missing part/);
    expect(await malformedActionRequest(call('["$@7"]'))).toMatch(/missing part/);
    expect(await malformedActionRequest(call('["$1"]'))).toMatch(/missing part/);
    expect(await malformedActionRequest(call('["$h1"]'))).toMatch(/missing part/);
    expect(await malformedActionRequest(call(`["$n${"9".repeat(400)}"]`))).toMatch(/unknown reference/);
    const textForBlob = new FormData();
    textForBlob.set("0", '["$B1"]');
    textForBlob.set("1", "not a file");
    expect(await malformedActionRequest(call(textForBlob))).toMatch(/not a file/);
    const noRoot = new FormData();
    noRoot.set("1", "[]");
    expect(await malformedActionRequest(call(noRoot))).toBe("no arguments");
  });

  it("follows references into parts, and stops at a cycle", () => {
    const parts = new FormData();
    parts.set("1", '["$2"]');
    parts.set("2", '["$1","$Q9"]');
    expect(malformedActionArguments('["$1"]', parts)).toMatch(/missing part/);
    parts.set("2", '["$1"]');
    expect(malformedActionArguments('["$1"]', parts)).toBeNull();
  });

  it("refuses a multipart POST to a page whose body cannot be read (Next reads it as a form's action)", async () => {
    const broken = (path: string) =>
      new Request(`http://cafe.example${path}`, {
        method: "POST",
        headers: { "content-type": "multipart/form-data; boundary=x" },
        body: "a=1&<script>=2",
      });
    expect(await malformedActionRequest(broken("/demo/me"))).toMatch(/cannot be read/);
    // Route handlers answer their own bodies.
    expect(await malformedActionRequest(broken("/api/guests/import"))).toBeNull();
    expect(await malformedActionRequest(broken("/dashboard/demo/menu/photo"))).toBeNull();
    // A form's action (posted before the page's script ran) names its action; a form without one
    // is no request the app's pages send, and Next would log it as an invalid action.
    const form = new FormData();
    form.set("name", "Гость");
    const post = (path: string, body: FormData) =>
      malformedActionRequest(new Request(`http://cafe.example${path}`, { method: "POST", body }));
    expect(await post("/demo/me", form)).toMatch(/names no server action/);
    // "/dashboard/%2e%2e/menu/photo" is routed to the page "/menu/photo", not to the photo route.
    expect(await post("/dashboard/%2e%2e/menu/photo", form)).toMatch(/names no server action/);
    expect(await post("/dashboard/demo/menu/photo", form)).toBeNull();
    form.set("$ACTION_ID_7f3a", "");
    expect(await post("/demo/me", form)).toBeNull();
  });

  it("leaves requests that are no server action call to Next", async () => {
    expect(
      await malformedActionRequest(new Request("http://cafe.example/demo", { method: "POST", body: "x" })),
    ).toBeNull();
  });
});

describe("the route handlers outside /api", () => {
  it("are listed, so a multipart POST to them is left to them", () => {
    const found = (readdirSync("app", { recursive: true }) as string[])
      .filter((file) => path.basename(file) === "route.ts" && !file.startsWith(`api${path.sep}`))
      .map((file) => path.dirname(file).split(path.sep).join("/"))
      // Route groups are not part of the URL.
      .map((route) => route.replace(/\([^)]*\)\//g, ""))
      .sort();
    expect([...ROUTE_HANDLERS_OUTSIDE_API].sort()).toEqual(found);
    expect(isPagePath("/dashboard/demo/guests/import/upload")).toBe(false);
    expect(isPagePath("/media/photos/a/b.webp")).toBe(false);
    expect(isPagePath("/dashboard/demo/guests/import")).toBe(true);
    expect(isPagePath("/demo/me")).toBe(true);
    expect(isPagePath("/dashboard/%2E%2e/menu/photo")).toBe(true);
    expect(isPagePath("/dashboard/demo/menu/../menu/photo")).toBe(false);
  });
});
