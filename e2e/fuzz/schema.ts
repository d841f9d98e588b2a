// Inputs for a procedure from its zod input (as JSON Schema, zod's own z.toJSONSchema): a valid
// sample that reaches the code behind validation, then copies of it with one field made hostile.
import { z } from "zod";
import { FORMAT_EDGES, NASTY_NUMBERS, NASTY_STRINGS, ONE_MB, WRONG_KINDS } from "./values";

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  $defs?: Record<string, Schema>;
};

/** The JSON Schema of a zod input (what a client may send), or null for a procedure without input. */
export function inputSchemaOf(zodInput: unknown): Schema | null {
  if (!zodInput) return null;
  return z.toJSONSchema(zodInput as z.ZodType, { io: "input", unrepresentable: "any" }) as Schema;
}

/** Ids a sample may use for fields of these names (real rows reach deeper than random ids). */
export type KnownIds = Record<string, string | undefined>;

const PATTERN_CANDIDATES = [
  "2026-01-15",
  "a".repeat(40).replace(/a/g, "0"),
  "1234567890123456",
  "123",
  "abc",
  "a",
  "0",
];

/** A value the schema accepts (as far as the schema can say: refinements are code, not schema). */
export function sample(schema: Schema, root: Schema = schema, name = "", ids: KnownIds = {}): unknown {
  if (schema.$ref) {
    const key = schema.$ref.replace(/^#\/\$defs\//, "");
    const target = root.$defs?.[key];
    return target ? sample(target, root, name, ids) : {};
  }
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const branch = branches.find((option) => option.type !== "null") ?? branches[0];
    return branch ? sample(branch, root, name, ids) : null;
  }
  if (schema.allOf?.[0]) return sample(schema.allOf[0], root, name, ids);
  const type = Array.isArray(schema.type) ? schema.type.find((kind) => kind !== "null") : schema.type;
  switch (type) {
    case "object": {
      const value: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        value[key] = sample(property, root, key, ids);
      }
      return value;
    }
    case "array": {
      const count = Math.max(schema.minItems ?? 0, 1);
      return schema.items ? Array.from({ length: count }, () => sample(schema.items as Schema, root, name, ids)) : [];
    }
    case "integer":
    case "number": {
      const minimum = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
      return Math.min(Math.max(minimum, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    }
    case "boolean":
      return true;
    case "string":
      return sampleString(schema, name, ids);
    default:
      return null;
  }
}

function sampleString(schema: Schema, name: string, ids: KnownIds): string {
  if (schema.format === "uuid") return ids[name] ?? "00000000-0000-4000-8000-000000000001";
  if (schema.format === "email") return "fuzz@e2e.test";
  if (schema.format === "date") return new Date().toISOString().slice(0, 10);
  if (schema.format === "date-time") return new Date().toISOString();
  const known = ids[name];
  if (known !== undefined) return known;
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    const fit = PATTERN_CANDIDATES.find((candidate) => pattern.test(candidate));
    if (fit !== undefined) return fit;
  }
  return "f".repeat(Math.max(schema.minLength ?? 0, 4)).slice(0, schema.maxLength ?? 4);
}

export type Mutation = { label: string; input: unknown };

// Each field gets a selection (a procedure has dozens of fields; the run must stay a few minutes).
const pick = <T extends { label: string }>(list: T[], labels: string[]) =>
  list.filter(({ label }) => labels.includes(label));
const FIELD_STRINGS = pick(NASTY_STRINGS, [
  "script#0",
  "script#1",
  "script#3",
  "nul",
  "lone-surrogate",
  "control",
  "rtl-override",
  "emoji",
  "sql",
  "long-10k",
  "empty",
]);
const FIELD_NUMBERS = pick(NASTY_NUMBERS, ["negative", "fraction", "unsafe-int", "huge", "numeric-string"]);
const FIELD_WRONG_KINDS = pick(WRONG_KINDS, ["null", "array", "object", "proto-object"]);

type Leaf = { path: (string | number)[]; schema: Schema };

