import { describe, expect, it } from "vitest";
import { posApiReference } from "./api-reference";
import { POS_ERROR_CODES } from "./errors";
import { posOpenApiDocument } from "./openapi";

type Response = {
  description: string;
  headers?: Record<string, unknown>;
  content?: { "application/json"?: { schema?: { allOf?: unknown[]; $ref?: string }; example?: unknown } };
};
type Operation = { responses: Record<string, Response> };

const document = posOpenApiDocument();
const operation = (method: string, path: string) =>
  (document.paths?.[path] as Record<string, Operation> | undefined)?.[method] as Operation;
/** The error codes an operation documents for a status (the enum of its error body's code). */
function codes(method: string, path: string, status: number): string[] {
  const schema = operation(method, path).responses[String(status)]?.content?.["application/json"]?.schema;
  const own = schema?.allOf?.[1] as { properties: { error: { properties: { code: { enum: string[] } } } } } | undefined;
  return own?.properties.error.properties.code.enum ?? [];
}

describe("the POS OpenAPI document", () => {
  it("names each operation's own error codes, as the contract lists them", () => {
    expect(codes("post", "/redemptions", 422)).toEqual(["redemption_limit_exceeded", "insufficient_points"]);
    expect(codes("post", "/redemptions", 409)).toEqual(["idempotency_conflict"]);
    expect(codes("post", "/receipts", 404)).toEqual(["guest_not_found", "redemption_not_found", "offer_not_found"]);
    expect(codes("post", "/receipts", 422)).toEqual([
      "redemption_limit_exceeded",
      "offer_used_up",
      "offer_not_applicable",
    ]);
    expect(codes("get", "/offers/{code}", 404)).toEqual(["offer_not_found", "guest_not_found"]);
    expect(codes("get", "/offers/{code}", 422)).toEqual(["offer_expired", "offer_used_up"]);
    expect(codes("delete", "/redemptions/{id}", 404)).toEqual(["redemption_not_found"]);
    expect(codes("delete", "/redemptions/{id}", 409)).toEqual(["redemption_not_active"]);
    expect(codes("get", "/receipts/{externalId}", 404)).toEqual(["receipt_not_found"]);
    expect(codes("post", "/receipts/{externalId}/refunds", 422)).toEqual(["refund_exceeds_receipt"]);
    expect(codes("post", "/guests", 422)).toEqual(["guest_exists", "email_in_use"]);
    expect(operation("post", "/redemptions").responses["422"]?.description).toContain("`insufficient_points`");
  });

  it("describes every error with the contract's body, every key error and Retry-After on 429", () => {
    const schemas = Object.keys(document.components?.schemas ?? {});
    expect(schemas.filter((name) => name.startsWith("error."))).toEqual([]);
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const [method, { responses }] of Object.entries(item as Record<string, Operation>)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(codes(method, path, 401), where).toEqual(["unauthorized"]);
        expect(codes(method, path, 402), where).toEqual(["subscription_inactive"]);
        expect(responses["429"]?.headers, where).toHaveProperty("Retry-After");
        for (const [status, response] of Object.entries(responses)) {
          if (Number(status) < 400) continue;
          const json = response.content?.["application/json"];
          expect(json?.schema?.allOf?.[0], `${where} ${status}`).toEqual({ $ref: "#/components/schemas/Error" });
          for (const code of codes(method, path, Number(status))) {
            expect(POS_ERROR_CODES[code as keyof typeof POS_ERROR_CODES]?.[0], `${where} ${code}`).toBe(Number(status));
          }
        }
      }
    }
  });

  it("documents 201 for what creates, and a 200 replay only where a retry replays", () => {
    expect(Object.keys(operation("post", "/guests").responses)).not.toContain("200");
    expect(Object.keys(operation("post", "/guests").responses)).toContain("201");
    for (const path of ["/redemptions", "/receipts", "/receipts/{externalId}/refunds"]) {
      expect(Object.keys(operation("post", path).responses), path).toEqual(expect.arrayContaining(["200", "201"]));
    }
  });

  it("carries the offers fields (POS-API.md, Offers and coupons) into the document and the reference", () => {
    const reference = posApiReference();
    const find = (method: string, path: string) =>
      reference.find((entry) => entry.method === method && entry.path === `/api/pos/v1${path}`);
    expect(find("POST", "/guests/identify")?.response.map((field) => field.name)).toContain("offers");
    expect(find("POST", "/receipts")?.request.map((field) => field.name)).toContain("offers");
    expect(find("POST", "/receipts")?.response.map((field) => field.name)).toContain("offersApplied");
    expect(find("GET", "/receipts/{externalId}")?.response.map((field) => field.name)).toContain("offersApplied");
    const lookup = find("GET", "/offers/{code}");
    expect(lookup?.request.map((field) => field.name)).toEqual(["guestId"]);
    expect(lookup?.response.map((field) => field.name)).toEqual(
      expect.arrayContaining([
        "id",
        "code",
        "title",
        "kind",
        "value",
        "skus",
        "categories",
        "validUntil",
        "applicable",
        "reason",
      ]),
    );
  });

  it("reads the same codes into the integrations page's reference", () => {
    const hold = posApiReference().find((entry) => entry.method === "POST" && entry.path === "/api/pos/v1/redemptions");
    expect(hold?.errors.filter((error) => error.status === "422").map((error) => error.code)).toEqual([
      "redemption_limit_exceeded",
      "insufficient_points",
    ]);
    expect(hold?.errors.find((error) => error.code === "rate_limited")?.when).toContain("Retry-After");
  });
});
