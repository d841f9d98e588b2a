// Hostile calls of every tRPC procedure (over /api/trpc, as the app's pages and TypeScript clients
// call them) and of every POS route (over /api/pos/v1, generated from the `pos` router's OpenAPI
// meta, as a cash register calls them). Procedures are read from the routers, so none is missed.
import type { FuzzRequest } from "./harness";
import type { FuzzCase, FuzzContext } from "./routes";
import { inputSchemaOf, type KnownIds, mutations } from "./schema";
import { PATH_SEGMENTS, RAW_BODIES } from "./values";

type ProcedureDef = {
  type: "query" | "mutation" | "subscription";
  inputs: unknown[];
  meta?: { permission?: string; guest?: string; openapi?: { method: string; path: string } };
};

export type Procedure = { path: string; def: ProcedureDef };

/** Every procedure of a router (tRPC 11 keeps them flat, by dotted path). */
export function proceduresOf(router: unknown): Procedure[] {
  const procedures = (router as { _def: { procedures: Record<string, { _def: ProcedureDef }> } })._def.procedures;
  return Object.entries(procedures).map(([path, procedure]) => ({ path, def: procedure._def }));
}

/** Who may call a procedure, which decides the cookie or key its calls carry. */
export function callerOf(procedure: Procedure): "pos" | "staff" | "guest" | "public" {
  if (procedure.path.startsWith("pos.")) return "pos";
  if (procedure.def.meta?.permission) return "staff";
  if (procedure.def.meta?.guest) return "guest";
  return "public";
}

/**
 * Procedures whose success ends the caller's own session or account: fuzzed last, after every
 * other call of that caller.
 */
export const ENDS_SESSION = new Set(["guest.signOutEverywhere", "cabinet.deleteAccount"]);

/** Real rows for a procedure's id fields, except where a real one would undo the run's own setup. */
function idsFor(path: string, ids: KnownIds): KnownIds {
  const byName: KnownIds = { ...ids, membershipId: ids.spareMembershipId, keyId: ids.spareKeyId, locationSlug: "main" };
  if (path === "locations.archive") return { ...byName, locationId: undefined };
  if (path.startsWith("menu.") && /Category/.test(path)) return { ...byName, id: ids.categoryId };
  if (path.startsWith("menu.") && /Product/.test(path)) return { ...byName, id: ids.productId };
  if (path.startsWith("menu.") && /ModifierGroup/.test(path)) return { ...byName, id: ids.groupId };
  if (path === "pos.voidHold") return { ...byName, id: undefined };
  return byName;
}

function authOf(caller: ReturnType<typeof callerOf>, ctx: FuzzContext): Record<string, string> {
  if (caller === "staff") return { cookie: ctx.staffCookie };
  if (caller === "guest") return { cookie: ctx.guestCookie };
  if (caller === "pos") return { authorization: `Bearer ${ctx.posKey}` };
  return {};
}

function trpcRequest(procedure: Procedure, input: unknown, headers: Record<string, string>): FuzzRequest {
  const base = `/api/trpc/${procedure.path}`;
  if (procedure.def.type === "query") {
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return { path: `${base}${query}`, headers, errorFormat: "trpc" };
  }
  return {
    method: "POST",
    path: base,
    headers: { ...headers, "content-type": "application/json" },
    body: input === undefined ? "" : JSON.stringify(input),
    errorFormat: "trpc",
  };
}

/** The raw bodies every procedure gets (all of them go to the transport once, in routes.ts). */
const TRPC_RAW = ["truncated", "not-json", "null", "array", "proto", "deep-100k", "one-mb-string"];

/** The hostile calls of one procedure: schema-driven inputs, raw bodies, and the wrong caller. */
export function trpcCases(procedure: Procedure, ctx: FuzzContext): FuzzCase[] {
  const caller = callerOf(procedure);
  const headers = { "x-zerno-tenant": ctx.slug, ...authOf(caller, ctx) };
  const schema = inputSchemaOf(procedure.def.inputs[0]);
  const cases: FuzzCase[] = mutations(schema, idsFor(procedure.path, ctx.ids)).map(({ label, input }) => ({
    label: `${procedure.path}:${label}`,
    request: trpcRequest(procedure, input, headers),
  }));
  for (const { label, body } of RAW_BODIES.filter(({ label }) => TRPC_RAW.includes(label))) {
    cases.push({
      label: `${procedure.path}:raw:${label}`,
      request:
        procedure.def.type === "query"
          ? { path: `/api/trpc/${procedure.path}?input=${encodeURIComponent(body)}`, headers, errorFormat: "trpc" }
          : {
              method: "POST",
              path: `/api/trpc/${procedure.path}`,
              headers: { ...headers, "content-type": "application/json" },
              body,
              errorFormat: "trpc",
            },
    });
  }
  const others = { staff: ctx.staffCookie, guest: ctx.guestCookie, none: "" };
  for (const [who, cookie] of Object.entries(others)) {
    cases.push({
      label: `${procedure.path}:as-${who}`,
      request: trpcRequest(procedure, undefined, { "x-zerno-tenant": ctx.slug, ...(cookie ? { cookie } : {}) }),
    });
  }
  cases.push({
    label: `${procedure.path}:wrong-method`,
    request: {
      method: procedure.def.type === "query" ? "POST" : "GET",
      path: `/api/trpc/${procedure.path}`,
      headers: { ...headers, "content-type": "application/json" },
      body: procedure.def.type === "query" ? "{}" : undefined,
      errorFormat: "trpc",
    },
  });
  return cases;
}

