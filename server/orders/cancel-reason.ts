/**
 * The reason stored when a guest cancels without giving one: a code, not words, so the board and
 * the guest's pages say it in the reader's language. Staff reasons are free text, shown as typed.
 * (Migration 00xx turned the old English sentence into this code.) Importable by client components.
 */
export const GUEST_CANCEL_REASON = "cancelled_by_guest";

export function isGuestCancel(reason: string | null | undefined): boolean {
  return reason === GUEST_CANCEL_REASON;
}
