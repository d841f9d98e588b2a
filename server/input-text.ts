/**
 * Text PostgreSQL cannot store: a NUL character (refused in `text`) and a lone UTF-16 surrogate
 * (refused in `jsonb`, and not a character at all). JSON lets a client send both ("\u0000",
 * "\ud800"), so every procedure's input is checked once, before validation, and refused as a 400
 * naming the field instead of failing in the database as a 500.
 */

/** A surrogate half without its other half. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a string can be stored and shown as it is. */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

/** A value still to look at, and how it was reached (its path is built only when it is needed). */
type Pending = { value: unknown; key: string | number | null; parent: Pending | null };

function pathOf(entry: Pending, key?: string): string {
  const keys: (string | number)[] = key === undefined ? [] : [key];
  for (let at: Pending | null = entry; at && at.key !== null; at = at.parent) keys.push(at.key);
  return keys.reverse().join(".");
}

/**
 * The path of the first string (or object key) in `input` that isStorableText refuses, as
 * "lines.0.name", or null when there is none. Iterative, so a deeply nested input cannot
 * exhaust the stack.
 */
export function firstUnstorableText(input: unknown): string | null {
  const pending: Pending[] = [{ value: input, key: null, parent: null }];
  while (pending.length > 0) {
    const entry = pending.pop() as Pending;
    const { value } = entry;
    if (typeof value === "string") {
      if (!isStorableText(value)) return pathOf(entry);
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) {
        pending.push({ value: value[index], key: index, parent: entry });
      }
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value);
      for (const [key] of entries) if (!isStorableText(key)) return pathOf(entry, key);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, child] = entries[index] as [string, unknown];
        pending.push({ value: child, key, parent: entry });
      }
    }
  }
  return null;
}
