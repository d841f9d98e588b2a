import { appDb } from "@/db/client";
import { type EmailMessage, sendEmail } from "../email/send";
import { emailConfirmed, resendConfirmation, signUpOwner, verifyEmail } from "./account";
import { type CreatedCafe, createCafe } from "./cafe";
import { checkSlug, type SlugCheck, suggestSlug } from "./slug";

// A café's sign-up as its pages and actions run it, on the app's pool (those pages never hold a
// database handle); the functions over a `db` they call stay what tests and other services compose.

/** Step one, signUpOwner: the owner's account; the confirmation mail is the caller's to send. */
export function signUpOwnerAccount(input: Parameters<typeof signUpOwner>[1]) {
  return signUpOwner(appDb(), input);
}

/** Sends a confirmation mail (made by the sign-up or by "send again"). */
export async function mailConfirmation(message: EmailMessage): Promise<void> {
  await sendEmail(appDb(), message);
}

/** "Send again" (resendConfirmation): the mail to send, or null once the email is confirmed. */
export function confirmationAgain(input: Parameters<typeof resendConfirmation>[1]): Promise<EmailMessage | null> {
  return resendConfirmation(appDb(), input);
}

/** The link from the confirmation mail (verifyEmail). */
export function confirmEmailByLink(input: Parameters<typeof verifyEmail>[1]) {
  return verifyEmail(appDb(), input);
}

/** Whether the person's email is confirmed (the first-steps checklist shows it). */
export function ownEmailConfirmed(userId: string): Promise<boolean> {
  return emailConfirmed(appDb(), userId);
}

/**
 * As the owner types the café's address: a free one made from its name while the address is
 * empty, otherwise whether that address is free (and a free one if not).
 */
export async function slugAdvice(slug: string, name: string): Promise<SlugCheck> {
  if (!slug) return { ok: true, slug: await suggestSlug(appDb(), name) };
  return checkSlug(appDb(), slug, name);
}

/** Step three, createCafe: the café, its first location, and its creator as owner. */
export function createCafeOf(input: Parameters<typeof createCafe>[1]): Promise<CreatedCafe> {
  return createCafe(appDb(), input);
}
