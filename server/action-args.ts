import { notFound } from "next/navigation";

// A server action's arguments come from the client as React decoded them, whatever their declared
// types: a script can send a string where the page sends a form. Such a call is no call the app's
// pages make, so it is answered as an action that does not exist (404), not with a 500.

/** Asserts an action's argument is the form its page posts. */
export function requireForm(value: unknown): asserts value is FormData {
  if (!(value instanceof FormData)) notFound();
}

/** Asserts an action's argument is the plain object (a draft, a step) its page passes: not null, not a list. */
export function requireRecord(value: unknown): asserts value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof FormData) notFound();
}

/** The longest slug, id or token a page binds to an action. */
const BOUND_TEXT_MAX = 256;

/**
 * Asserts an action's argument is the text (a café's slug, an id, a token) its page binds: a
 * string, short, without control characters or half a surrogate pair (PostgreSQL cannot take a NUL).
 */
export function requireText(value: unknown): asserts value is string {
  if (typeof value !== "string" || value.length > BOUND_TEXT_MAX) notFound();
  for (const character of value) {
    const code = character.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || (character.length === 1 && code >= 0xd800 && code <= 0xdfff)) notFound();
  }
}