/** Every field of the sample with the schema that describes it (arrays: their first element). */
function leavesOf(schema: Schema, value: unknown, root: Schema, path: (string | number)[] = []): Leaf[] {
  const resolved = resolve(schema, root, value);
  const here: Leaf[] = path.length > 0 ? [{ path, schema: resolved }] : [];
  if (Array.isArray(value)) {
    const items = resolved.items;
    return items && value.length > 0 ? [...here, ...leavesOf(items, value[0], root, [...path, 0])] : here;
  }
  if (value && typeof value === "object") {
    return [
      ...here,
      ...Object.entries(value).flatMap(([key, child]) =>
        leavesOf(resolved.properties?.[key] ?? {}, child, root, [...path, key]),
      ),
    ];
  }
  return here;
}

function resolve(schema: Schema, root: Schema, value: unknown): Schema {
  if (schema.$ref) return root.$defs?.[schema.$ref.replace(/^#\/\$defs\//, "")] ?? {};
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const kind = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
    return (
      branches.find((branch) => branch.type === kind || (kind === "number" && branch.type === "integer")) ??
      branches[0] ??
      {}
    );
  }
  return schema;
}

function withValue(base: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  const copy = structuredClone(base);
  let target = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (remove) delete target[last];
  else target[last] = value;
  return copy;
}

/** Fits a string between the field's bounds, so the hostile part is what validation sees. */
function withinBounds(value: string, schema: Schema): string {
  const max = schema.maxLength ?? value.length;
  const clipped = Array.from(value).slice(0, max).join("");
  return clipped.length < (schema.minLength ?? 0) ? clipped.padEnd(schema.minLength ?? 0, "x") : clipped;
}

/**
 * The hostile copies of one input: the whole input of the wrong kind, then each field in turn
 * given nasty strings (cut to the field's length, so they reach the database), values past its
 * bounds, values of the wrong kind, or removed; the first text field also gets one megabyte.
 */
export function mutations(schema: Schema | null, ids: KnownIds = {}): Mutation[] {
  const base = schema ? sample(schema, schema, "", ids) : undefined;
  const out: Mutation[] = [
    { label: "sample", input: base },
    ...WRONG_KINDS.map(({ label, value }) => ({ label: `input=${label}`, input: value })),
    { label: "input=string", input: "<script>window.__xss=1</script>" },
  ];
  if (base && typeof base === "object" && !Array.isArray(base)) {
    out.push({
      label: "input+proto-keys",
      input: {
        ...JSON.parse('{"__proto__":{"polluted":1,"isAdmin":true},"constructor":{"prototype":{"polluted":1}}}'),
        ...base,
      },
    });
    out.push({ label: "input+unknown-keys", input: { ...base, tenantId: ids.otherTenantId ?? "x", role: "owner" } });
  }
  if (!schema || base === undefined) return out;
  let oneMegabyteSent = false;
  for (const leaf of leavesOf(schema, base, schema)) {
    const where = leaf.path.join(".");
    const type = Array.isArray(leaf.schema.type) ? leaf.schema.type[0] : leaf.schema.type;
    if (type === "string" || (!type && typeof sample(leaf.schema, schema) === "string")) {
      for (const { label, value } of FIELD_STRINGS) {
        out.push({ label: `${where}=${label}`, input: withValue(base, leaf.path, withinBounds(value, leaf.schema)) });
      }
      out.push({
        label: `${where}=past-max`,
        input: withValue(base, leaf.path, "x".repeat((leaf.schema.maxLength ?? 10_000) + 1)),
      });
      for (const edge of (FORMAT_EDGES[leaf.schema.format ?? ""] ?? []).slice(0, 3)) {
        out.push({
          label: `${where}=${leaf.schema.format}:${edge.slice(0, 20)}`,
          input: withValue(base, leaf.path, edge),
        });
      }
      if (!oneMegabyteSent) {
        oneMegabyteSent = true;
        out.push({ label: `${where}=1MB`, input: withValue(base, leaf.path, ONE_MB) });
      }
    } else if (type === "integer" || type === "number") {
      for (const { label, value } of FIELD_NUMBERS) {
        out.push({ label: `${where}=${label}`, input: withValue(base, leaf.path, value) });
      }
      if (leaf.schema.maximum !== undefined) {
        out.push({ label: `${where}=max+1`, input: withValue(base, leaf.path, leaf.schema.maximum + 1) });
      }
    }
    for (const { label, value } of FIELD_WRONG_KINDS) {
      out.push({ label: `${where}=${label}`, input: withValue(base, leaf.path, value) });
    }
    out.push({ label: `${where}=removed`, input: withValue(base, leaf.path, undefined, true) });
  }
  return out;
}
