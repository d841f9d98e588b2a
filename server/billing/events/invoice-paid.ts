import { customerId, type EventHandler } from "./types";

/** A renewal paid: the period moves on, a past_due subscription is active again. */
export const invoicePaid: EventHandler = {
  types: ["invoice.paid"],
  customerOf: (invoice) => customerId(invoice.customer),
  audit: "billing.invoice_paid",
};
