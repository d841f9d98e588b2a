import { afterEach, describe, expect, it, vi } from "vitest";
import { GET, POST } from "@/app/api/trpc/[trpc]/route";
import { createRequestContext } from "./context";
import { TRPC_MAX_BATCH_SIZE } from "./limits";

// The context is where every call of a batch starts (and what reaches the database): a spy that
// refuses, so the test needs no database and sees whether the batch was let in at all.
vi.mock("./context", () => ({
  createRequestContext: vi.fn(() => {
    throw new Error("context created");
  }),
}));

const contextCreated = vi.mocked(createRequestContext);
afterEach(() => contextCreated.mockClear());

function batchGet(path: string, count: number): Request {
  const paths = Array.from({ length: count }, () => path).join(",");
  const input = Object.fromEntries(Array.from({ length: count }, (_, index) => [index, {}]));
  const url = `http://localhost/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
  return new Request(url, { headers: { "x-zerno-tenant": "demo" } });
}

describe("the tRPC route's batch limit", () => {
  it("is ten calls", () => {
    expect(TRPC_MAX_BATCH_SIZE).toBe(10);
  });

  it("refuses a batch of 11 with 400 before running any call", async () => {
    const response = await GET(batchGet("shop.menu", TRPC_MAX_BATCH_SIZE + 1));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("Batch call exceeds maximum size");
    expect(contextCreated).not.toHaveBeenCalled();
  });

  it("refuses 400 calls in one GET, and a POST batch over the limit too", async () => {
    expect((await GET(batchGet("shop.menu", 400))).status).toBe(400);
    const post = new Request(
      `http://localhost/api/trpc/${Array.from({ length: 11 }, () => "staff.invite").join(",")}?batch=1`,
      { method: "POST", body: "{}", headers: { "content-type": "application/json" } },
    );
    expect((await POST(post)).status).toBe(400);
    expect(contextCreated).not.toHaveBeenCalled();
  });

  it("lets a batch of 10 in", async () => {
    const response = await GET(batchGet("shop.menu", TRPC_MAX_BATCH_SIZE));
    expect(response.status).not.toBe(400);
    expect(contextCreated).toHaveBeenCalledTimes(1);
  });
});
