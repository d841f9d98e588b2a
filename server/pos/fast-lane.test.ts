import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabase } from "@/db/testing/database";
import { isPosFastLanePath, servePosRequest } from "./fast-lane";
import { createPosTenant, receiptBody } from "./testing";

const db = await testDatabase();
let server: Server;
let base: string;
let key: string;

beforeAll(async () => {
  key = (await createPosTenant(db.app, "fast-lane")).key;
  server = createServer((request, response) => {
    void servePosRequest(request, response, new URL(request.url ?? "/", "http://localhost"), db.app);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw HTTP exchange (fetch would refuse some of what a broken till sends). */
function send(path: string, body: string, headers: Record<string, string> = {}, options: { chunked?: boolean } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; json: unknown }>((resolve, reject) => {
    const outgoing = httpRequest(`${base}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    });
    outgoing.on("response", (incoming) => {
      let text = "";
      incoming.on("data", (chunk) => {
        text += chunk;
      });
      incoming.on("end", () =>
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, json: JSON.parse(text) }),
      );
    });
    outgoing.on("error", (error) => {
      // A refused streamed body may close the socket before everything was written.
      if (!options.chunked) reject(error);
    });
    if (options.chunked) {
      // Written in parts before end(): no Content-Length, so only counting the bytes can refuse it.
      for (let offset = 0; offset < body.length; offset += 256_000)
        outgoing.write(body.slice(offset, offset + 256_000));
      outgoing.end();
    } else {
      outgoing.end(body);
    }
  });
}

describe("the production server's POS fast lane", () => {
  it("answers the base path and other methods than reading the OpenAPI document with the contract's JSON 404", async () => {
    expect(isPosFastLanePath("GET", "/api/pos/v1/openapi.json")).toBe(false);
    expect(isPosFastLanePath("HEAD", "/api/pos/v1/openapi.json")).toBe(false);
    expect(isPosFastLanePath("POST", "/api/pos/v1/openapi.json")).toBe(true);
    expect(isPosFastLanePath("GET", "/api/pos/v1")).toBe(true);
    expect(isPosFastLanePath("GET", "/api/pos/v10/receipts")).toBe(false);
    for (const path of ["/api/pos/v1", "/api/pos/v1/openapi.json"]) {
      const reply = await send(path, "{}");
      expect(reply.status, path).toBe(404);
      expect(reply.headers["content-type"]).toBe("application/json");
      expect(reply.json).toMatchObject({ error: { code: "not_found" } });
    }
  });

  it("answers like the route: a receipt, then its replay", async () => {
    const body = JSON.stringify(receiptBody("FAST-1", 25000));
    const first = await send("/api/pos/v1/receipts", body);
    expect(first.status).toBe(201);
    expect(first.headers["content-type"]).toBe("application/json");
    const again = await send("/api/pos/v1/receipts", body);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
  });

  it("refuses a body over 1 MB with the contract's error without reading it all, and closes that connection", async () => {
    const body = `{"externalId":"${"x".repeat(3_000_000)}"}`;
    // Declared by Content-Length, and streamed in chunks with no declared length.
    for (const chunked of [false, true]) {
      const reply = await send("/api/pos/v1/receipts", body, {}, { chunked });
      expect(reply.status, `chunked: ${chunked}`).toBe(400);
      expect(reply.json).toMatchObject({ error: { code: "invalid_request", message: "The body is larger than 1 MB" } });
      expect(reply.headers.connection).toBe("close");
    }
  });

  it("answers broken JSON and unknown paths with JSON errors", async () => {
    expect((await send("/api/pos/v1/receipts", "{not json")).json).toMatchObject({
      error: { message: "The body is not valid JSON" },
    });
    const unknown = await send("/api/pos/v1/nothing-here", "{}");
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { code: "not_found" } });
  });
});
