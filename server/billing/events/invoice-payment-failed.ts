import { customerId, type EventHandler } from "./types";

/** A card declined: Stripe retries, the subscription turns past_due and the grace starts. */
export const invoicePaymentFailed: EventHandler = {
  types: ["invoice.payment_failed"],
  customerOf: (invoice) => customerId(invoice.customer),
  audit: "billing.payment_failed",
};
