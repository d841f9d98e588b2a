import { POS_ERROR_CODES, type PosErrorCode } from "./errors";
import { posOpenApiDocument } from "./openapi";
import { POS_BASE_PATH } from "./rest";

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  description?: string;
  items?: Schema;
};

export type ApiField = { name: string; type: string; required: boolean; description?: string };
export type ApiOperation = {
  method: string;
  path: string;
  summary: string;
  request: ApiField[];
  success: string[];
  /** The top-level fields of the success answer (`offers` of identify, `offersApplied` of a receipt…). */
  response: ApiField[];
  /** Each error code the operation may answer, with its status and when. */
  errors: { status: string; code: string; when: string }[];
};

type ErrorResponse = {
  content?: {
    "application/json"?: { schema?: { allOf?: { properties?: Record<string, Schema & { enum?: string[] }> }[] } };
  };
};

/** The codes an error response lists (posOpenApiDocument puts them in its body's `error.code` enum). */
function errorCodesOf(response: ErrorResponse): PosErrorCode[] {
  const own = response.content?.["application/json"]?.schema?.allOf?.[1];
  const code = own?.properties?.error?.properties?.code as { enum?: string[] } | undefined;
  return (code?.enum ?? []).filter((name): name is PosErrorCode => name in POS_ERROR_CODES);
}

function typeOf(schema: Schema | undefined): string {
  if (!schema) return "";
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "object");
  return type === "array" ? `${typeOf(schema.items)}[]` : type;
}

/** The OpenAPI document as a readable list for the integrations page (one source: the procedures). */
export function posApiReference(): ApiOperation[] {
  const document = posOpenApiDocument();
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Record<string, unknown>>).map(([method, operation]) => {
      const body = (operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content?.[
        "application/json"
      ]?.schema;
      const responses = (operation.responses ?? {}) as Record<string, ErrorResponse>;
      // A GET's query parameters are its request fields too (GET /offers/{code}?guestId=).
      const query = (
        (operation.parameters ?? []) as { name: string; in: string; required?: boolean; schema?: Schema }[]
      )
        .filter((parameter) => parameter.in === "query")
        .map((parameter) => ({
          name: parameter.name,
          type: typeOf(parameter.schema),
          required: parameter.required ?? false,
          description: parameter.schema?.description,
        }));
      const success = Object.keys(responses).filter((status) => Number(status) < 400);
      const answer = (responses[success[0] ?? ""] as { content?: Record<string, { schema?: Schema }> } | undefined)
        ?.content?.["application/json"]?.schema;
      return {
        method: method.toUpperCase(),
        path: `${POS_BASE_PATH}${path}`,
        summary: String(operation.summary ?? ""),
        request: [
          ...Object.entries(body?.properties ?? {}).map(([name, field]) => ({
            name,
            type: typeOf(field),
            required: body?.required?.includes(name) ?? false,
            description: field.description,
          })),
          ...query,
        ],
        success,
        response: Object.entries(answer?.properties ?? {}).map(([name, field]) => ({
          name,
          type: typeOf(field),
          required: answer?.required?.includes(name) ?? false,
          description: field.description,
        })),
        errors: Object.entries(responses)
          .filter(([status]) => Number(status) >= 400)
          .flatMap(([status, response]) =>
            errorCodesOf(response).map((code) => ({ status, code, when: POS_ERROR_CODES[code][1] })),
          ),
      };
    }),
  );
}
