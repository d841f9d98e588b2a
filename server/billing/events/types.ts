/** One webhook event type we act on: which billing customer it concerns (then the sync runs). */
export type EventHandler = {
  types: readonly string[];
  /** The customer id the event names, or null when it names none (then it is only recorded). */
  customerOf(object: Record<string, unknown>): string | null;
  /** The café the event names itself (a checkout's client_reference_id), used when the customer is new to us. */
  tenantOf?(object: Record<string, unknown>): string | null;
  /** Something to record beside the sync (a failed payment), in the same transaction. */
  audit?: "billing.payment_failed" | "billing.invoice_paid";
};

/** A customer field may be an id or an expanded object. */
export function customerId(value: unknown): string | null {
  const id = value && typeof value === "object" ? (value as { id?: unknown }).id : value;
  // Provider ids are short and plain (cus_…): anything else names no customer of ours.
  return typeof id === "string" && /^[A-Za-z0-9_-]{1,255}$/.test(id) ? id : null;
}
