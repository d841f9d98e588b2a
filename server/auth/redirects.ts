/**
 * A same-site path to continue to after sign-in, never another origin (no open redirect): the
 * value is resolved against a dummy origin and kept only if it stays there. Control characters
 * and backslashes are refused outright, since browsers drop tabs and newlines and read "\" as
 * "/" ("/\t/evil.example" becomes "//evil.example").
 */
export function safeNextPath(value: unknown, fallback = "/dashboard"): string {
  if (typeof value !== "string" || !value.startsWith("/") || [...value].some(isUnsafeCharacter)) return fallback;
  const base = "http://zerno.invalid";
  try {
    const url = new URL(value, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}

function isUnsafeCharacter(character: string): boolean {
  const code = character.charCodeAt(0);
  return code < 0x20 || code === 0x7f || character === "\\";
}
