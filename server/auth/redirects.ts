/** The longest `next` kept: a real page's path and query are far shorter; anything longer is refused. */
export const MAX_NEXT_PATH_LENGTH = 2048;

const BASE = "http://zerno.invalid";

/**
 * A same-site path to continue to after sign-in, never another origin (no open redirect). What
 * is proven is the path RETURNED, after normalisation, not the input: `/..//evil.example`
 * normalises to `//evil.example`, which a browser reads as another host. See `sameSitePath`.
 */
export function safeNextPath(value: unknown, fallback = "/dashboard"): string {
  return sameSitePath(value) ?? fallback;
}

/**
 * The normalised path (with query and fragment) of `value` when it provably stays on this site,
 * else null. The input must be a path (starting with "/") without control characters or
 * backslashes (browsers drop tabs and newlines and read "\" as "/": "/\t/x" becomes "//x");
 * the result must be a path a browser resolves on this origin: one leading "/" followed by
 * neither "/" nor "\", unchanged when resolved again, and still so once percent-decoded (a later
 * decoding of "/%2F/x" or "/%5Cx" must not make it "//x" or "/\x").
 */
export function sameSitePath(value: unknown): string | null {
  if (typeof value !== "string" || value.length > MAX_NEXT_PATH_LENGTH || !isPlainPath(value)) return null;
  const resolved = resolvePath(value);
  if (resolved === null || resolved.length > MAX_NEXT_PATH_LENGTH || !isPlainPath(resolved)) return null;
  // Normalisation is done: resolving the result again must give it back unchanged.
  if (resolvePath(resolved) !== resolved) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(resolved.split(/[?#]/, 1)[0] ?? "");
  } catch {
    return null;
  }
  return isPlainPath(decoded) ? resolved : null;
}

/** "/" then anything but "/" or "\", with no control character or backslash anywhere. */
function isPlainPath(path: string): boolean {
  return path.startsWith("/") && !path.startsWith("//") && ![...path].some(isUnsafeCharacter);
}

/** The path, query and fragment of `value` resolved against a dummy origin; null if it leaves it. */
function resolvePath(value: string): string | null {
  try {
    const url = new URL(value, BASE);
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : null;
  } catch {
    return null;
  }
}

function isUnsafeCharacter(character: string): boolean {
  const code = character.charCodeAt(0);
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || character === "\\";
}

/** The page asked for when it is a checked same-site path under `within` (`within` itself included), else `within`. */
export function requestedPathWithin(value: string | null | undefined, within: string): string {
  const path = sameSitePath(value);
  if (!path) return within;
  const pathname = path.split(/[?#]/, 1)[0] ?? "";
  return pathname === within || pathname.startsWith(`${within}/`) ? path : within;
}
