import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { badPathPage, isUndecodablePath, refuseUndecodablePath } from "./bad-path";

describe("isUndecodablePath", () => {
  it("refuses what cannot be percent-decoded", () => {
    for (const path of [
      "/%ff",
      "/demo/product/%ff",
      "/demo/orders/%ff",
      "/dashboard/%ff",
      "/%e0%a4",
      "/50%",
      "/%zz",
      "/%c0%af",
    ]) {
      expect(isUndecodablePath(path), path).toBe(true);
    }
  });

  it("lets every decodable path through (a NUL or an unknown page is the app's 404 to give)", () => {
    for (const path of [
      "/",
      "/demo",
      "/demo/product/%00",
      "/demo/product/%D0%BA%D0%BE%D1%84%D0%B5",
      "/%20",
      "/dashboard/demo",
    ]) {
      expect(isUndecodablePath(path), path).toBe(false);
    }
  });
});

describe("badPathPage", () => {
  it("is a self-contained page in both languages, without script", () => {
    const page = badPathPage("req-1");
    expect(page).toContain('<html lang="ru">');
    expect(page).toContain("Неверный адрес страницы");
    expect(page).toContain("Bad page address");
    expect(page).toContain("req-1");
    expect(page).not.toMatch(/<script|<link|src=/i);
  });

  it("never echoes markup from a request id", () => {
    expect(badPathPage('<img src=x onerror="alert(1)">')).not.toContain("<img");
  });
});

// The production server's order (server/ops/serve.ts): the refusal first, then Next (a stub here).
describe("the server in front of Next", () => {
  const warn = vi.fn();
  const next = vi.fn();
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://localhost");
      if (refuseUndecodablePath(request, response, url.pathname, { warn })) return;
      next(url.pathname);
      response.writeHead(404, { "content-type": "text/html" }).end("next");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // Raw request lines: fetch() and URL would not send an undecodable path unchanged everywhere.
  const get = (path: string, method = "GET", headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const request = httpRequest({ host: "127.0.0.1", port, path, method, headers }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          body += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      });
      request.on("error", reject);
      request.end();
    });

  it("answers 400 with its page, logged with the request id, and never reaches Next", async () => {
    for (const path of ["/%ff", "/demo/product/%ff", "/demo/orders/%ff", "/dashboard/%ff", "/dashboard/%ff?x=1"]) {
      warn.mockClear();
      next.mockClear();
      const answer = await get(path, "GET", { "x-request-id": "lb-42" });
      expect(answer.status, path).toBe(400);
      expect(answer.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(answer.headers["x-request-id"]).toBe("lb-42");
      expect(answer.body).toContain("Неверный адрес страницы");
      expect(answer.body).toContain("lb-42");
      expect(next).not.toHaveBeenCalled();
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ requestId: "lb-42", path }), expect.any(String));
    }
  });

  it("gives a request without an id one, the same in the log, the header and the page", async () => {
    warn.mockClear();
    const answer = await get("/%ff");
    const requestId = answer.headers["x-request-id"];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.body).toContain(String(requestId));
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ requestId }), expect.any(String));
  });

  it("answers HEAD without a body", async () => {
    const answer = await get("/%ff", "HEAD");
    expect(answer.status).toBe(400);
    expect(answer.body).toBe("");
  });

  it("hands every decodable path to Next", async () => {
    next.mockClear();
    for (const path of ["/demo/product/%00", "/demo", "/%D0%BA"]) {
      const answer = await get(path);
      expect(answer.body, path).toBe("next");
    }
    expect(next).toHaveBeenCalledTimes(3);
  });
});