/** The POS contract's routes (method, path template) from the `pos` router's OpenAPI meta. */
export function posRoutes(procedures: Procedure[]) {
  return procedures.flatMap((procedure) => {
    const openapi = procedure.def.meta?.openapi;
    if (!openapi) return [];
    const params = [...openapi.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
    return [{ procedure, method: openapi.method, template: openapi.path, params }];
  });
}

/** A value as one path segment; a lone surrogate (which no URL can carry) is sent as its replacement. */
function pathValue(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "x");
  return encodeURIComponent(
    text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"),
  );
}

/** The hostile requests of one POS route: its body field by field, its path values, its headers. */
export function posCases(route: ReturnType<typeof posRoutes>[number], ctx: FuzzContext): FuzzCase[] {
  const { procedure, method, template, params } = route;
  const auth = { authorization: `Bearer ${ctx.posKey}` };
  const ids: KnownIds = { ...ctx.ids, id: undefined, externalId: ctx.ids.receiptExternalId };
  const fill = (values: Record<string, unknown>) =>
    `/api/pos/v1${template.replace(/\{(\w+)\}/g, (_, name: string) => pathValue(values[name]))}`;
  const request = (input: unknown, headers: Record<string, string> = auth): FuzzRequest => {
    const values =
      input && typeof input === "object" && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
    const body = Object.fromEntries(Object.entries(values).filter(([key]) => !params.includes(key)));
    const hasBody = method !== "GET" && method !== "DELETE";
    return {
      method,
      path: fill(values),
      headers: { ...headers, ...(hasBody ? { "content-type": "application/json" } : {}) },
      body: hasBody
        ? (JSON.stringify(Array.isArray(input) || input === null || typeof input !== "object" ? input : body) ?? "")
        : undefined,
      errorFormat: "pos",
    };
  };
  const schema = inputSchemaOf(procedure.def.inputs[0]);
  const label = `${method} ${template}`;
  const cases: FuzzCase[] = mutations(schema, ids).map((mutation) => ({
    label: `${label}:${mutation.label}`,
    request: request(mutation.input),
  }));
  for (const param of params) {
    for (const { label: kind, segment } of PATH_SEGMENTS) {
      cases.push({
        label: `${label}:{${param}}=${kind}`,
        request: {
          ...request({}),
          path: `/api/pos/v1${template.replace(`{${param}}`, segment).replace(/\{\w+\}/g, "x")}`,
        },
      });
    }
  }
  const authHeaders: Record<string, string>[] = [
    {},
    { authorization: "Bearer " },
    { authorization: "Bearer zk_live_" },
    { authorization: `Bearer zk_live_${"a".repeat(5000)}` },
    { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` },
    { authorization: `Bearer ${ctx.posKey}x` },
    { authorization: `bearer ${ctx.posKey.toUpperCase()}` },
    { authorization: "Bearer \u00ff\u00fe" },
  ];
  authHeaders.forEach((headers, index) => {
    cases.push({ label: `${label}:auth#${index}`, request: request({}, headers) });
  });
  if (method !== "GET" && method !== "DELETE") {
    for (const { label: kind, body } of RAW_BODIES) {
      cases.push({ label: `${label}:raw:${kind}`, request: { ...request({}), body } });
    }
    for (const type of [
      "text/plain",
      "application/json; charset=utf-16",
      "application/jsonx",
      "multipart/form-data; boundary=x",
      "",
    ]) {
      cases.push({
        label: `${label}:content-type=${type}`,
        request: { ...request({}), headers: { ...auth, "content-type": type }, body: "{}" },
      });
    }
    cases.push({
      label: `${label}:body-over-1MB`,
      request: { ...request({}), body: JSON.stringify({ pad: "x".repeat(1_100_000) }) },
    });
  }
  return cases;
}
