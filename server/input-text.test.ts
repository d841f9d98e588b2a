import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Database } from "@/db/client";
import { AppError } from "./errors";
import { firstUnstorableText, isStorableText } from "./input-text";
import { type Context, createCallerFactory, posProcedure, publicProcedure, router, staffProcedure } from "./trpc/init";

describe("text PostgreSQL can store", () => {
  it("refuses a NUL and a lone surrogate, takes every real character", () => {
    expect(isStorableText("Капучино ☕ 👩‍👩‍👧‍👦 𝕏 \u202e")).toBe(true);
    expect(isStorableText("a\u0000b")).toBe(false);
    expect(isStorableText("x\ud800y")).toBe(false);
    expect(isStorableText("\udc00\ud800")).toBe(false);
    expect(isStorableText("\ud83d")).toBe(false);
  });

  it("names the first field that holds such text, object keys included", () => {
    expect(firstUnstorableText({ name: "ok", lines: [{ sku: "a" }, { sku: "b\u0000" }] })).toBe("lines.1.sku");
    expect(firstUnstorableText({ answers: { "q\ud800": "yes" } })).toBe("answers.q\ud800");
    expect(firstUnstorableText({ name: "Гость", points: 5, flags: [true, null] })).toBeNull();
    expect(firstUnstorableText("\u0000")).toBe("");
  });

  it("walks a deeply nested input without exhausting the stack", () => {
    let deep: unknown = "\u0000";
    for (let level = 0; level < 200_000; level++) deep = [deep];
    expect(firstUnstorableText(deep)).toBe(Array(200_000).fill(0).join("."));
  });
});

// The procedures' builders refuse such input before it reaches validation or a database.
const testRouter = router({
  echo: publicProcedure.input(z.object({ name: z.string() })).mutation(({ input }) => input),
  staffEcho: staffProcedure("menu.manage")
    .input(z.object({ name: z.string() }))
    .mutation(({ input }) => input),
  posEcho: posProcedure.input(z.object({ name: z.string() })).mutation(({ input }) => input),
});

function caller() {
  const context: Context = {
    db: {} as Database,
    requestId: "test",
    ip: null,
    headers: new Headers(),
    getStaffSession: async () => null,
    getGuestAccount: async () => null,
    tenantSlug: null,
    response: { headers: {} },
  };
  return createCallerFactory(testRouter)(context);
}

async function failure(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

describe("procedures given text PostgreSQL cannot store", () => {
  it("answer BAD_REQUEST naming the field, so forms and the POS say which", async () => {
    const error = await failure(caller().echo({ name: "a\u0000b" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.cause).toBeInstanceOf(AppError);
    expect((error.cause as AppError).details).toEqual([{ path: "name", message: expect.any(String) }]);
    expect(await caller().echo({ name: "Капучино" })).toEqual({ name: "Капучино" });
  });

  it("still answer who is calling first: signed out staff and a POS without a key are 401", async () => {
    expect((await failure(caller().staffEcho({ name: "x\ud800" }))).code).toBe("UNAUTHORIZED");
    expect((await failure(caller().posEcho({ name: "\u0000" }))).code).toBe("UNAUTHORIZED");
  });
});

describe("a Stripe event with a valid signature but broken content", () => {
  it("is refused as invalid_request (400), never left to fail as a 500", async () => {
    const { providerEventOf } = await import("./billing/stripe");
    const { customerId } = await import("./billing/events/types");
    for (const broken of [
      null,
      {},
      { id: "evt_1", type: "invoice.paid" },
      { id: 12, type: "x", data: { object: {} } },
      { id: "evt_\u0000", type: "invoice.paid", data: { object: {} } },
      { id: "evt_1", type: "invoice.paid", data: { object: [] } },
    ]) {
      expect(() => providerEventOf(broken)).toThrow(AppError);
    }
    expect(providerEventOf({ id: "evt_1", type: "invoice.paid", data: { object: { customer: "cus_1" } } })).toEqual({
      id: "evt_1",
      type: "invoice.paid",
      object: { customer: "cus_1" },
    });
    expect(customerId("cus_\u0000")).toBeNull();
    expect(customerId({ id: "x".repeat(10_000) })).toBeNull();
    expect(customerId({ id: "cus_Abc_1" })).toBe("cus_Abc_1");
  });
});
