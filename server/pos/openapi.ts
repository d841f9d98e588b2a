import { generateOpenApiDocument } from "trpc-to-openapi";
import { type Meta, router } from "../trpc/init";
import { posRouter } from "../trpc/routers/pos";
import { POS_ERROR_CODES, type PosErrorCode, posErrorCodes } from "./errors";
import { POS_BASE_PATH } from "./rest";

type Response = { description: string; headers?: Record<string, unknown>; content?: Record<string, unknown> };
type Operation = { responses: Record<string, Response>; [key: string]: unknown };
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

/** The contract's error response for one status: exactly these codes, each with when it is answered. */
function errorResponse(codes: PosErrorCode[]): Response {
  const [first] = codes;
  return {
    description: codes.map((code) => `\`${code}\`: ${POS_ERROR_CODES[code][1]}`).join("; "),
    ...(codes.includes("rate_limited")
      ? { headers: { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer" } } } }
      : {}),
    content: {
      "application/json": {
        schema: {
          allOf: [
            { $ref: "#/components/schemas/Error" },
            { type: "object", properties: { error: { type: "object", properties: { code: { enum: codes } } } } },
          ],
        },
        ...(first ? { example: { error: { code: first, message: POS_ERROR_CODES[first][1] } } } : {}),
      },
    },
  };
}

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
  // The generator describes errors as tRPC bodies, one shared schema per tRPC code (with the first
  // procedure's description for all): the contract's body and each operation's own codes replace them.
  const schemas = Object.fromEntries(
    Object.entries(document.components?.schemas ?? {}).filter(([name]) => !name.startsWith("error.")),
  );
  document.components = { ...document.components, schemas: { ...schemas, Error: ERROR_SCHEMA as never } };
  const procedures = posRouter._def.procedures as Record<string, { _def: { meta?: Meta } }>;
  for (const procedure of Object.values(procedures)) {
    const meta = procedure._def.meta;
    if (!meta?.openapi) continue;
    const operation = (document.paths?.[meta.openapi.path] as Record<string, Operation> | undefined)?.[
      meta.openapi.method.toLowerCase()
    ];
    if (!operation) continue;
    const success = operation.responses["200"];
    if (meta.successStatus === 201 && success) {
      // 200 keeps the procedure's description of its replays (successDescription).
      operation.responses = { "201": { ...success, description: "Created" }, ...operation.responses };
      if (!meta.replays) delete operation.responses["200"];
    }
    for (const status of Object.keys(meta.openapi.errorResponses ?? {})) {
      operation.responses[status] = errorResponse(posErrorCodes(meta.openapi.errorResponses, Number(status)));
    }
  }
  cached = document;
  return document;
}
