// A server action's call arrives as React encodes it (encodeReply): a JSON array of arguments in the
// body, or in the part "0" of a multipart body, whose "$…" strings refer to the body's other parts.
// React's decoder throws on a body the app's own pages never send (not JSON, a reference to a part
// that is not there, a Blob that is text) and Next answers that with a 500; this check answers it
// with a 400 before Next sees the call. Values are not checked here: the actions and their
// procedures do that.

/** The markers of a reference to another part: `$<hex>`, `$@<hex>`, `$Q<hex>`… (React's reply format). */
const PART_REFERENCE = /^\$([0-9a-f]|[@hQWiRrXx][0-9a-f])/;
/** References whose part must be a Blob (a file, a typed array). */
const BINARY_REFERENCE = /^\$[BAOoUSsLlGgMmV][0-9a-f]/;
/** Inline values: `$$…` (a string starting with $), undefined, NaN, ±Infinity, -0, dates, temporary references, forms. */
const INLINE = /^\$(\$|u|N|I|-|D|T|K|H|n[0-9-]{0,300}$)/;

type Parts = { has(name: string): boolean; get(name: string): FormDataEntryValue | null } | null;

/**
 * The route handlers outside /api (route.ts files under app/): they read their own bodies, so a multipart
 * POST to them is not a page's form. action-request.test.ts checks the list against app/.
 */
export const ROUTE_HANDLERS_OUTSIDE_API = [
  "[tenant]/me/export",
  "[tenant]/unsubscribe/one-click",
  "media/[...key]",
  "dashboard/[tenant]/export/[id]",
  "dashboard/[tenant]/menu/photo",
  "dashboard/[tenant]/guests/export",
  "dashboard/[tenant]/guests/import/upload",
];

const routeHandlerPatterns = ROUTE_HANDLERS_OUTSIDE_API.map(
  (route) =>
    new RegExp(
      `^/${route
        .split("/")
        .map((segment) => (segment.startsWith("[...") ? ".+" : segment.startsWith("[") ? "[^/]+" : segment))
        .join("/")}/?$`,
    ),
);

/** Whether a POST to this path reaches a page (where Next reads a multipart body as a form's action). */
export function isPagePath(pathname: string): boolean {
  // As Next.js routes it: an encoded dot is a dot, and dot segments are resolved
  // ("/dashboard/%2e%2e/menu/photo" is the page "/menu/photo", not the photo route).
  const routed = new URL(pathname.replace(/%2e/gi, "."), "http://page.invalid").pathname;
  return !routed.startsWith("/api/") && !routeHandlerPatterns.some((pattern) => pattern.test(routed));
}

/** Next's limit on a server action's body (`serverActions.bodySizeLimit`, left at its default). */
export const ACTION_BODY_LIMIT = 1024 * 1024;

/** Why the encoded value (and the parts it names) cannot be decoded; null when it can. */
function problemOf(value: unknown, parts: Parts, seen: Set<string>, depth = 0): string | null {
  if (depth > 200) return "nested too deeply";
  if (typeof value === "string") {
    if (!value.startsWith("$")) return null;
    if (INLINE.test(value)) return null;
    const binary = BINARY_REFERENCE.test(value);
    if (!binary && !PART_REFERENCE.test(value)) return `unknown reference ${value.slice(0, 20)}`;
    const id = /^\$[0-9a-f]/.test(value) ? value.slice(1) : value.slice(2);
    const name = String(Number.parseInt(id, 16));
    const part = parts?.get(name) ?? null;
    if (part === null) return `a reference to a missing part (${value.slice(0, 20)})`;
    if (binary)
      return typeof part === "string" ? `a reference to a part that is not a file (${value.slice(0, 20)})` : null;
    if (typeof part !== "string" || seen.has(name)) return null;
    seen.add(name);
    let inner: unknown;
    try {
      inner = JSON.parse(part);
    } catch {
      return `part ${name} is not JSON`;
    }
    return problemOf(inner, parts, seen, depth + 1);
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = problemOf(item, parts, seen, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const item of Object.values(value)) {
      const problem = problemOf(item, parts, seen, depth + 1);
      if (problem) return problem;
    }
  }
  return null;
}

/** Why an encoded call (the root's JSON and the body's parts) is not one React can decode; null when it is. */
export function malformedActionArguments(root: string | null, parts: Parts): string | null {
  if (root === null) return "no arguments";
  let value: unknown;
  try {
    value = JSON.parse(root);
  } catch {
    return "arguments that are not JSON";
  }
  if (!Array.isArray(value)) return "arguments that are not a list";
  return problemOf(value, parts, new Set(["0"]));
}

/**
 * Why a server action request (a POST with `Next-Action`, or a multipart POST to a page) cannot be
 * decoded; null when it can, or when it is not one. Reads a copy of the body.
 */
export async function malformedActionRequest(request: Request): Promise<string | null> {
  if (request.method !== "POST") return null;
  const type = request.headers.get("content-type") ?? "";
  if (!request.headers.has("next-action")) {
    // A multipart POST to a page is read by Next as a form's action (posted before the page's
    // script ran); one whose body cannot be read is a 500 there. Route handlers read their own.
    if (!isPagePath(new URL(request.url).pathname) || !type.startsWith("multipart/form-data")) return null;
    let form: FormData;
    try {
      form = await request.clone().formData();
    } catch {
      return "a multipart body that cannot be read";
    }
    // A form's action carries its id in a `$ACTION_…` field; without one, Next logs the POST as
    // an invalid action. No page of the app posts such a form.
    if (![...form.keys()].some((key) => key.startsWith("$ACTION_"))) return "a form POST that names no server action";
    return null;
  }
  // Next itself answers these (URL-encoded actions are not supported: 404).
  if (type.startsWith("application/x-www-form-urlencoded")) return null;
  if (type.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await request.clone().formData();
    } catch {
      return "a multipart body that cannot be read";
    }
    const root = form.get("0");
    return malformedActionArguments(typeof root === "string" ? root : null, form);
  }
  const text = await request.clone().text();
  // Next refuses a call over its body limit (serverActions.bodySizeLimit, 1 MB) with a 500.
  if (new TextEncoder().encode(text).length > ACTION_BODY_LIMIT) return "a call larger than 1 MB";
  return malformedActionArguments(text, null);
}
