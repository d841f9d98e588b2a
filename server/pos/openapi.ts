import { generateOpenApiDocument } from "trpc-to-openapi";
import { router } from "../trpc/init";
import { posRouter } from "../trpc/routers/pos";
import { POS_BASE_PATH } from "./rest";

type Operation = {
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
  [key: string]: unknown;
};
type Document = ReturnType<typeof generateOpenApiDocument>;

const ERROR_SCHEMA = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", description: "snake_case, e.g. insufficient_points" },
        message: { type: "string", description: "Human text" },
        details: {
          description: "For 400: the fields that failed",
          type: "array",
          items: {
            type: "object",
            properties: { path: { type: "string", example: "lines.0.quantity" }, message: { type: "string" } },
          },
        },
      },
    },
  },
} as const;

let cached: Document | undefined;

/**
 * The OpenAPI 3 document of the POS API, generated from the `pos` procedures (their zod input and
 * output and their meta), then aligned with the contract: 201 where a procedure creates, and the
 * contract's error body for every error response.
 */
export function posOpenApiDocument(): Document {
  if (cached) return cached;
  const document = generateOpenApiDocument(router({ pos: posRouter }), {
    title: "Zerno POS API",
    version: "1.0.0",
    description:
      "The contract between a café's cash register and Zerno. Money is in minor units; 1 point pays 100 minor " +
      "units; times are ISO 8601 with offset. Authenticate with `Authorization: Bearer <key>` (a location key " +
      'from the back-office). Errors always have the body `{"error": {"code", "message", "details"?}}`.',
    baseUrl: POS_BASE_PATH,
    securitySchemes: { posKey: { type: "http", scheme: "bearer", description: "A location key, zk_live_…" } },
  });
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Error: ERROR_SCHEMA as never },
  };
  const procedures = posRouter._def.procedures as Record<
    string,
    { _def: { meta?: { successStatus?: number; openapi?: { path: string; method: string } } } }
  >;
  for (const procedure of Object.values(procedures)) {
    const meta = procedure._def.meta;
    if (!meta?.openapi) continue;
    const operation = (document.paths?.[meta.openapi.path] as Record<string, Operation> | undefined)?.[
      meta.openapi.method.toLowerCase()
    ];
    if (!operation) continue;
    const success = operation.responses["200"];
    if (meta.successStatus === 201 && success) {
      operation.responses["201"] = { ...success, description: "Created" };
      operation.responses["200"] = { ...success, description: "The same request again: the first answer, replayed" };
    }
    for (const [status, response] of Object.entries(operation.responses)) {
      if (Number(status) < 400) continue;
      operation.responses[status] = {
        description: response.description,
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      };
    }
  }
  cached = document;
  return document;
}
